// Small string helpers shared across lifeboat.
#ifndef LIFEBOAT_COMMON_STRINGS_H_
#define LIFEBOAT_COMMON_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace lifeboat {

// Every piece between separators, empty ones included: "a,,b" -> {"a", "", "b"},
// "" -> {""}.
std::vector<std::string> SplitString(std::string_view text, char separator);

// `s` without leading and trailing whitespace.
std::string TrimSpace(std::string s);

// Escapes text for XML (and HTML) element content and attribute values: & < > " '.
std::string XmlEscape(std::string_view text);
// Escapes text for element content only: & < >. Quotes stay as they are, as the AWS SDKs
// send an ETag ("\"abc\"") in a request body.
std::string XmlEscapeText(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_STRINGS_H_

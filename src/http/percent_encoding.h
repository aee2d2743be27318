// Percent-encoding: the one encoder and the one decoder lifeboat uses for URL paths, query
// strings, application/x-www-form-urlencoded bodies (the Query protocol of SQS, EC2 and
// Auto Scaling) and S3's EncodingType=url listings. Pure functions; no state.
//
// What decoding does, and why (each case has a test in percent_encoding_test.cc):
//   - "%XX" (hex digits of either case) becomes the byte XX; every other byte is kept.
//   - '+' is a space only where the caller says so (PlusIsSpace::kYes): query strings and
//     form bodies (as AWS's Query services and S3 read them) and S3's EncodingType=url
//     keys (botocore decodes those with unquote_plus). It stays '+' in URL paths, where S3
//     keeps a literal '+' in a key.
//   - A '%' not followed by two hex digits is an error, never passed through: a service
//     answers it with a 400 naming the parameter rather than acting on a corrupted value.
//   - Bytes are bytes: decoded UTF-8 is kept as is, and so is a byte sequence that is not
//     valid UTF-8; whether a value's characters are acceptable is the service's to judge.
#ifndef LIFEBOAT_HTTP_PERCENT_ENCODING_H_
#define LIFEBOAT_HTTP_PERCENT_ENCODING_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace lifeboat {

// Whether '+' decodes to a space (form encoding) or stays '+' (URL paths).
enum class PlusIsSpace : bool { kNo = false, kYes = true };

// RFC 3986 percent-encoding of everything but unreserved characters (A-Z a-z 0-9 - _ . ~);
// with keep_slash, '/' is kept too (for paths). Space becomes "%20", never '+'.
std::string UriEncode(std::string_view text, bool keep_slash = false);

// Decodes %XX escapes, and '+' to a space when `plus` says so. kInvalidArgument naming the
// bad escape and its offset when a '%' is not followed by two hex digits.
Result<std::string> PercentDecode(std::string_view text, PlusIsSpace plus);

// name=value pairs in the order they came, repeated names kept (which one wins is the
// caller's choice).
using FormPairs = std::vector<std::pair<std::string, std::string>>;

// Splits "a=1&b=2" on '&', then each piece on its first '=', and decodes both sides with
// PercentDecode: "a=b=c" is ("a", "b=c"); "Flag" and "Flag=" are ("Flag", ""); empty pieces
// ("a=1&&b=2", a trailing '&') are skipped, so "" is no pairs. kInvalidArgument naming
// the parameter (as sent) on a malformed escape in its name or value.
Result<FormPairs> ParseFormPairs(std::string_view text, PlusIsSpace plus);

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_PERCENT_ENCODING_H_

// The parts of an SQS message that clients check: user message attributes, the MD5
// digests SQS returns (of the body and of the attributes, in the binary encoding the SDKs
// recompute to verify a send), and validation of bodies and attributes against AWS's rules.
#ifndef LIFEBOAT_LOCAL_SQS_SQS_MESSAGE_H_
#define LIFEBOAT_LOCAL_SQS_SQS_MESSAGE_H_

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

// One user message attribute. `data_type` is "String", "Number" or "Binary", optionally
// with a custom label ("Number.int"); `value` holds the string, or the raw (decoded) bytes
// of a Binary value.
struct SqsAttributeValue {
  std::string data_type;
  std::string value;
  bool binary() const;
  bool operator==(const SqsAttributeValue&) const = default;
};
using SqsMessageAttributes = std::map<std::string, SqsAttributeValue>;

std::string Md5Hex(std::string_view data);

// The MD5 of message attributes as SQS computes it: attributes sorted by name, each as
// length-prefixed (4 bytes, big-endian) name and data type, a transport byte (1 string,
// 2 binary), and the length-prefixed value. Empty string for no attributes.
std::string SqsAttributesMd5(const SqsMessageAttributes& attributes);

// Checks a body against SQS's character set (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD
// #x10000-#x10FFFF, as UTF-8): InvalidMessageContents otherwise.
Status ValidateSqsBody(std::string_view body);

// Checks names, types and values of user attributes (at most 10): InvalidParameterValue.
Status ValidateSqsAttributes(const SqsMessageAttributes& attributes);

// The bytes a message counts against MaximumMessageSize: body plus every attribute's
// name, type and value.
size_t SqsMessageSize(std::string_view body, const SqsMessageAttributes& attributes);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_MESSAGE_H_

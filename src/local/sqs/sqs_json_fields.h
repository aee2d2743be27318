// Reading the members of an SQS request held as JSON (the JSON protocol's body, or Query
// parameters converted to it), with SQS's errors: MissingParameter for a required member
// that is absent, InvalidParameterValue for one of the wrong type. Integers may arrive as
// JSON numbers or as decimal strings (the Query protocol has only strings).
#ifndef LIFEBOAT_LOCAL_SQS_SQS_JSON_FIELDS_H_
#define LIFEBOAT_LOCAL_SQS_SQS_JSON_FIELDS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "local/sqs/sqs_message.h"
#include "local/sqs/sqs_queue_store.h"

namespace lifeboat {

Result<std::string> RequiredString(const nlohmann::json& input, const char* name);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& input, const char* name);
Result<std::optional<int>> OptionalInt(const nlohmann::json& input, const char* name);
// Absent is an empty list.
Result<std::vector<std::string>> StringList(const nlohmann::json& input, const char* name);
// A map of strings ("Attributes"); absent is an empty map.
Result<SqsAttributeMap> StringMap(const nlohmann::json& input, const char* name);
// "MessageAttributes": {"name": {"DataType": "...", "StringValue"|"BinaryValue": "..."}},
// BinaryValue in base64.
Result<SqsMessageAttributes> MessageAttributes(const nlohmann::json& input);
// The JSON form of message attributes (BinaryValue back in base64).
nlohmann::json MessageAttributesJson(const SqsMessageAttributes& attributes);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_JSON_FIELDS_H_

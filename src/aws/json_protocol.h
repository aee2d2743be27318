// The AWS JSON protocols (awsJson1_0: SQS; awsJson1_1: SSM) as the clients speak them: a
// POST to the endpoint's root with Content-Type "application/x-amz-json-<1.0|1.1>",
// X-Amz-Target "<Prefix>.<Operation>" and the input as one JSON object; the answer is a
// JSON object (or an empty body for operations without output).
//
// Requests are plain values (BuildJsonRequest) so tests check them exactly; CallJson sends
// one through an AwsTransport. Errors come from AwsTransport / aws_error.h, which read
// `__type` ("com.amazonaws.sqs#QueueDoesNotExist" -> "QueueDoesNotExist") and `message`.
//
// nlohmann::json throws on type mismatches; the readers here never do, so a client reads
// an answer of any shape without exceptions. Pure functions; safe from any thread.
#ifndef LIFEBOAT_AWS_JSON_PROTOCOL_H_
#define LIFEBOAT_AWS_JSON_PROTOCOL_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_transport.h"
#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

// `json_version` is "1.0" or "1.1"; `target` is "AmazonSQS.ReceiveMessage" and the like.
// kInvalidArgument when `endpoint` is not scheme://host[:port][/base].
Result<HttpRequest> BuildJsonRequest(std::string_view endpoint, std::string_view json_version,
                                     std::string_view target, const nlohmann::json& input);

// An answer's body as an object: an empty body is {}; anything else is kInternal.
Result<nlohmann::json> ParseJsonAnswer(std::string_view body);

// Sends a request from BuildJsonRequest (callers may adjust it first, e.g. its timeout)
// and parses the 2xx answer. A 3xx answer is an error too.
Result<nlohmann::json> CallJson(AwsTransport& transport, HttpRequest request);

// Readers that never throw: a missing key or another type gives the fallback.
std::string JsonString(const nlohmann::json& object, const std::string& key);
std::optional<int64_t> JsonInt(const nlohmann::json& object, const std::string& key);
// An array of strings; non-strings in it are skipped.
std::vector<std::string> JsonStrings(const nlohmann::json& object, const std::string& key);
// An object whose values are arrays of strings (SSM parameters).
std::map<std::string, std::vector<std::string>> JsonStringLists(const nlohmann::json& object,
                                                                const std::string& key);
// An object whose values are strings (SQS attributes); other values are skipped.
std::map<std::string, std::string> JsonStringMap(const nlohmann::json& object,
                                                 const std::string& key);
// The array under `key`, or an empty one.
const nlohmann::json& JsonArray(const nlohmann::json& object, const std::string& key);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_JSON_PROTOCOL_H_

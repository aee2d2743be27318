// Reading SSM request members from a JSON 1.1 body, with AWS's ValidationException for a
// required member that is missing or a member of the wrong type; and writing the two kinds
// of dates SSM's responses carry.
#ifndef LIFEBOAT_LOCAL_SSM_SSM_FIELDS_H_
#define LIFEBOAT_LOCAL_SSM_SSM_FIELDS_H_

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

Result<std::string> SsmRequiredString(const nlohmann::json& input, const char* name);
// Absent or null: nullopt.
Result<std::optional<std::string>> SsmOptionalString(const nlohmann::json& input, const char* name);
Result<std::optional<int64_t>> SsmOptionalInt(const nlohmann::json& input, const char* name);
Result<bool> SsmOptionalBool(const nlohmann::json& input, const char* name);
// A list of strings; absent is empty.
Result<std::vector<std::string>> SsmStringList(const nlohmann::json& input, const char* name);

// A `timestamp` member: seconds since the epoch, with milliseconds, as a JSON number.
nlohmann::json SsmTimestamp(std::chrono::system_clock::time_point time);
// A `StringDateTime` member (ExecutionStartDateTime): "2024-05-01T12:00:00.123Z".
std::string SsmIsoTime(std::chrono::system_clock::time_point time);
// ExecutionElapsedTime: an ISO 8601 duration, "PT1.234S".
std::string SsmIsoDuration(std::chrono::milliseconds elapsed);
// The filter values InvokedAfter/InvokedBefore take: "2017-06-07T00:00:00Z" (or with
// milliseconds, or a date alone), in UTC; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> SsmParseIsoTime(std::string_view text);

// NextToken of the list actions: the position to resume at, opaque to clients.
std::string SsmPageToken(size_t position);
// InvalidNextToken for a token this service did not hand out.
Result<size_t> SsmPagePosition(const std::optional<std::string>& token);
// MaxResults in [1, max]: ValidationException otherwise; absent is `max`.
Result<size_t> SsmPageSize(const nlohmann::json& input, size_t max);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_FIELDS_H_

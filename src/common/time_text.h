// Wall-clock times as operators and lifeboat's records write them: RFC 3339 in UTC
// ("2026-11-26T17:02:03Z"), UTC days ("2026-11-26"), and the TIME arguments of `ls`,
// `grep` and `cat` ("2026-11-26T03:00:00Z", "2026-11-26", or a duration ago: "3h", "2d").
#ifndef LIFEBOAT_COMMON_TIME_TEXT_H_
#define LIFEBOAT_COMMON_TIME_TEXT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

using WallTime = std::chrono::system_clock::time_point;

// "2026-11-26T17:02:03Z", "2026-11-26T17:02:03.250Z", "2026-11-26T19:02:03+02:00" (also
// with a space or 't' for 'T', 'z' for 'Z'); a date alone is its midnight UTC. One line
// naming the text when it is not one of these.
Result<WallTime> ParseRfc3339(std::string_view text);

// The UTC day of `time`: "2026-11-26".
std::string UtcDay(WallTime time);

// A TIME argument: an RFC 3339 time or date, or a duration before `now` ("90s", "30m",
// "3h", "2d", "1w"). kInvalidArgument naming the text otherwise.
Result<WallTime> ParseTimeArgument(std::string_view text, WallTime now);

// --since and --until of ls, grep and cat: each optional (empty text: not given). The
// error names the flag; an --until before --since is an error too.
struct TimeWindow {
  std::optional<WallTime> since;
  std::optional<WallTime> until;
};
Result<TimeWindow> ParseTimeWindow(std::string_view since, std::string_view until, WallTime now);

// Milliseconds since the Unix epoch, as the manifest's written_ms bounds count them.
int64_t UnixMs(WallTime time);
// A window's ends in UnixMs; 0 for an end not given (as WrittenBounds::MayOverlap takes them).
inline int64_t UnixMsOr0(const std::optional<WallTime>& time) { return time ? UnixMs(*time) : 0; }

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_TIME_TEXT_H_

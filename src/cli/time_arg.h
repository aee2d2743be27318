// Times on the command line (--since, --until): RFC 3339 ("2026-12-06T03:00:00Z",
// "2026-12-06T12:00:00+09:00"), a UTC date ("2026-12-06"), or a duration before now
// ("90s", "15m", "3h", "2d").
#ifndef LIFEBOAT_CLI_TIME_ARG_H_
#define LIFEBOAT_CLI_TIME_ARG_H_

#include <chrono>
#include <string>

#include "common/status.h"

namespace lifeboat {

// kInvalidArgument naming `flag` and the accepted forms.
Result<std::chrono::system_clock::time_point> ParseTimeArg(const std::string& flag,
                                                           const std::string& text,
                                                           std::chrono::system_clock::time_point now);

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_TIME_ARG_H_

// Logging: spdlog to stderr. Messages are for operators: say what happened to which file
// or object, and what lifeboat will do next.
#ifndef LIFEBOAT_COMMON_LOGGING_H_
#define LIFEBOAT_COMMON_LOGGING_H_

#include <spdlog/spdlog.h>

#include <string_view>

namespace lifeboat {

// Configures the process-wide logger. `level` is trace|debug|info|warn|error|off.
// Returns false (and leaves the logger alone) when the level is unknown.
bool InitLogging(std::string_view level);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_LOGGING_H_

// Logging: spdlog to stderr. Messages are for operators: say what happened to which file
// or object, and what lifeboat will do next.
//
// Two formats: "text" (`2026-11-26T17:02:03.123Z info message`) for people and journald,
// "json" (one object per line: {"time":"...","level":"info","message":"..."}) for log
// pipelines that would otherwise have to parse the text.
#ifndef LIFEBOAT_COMMON_LOGGING_H_
#define LIFEBOAT_COMMON_LOGGING_H_

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

namespace lifeboat {

// Configures the process-wide logger. `level` is trace|debug|info|warn|error|off; `format`
// is text|json. Returns false (and leaves the logger alone) when either is unknown.
bool InitLogging(std::string_view level, std::string_view format = "text");

// The formatter for `format` (text|json); nullptr when unknown. Exposed so tests and other
// sinks format lines exactly as the process logger does.
std::unique_ptr<spdlog::formatter> MakeLogFormatter(std::string_view format);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_LOGGING_H_

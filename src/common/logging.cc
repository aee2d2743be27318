#include "common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace lifeboat {

bool InitLogging(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") return false;
  auto logger = spdlog::get("lifeboat");
  if (!logger) logger = spdlog::stderr_logger_mt("lifeboat");
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  return true;
}

}  // namespace lifeboat

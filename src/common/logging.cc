#include "common/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

// UTC with milliseconds, the same instant format the text pattern prints.
std::string Iso8601Millis(spdlog::log_clock::time_point time) {
  auto since_epoch = time.time_since_epoch();
  std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf, n) + fmt::format(".{:03}Z", millis);
}

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    // ordered_json keeps time, level, message in the order people read them.
    auto level = spdlog::level::to_string_view(msg.level);
    nlohmann::ordered_json line = {
        {"time", Iso8601Millis(msg.time)},
        {"level", std::string(level.data(), level.size())},
        {"message", std::string(msg.payload.data(), msg.payload.size())},
    };
    // Messages can carry file names and log bytes that are not UTF-8; replacing those bytes
    // keeps the line valid JSON instead of throwing out of the logger.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> MakeLogFormatter(std::string_view format) {
  if (format == "text") {
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%eZ %l %v",
                                                       spdlog::pattern_time_type::utc);
  }
  if (format == "json") return std::make_unique<JsonFormatter>();
  return nullptr;
}

bool InitLogging(std::string_view level, std::string_view format) {
  auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") return false;
  auto formatter = MakeLogFormatter(format);
  if (!formatter) return false;
  auto logger = spdlog::get("lifeboat");
  if (!logger) logger = spdlog::stderr_logger_mt("lifeboat");
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
  spdlog::set_formatter(std::move(formatter));
  return true;
}

}  // namespace lifeboat

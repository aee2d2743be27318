#include "common/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace lifeboat {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A private logger writing to a string through the formatter under test.
class CapturedLog {
 public:
  explicit CapturedLog(std::string_view format)
      : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)), logger_("captured", sink_) {
    sink_->set_formatter(MakeLogFormatter(format));
    logger_.set_level(spdlog::level::trace);
  }
  spdlog::logger& logger() { return logger_; }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  spdlog::logger logger_;
};

const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

TEST(LoggingTest, JsonLinesParseAndEscapeTheMessage) {
  CapturedLog log("json");
  log.logger().info("shipped \"{}\"\nnext line\ttab \\ back", "/var/log/a.log");
  log.logger().warn("plain");
  auto lines = Lines(log.text());
  ASSERT_EQ(lines.size(), 2u) << log.text();  // the embedded newline did not split a line

  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["message"], "shipped \"/var/log/a.log\"\nnext line\ttab \\ back");
  EXPECT_EQ(first["level"], "info");
  EXPECT_TRUE(std::regex_match(first["time"].get<std::string>(), kTime)) << first["time"];
  // Fields in reading order, nothing else.
  EXPECT_EQ(lines[0].rfind("{\"time\":\"", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find("\",\"level\":\"info\",\"message\":\""), std::string::npos);
  EXPECT_EQ(first.size(), 3u);

  auto second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(second["level"], "warning");
  EXPECT_EQ(second["message"], "plain");
}

TEST(LoggingTest, JsonSurvivesBytesThatAreNotUtf8) {
  CapturedLog log("json");
  log.logger().error("bad name: {}", std::string("a\xff\xfe") + "b");
  auto lines = Lines(log.text());
  ASSERT_EQ(lines.size(), 1u);
  auto line = nlohmann::json::parse(lines[0]);
  // Each bad byte became U+FFFD.
  EXPECT_EQ(line["message"], std::string("bad name: a\xEF\xBF\xBD\xEF\xBF\xBD") + "b");
}

TEST(LoggingTest, TextKeepsTheOperatorPattern) {
  CapturedLog log("text");
  log.logger().info("hello {}", 42);
  auto lines = Lines(log.text());
  ASSERT_EQ(lines.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[0], m, std::regex(R"((\S+) info hello 42)"))) << lines[0];
  EXPECT_TRUE(std::regex_match(m[1].str(), kTime)) << lines[0];
}

TEST(LoggingTest, UnknownFormatOrLevelIsRejected) {
  EXPECT_EQ(MakeLogFormatter("xml"), nullptr);
  EXPECT_FALSE(InitLogging("info", "xml"));
  EXPECT_FALSE(InitLogging("loud", "json"));
}

TEST(LoggingTest, InitLoggingJsonWritesJsonToStderr) {
  auto previous = spdlog::default_logger();
  auto previous_level = spdlog::get_level();
  ASSERT_TRUE(InitLogging("debug", "json"));
  testing::internal::CaptureStderr();
  spdlog::debug("via \"default\" logger");
  spdlog::default_logger()->flush();
  std::string captured = testing::internal::GetCapturedStderr();
  // Back to what the other tests expect before any assertion can bail out.
  ASSERT_TRUE(InitLogging("info"));
  spdlog::set_default_logger(previous);
  spdlog::set_level(previous_level);

  auto lines = Lines(captured);
  ASSERT_EQ(lines.size(), 1u) << captured;
  auto line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["level"], "debug");
  EXPECT_EQ(line["message"], "via \"default\" logger");
}

}  // namespace
}  // namespace lifeboat

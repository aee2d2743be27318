#include "workload/log_generator.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace lifeboat {
namespace {

using std::chrono::system_clock;

constexpr LogKind kAllKinds[] = {LogKind::kNginxAccess, LogKind::kNginxError, LogKind::kPhpFpmError,
                                 LogKind::kPhpFpmSlow, LogKind::kAppJson};

LogGeneratorOptions Options(LogKind kind, uint64_t seed = 42) {
  LogGeneratorOptions o;
  o.kind = kind;
  o.seed = seed;
  return o;
}

std::string Generate(const LogGeneratorOptions& o, size_t bytes) {
  LogGenerator g(o);
  std::string out;
  g.AppendLines(out, bytes);
  return out;
}

std::vector<std::string> Records(const LogGeneratorOptions& o, size_t n) {
  LogGenerator g(o);
  std::vector<std::string> records;
  for (size_t i = 0; i < n; ++i) records.push_back(g.NextLine());
  return records;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return lines;
}

int MonthNumber(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (kMonths[i] == name) return i + 1;
  }
  return 0;
}

// Unix milliseconds of a civil UTC time.
int64_t UnixMillis(int y, int mo, int d, int h, int mi, int s, int ms = 0) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)}};
  return duration_cast<milliseconds>(date.time_since_epoch()).count() +
         ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

// The timestamp that starts a record (or a line of a multi-line record), in each format's
// own layout; nullopt for continuation lines such as stack frames.
std::optional<int64_t> RecordTime(LogKind kind, const std::string& line) {
  static const std::regex kAccess(R"(\[(\d\d)/(\w\w\w)/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\])");
  static const std::regex kNginxError(R"(^(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d) )");
  static const std::regex kPhp(R"(^\[(\d\d)-(\w\w\w)-(\d{4}) (\d\d):(\d\d):(\d\d)( UTC)?\])");
  static const std::regex kJson(
      R"re("ts":"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z")re");
  std::smatch m;
  auto i = [&](int k) { return std::stoi(m[k].str()); };
  switch (kind) {
    case LogKind::kNginxAccess:
      if (!std::regex_search(line, m, kAccess)) return std::nullopt;
      return UnixMillis(i(3), MonthNumber(m[2].str()), i(1), i(4), i(5), i(6));
    case LogKind::kNginxError:
      if (!std::regex_search(line, m, kNginxError)) return std::nullopt;
      return UnixMillis(i(1), i(2), i(3), i(4), i(5), i(6));
    case LogKind::kPhpFpmError:
    case LogKind::kPhpFpmSlow:
      if (!std::regex_search(line, m, kPhp)) return std::nullopt;
      return UnixMillis(i(3), MonthNumber(m[2].str()), i(1), i(4), i(5), i(6));
    case LogKind::kAppJson:
      if (!std::regex_search(line, m, kJson)) return std::nullopt;
      return UnixMillis(i(1), i(2), i(3), i(4), i(5), i(6), i(7));
  }
  return std::nullopt;
}

// nginx "combined", optionally followed by request and upstream times.
const std::regex& AccessLineRegex() {
  static const std::regex kLine(
      R"re(^([0-9.]+|[0-9a-f:]+) - - \[\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d \+0000\] )re"
      R"re("((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S* HTTP/(1\.0|1\.1|2\.0)|(\\x[0-9A-F]{2})+)" )re"
      R"re((\d{3}) (\d+) "([^"]*)" "([^"]+)"( rt=\d+\.\d{3} urt="(-|\d+\.\d{3})")?$)re");
  return kLine;
}

TEST(LogGeneratorTest, SameSeedGivesSameBytesDifferentSeedDifferentBytes) {
  for (LogKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(LogKindName(kind)));
    const std::string a = Generate(Options(kind, 7), 1 << 20);
    EXPECT_EQ(a, Generate(Options(kind, 7), 1 << 20));
    EXPECT_NE(a, Generate(Options(kind, 8), 1 << 20));
  }
}

TEST(LogGeneratorTest, NextLineAndAppendLinesProduceTheSameStream) {
  const LogGeneratorOptions o = Options(LogKind::kPhpFpmError);
  LogGenerator by_append(o);
  std::string appended;
  by_append.AppendLines(appended, 256 << 10);
  std::string joined;
  LogGenerator by_line(o);
  while (joined.size() < appended.size()) joined += by_line.NextLine();
  EXPECT_EQ(joined, appended);
  EXPECT_EQ(by_line.lines_generated(), by_append.lines_generated());
}

TEST(LogGeneratorTest, EveryRecordEndsWithNewlineAndHasNoOtherControlCharacters) {
  for (LogKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(LogKindName(kind)));
    for (const std::string& record : Records(Options(kind), 3000)) {
      ASSERT_FALSE(record.empty());
      ASSERT_EQ(record.back(), '\n') << record;
      for (char c : record) {
        ASSERT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << record;
      }
      if (kind != LogKind::kPhpFpmError && kind != LogKind::kPhpFpmSlow) {
        EXPECT_EQ(record.find('\n'), record.size() - 1) << "single-line format: " << record;
      }
    }
  }
}

TEST(LogGeneratorTest, AccessLinesParseAsCombinedFormat) {
  for (bool request_time : {false, true}) {
    LogGeneratorOptions o = Options(LogKind::kNginxAccess);
    o.request_time = request_time;
    o.long_line_ppm = 0;  // keeps lines short enough for std::regex's recursion
    size_t with_times = 0;
    for (const std::string& record : Records(o, 5000)) {
      const std::string line = record.substr(0, record.size() - 1);
      std::smatch m;
      ASSERT_TRUE(std::regex_match(line, m, AccessLineRegex())) << line;
      if (m[10].matched) ++with_times;
    }
    EXPECT_EQ(with_times, request_time ? 5000u : 0u);
  }
}

TEST(LogGeneratorTest, AccessLogLooksLikeRealTraffic) {
  LogGeneratorOptions o = Options(LogKind::kNginxAccess);
  o.long_line_ppm = 0;
  std::map<std::string, int> per_client;
  int ipv6 = 0, crawlers = 0, internal_referers = 0, not_modified_empty = 0, not_modified = 0;
  for (const std::string& record : Records(o, 10000)) {
    const std::string line = record.substr(0, record.size() - 1);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, AccessLineRegex())) << line;
    ++per_client[m[1].str()];
    if (m[1].str().find(':') != std::string::npos) ++ipv6;
    if (m[9].str().find("bot") != std::string::npos) ++crawlers;
    if (m[8].str().starts_with("https://www.example-shop.com/")) ++internal_referers;
    if (m[6].str() == "304") {
      ++not_modified;
      if (m[7].str() == "0") ++not_modified_empty;
    }
  }
  int busiest = 0;
  for (const auto& [client, n] : per_client) busiest = std::max(busiest, n);
  // A pool of thousands of clients with a popular head, not one client and not all unique.
  EXPECT_GT(per_client.size(), 500u);
  EXPECT_LT(per_client.size(), 5000u);
  EXPECT_GT(busiest, 30);
  EXPECT_LT(busiest, 1000);
  EXPECT_GT(ipv6, 100);
  EXPECT_GT(crawlers, 50);
  EXPECT_GT(internal_referers, 2000);
  EXPECT_GT(not_modified, 0);
  EXPECT_EQ(not_modified_empty, not_modified);
}

TEST(LogGeneratorTest, OccasionalRequestsCarryHugeQueryStrings) {
  LogGeneratorOptions o = Options(LogKind::kNginxAccess);
  o.long_line_ppm = 20000;  // 2%
  int long_lines = 0;
  for (const std::string& record : Records(o, 5000)) {
    if (record.size() < 2048) continue;
    ++long_lines;
    const size_t request = record.find("] \"");
    ASSERT_NE(request, std::string::npos);
    const size_t target_end = record.find(' ', record.find(' ', request + 3) + 1);
    EXPECT_NE(record.substr(request, target_end - request).find('?'), std::string::npos)
        << record.substr(0, 300);
    EXPECT_NE(record.find(" HTTP/", target_end - 1), std::string::npos) << record.substr(0, 200);
  }
  EXPECT_GT(long_lines, 50);
  EXPECT_LT(long_lines, 200);
}

TEST(LogGeneratorTest, StatusMixFollowsConfiguredWeights) {
  LogGeneratorOptions o = Options(LogKind::kNginxAccess);
  o.status_mix = {{200, 70}, {404, 20}, {502, 10}};
  o.long_line_ppm = 0;
  std::map<int, int> counts;
  constexpr int kLines = 10000;
  for (const std::string& record : Records(o, kLines)) {
    std::smatch m;
    const std::string line = record.substr(0, record.size() - 1);
    ASSERT_TRUE(std::regex_match(line, m, AccessLineRegex())) << line;
    ++counts[std::stoi(m[6].str())];
  }
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_NEAR(counts[200] / double{kLines}, 0.70, 0.02);
  EXPECT_NEAR(counts[404] / double{kLines}, 0.20, 0.02);
  EXPECT_NEAR(counts[502] / double{kLines}, 0.10, 0.015);
}

TEST(LogGeneratorTest, DefaultStatusMixIsMostlyOkWithSomeErrors) {
  std::map<int, int> counts;
  LogGeneratorOptions o = Options(LogKind::kNginxAccess);
  o.long_line_ppm = 0;
  for (const std::string& record : Records(o, 10000)) {
    std::smatch m;
    const std::string line = record.substr(0, record.size() - 1);
    ASSERT_TRUE(std::regex_match(line, m, AccessLineRegex())) << line;
    ++counts[std::stoi(m[6].str())];
  }
  uint64_t total_weight = 0;
  for (const StatusWeight& s : DefaultStatusMix()) total_weight += s.weight;
  for (const StatusWeight& s : DefaultStatusMix()) {
    const double expected = s.weight / double(total_weight);
    EXPECT_NEAR(counts[s.status] / 10000.0, expected, 0.01 + expected * 0.1) << s.status;
  }
}

TEST(LogGeneratorTest, TimestampsStartAtStartNeverDecreaseAndFollowTheRate) {
  for (LogKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(LogKindName(kind)));
    LogGeneratorOptions o = Options(kind);
    o.start = system_clock::time_point(std::chrono::seconds(1735689590));  // 2024-12-31 23:59:50
    o.lines_per_second = 10;
    LogGenerator g(o);
    std::optional<int64_t> first, previous;
    constexpr int kRecords = 2000;
    for (int i = 0; i < kRecords; ++i) {
      const std::string record = g.NextLine();
      int stamped = 0;
      for (std::string_view line : SplitLines(record)) {
        const std::optional<int64_t> t = RecordTime(kind, std::string(line));
        if (!t) continue;
        ++stamped;
        if (!first) first = t;
        if (previous) {
          ASSERT_GE(*t, *previous) << line;
        }
        previous = t;
      }
      ASSERT_GE(stamped, 1) << record;
    }
    ASSERT_TRUE(first && previous);
    EXPECT_EQ(*first, int64_t{1735689590} * 1000);
    // 2000 records at 10 per second span about 200 s, crossing into a new year.
    EXPECT_NEAR((*previous - *first) / 1000.0, 200.0, 20.0);
    EXPECT_EQ(
        std::chrono::duration_cast<std::chrono::seconds>(g.last_timestamp().time_since_epoch())
            .count(),
        *previous / 1000);
    EXPECT_EQ(g.lines_generated(), uint64_t{kRecords});
  }
}

TEST(LogGeneratorTest, AppendLinesReachesTheRequestedSizeAndEndsOnALineEnd) {
  for (LogKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(LogKindName(kind)));
    LogGenerator g(Options(kind));
    std::string out = "existing\n";
    for (size_t request : {size_t{1}, size_t{100}, size_t{4096}, size_t{1} << 20}) {
      const size_t before = out.size();
      g.AppendLines(out, request);
      EXPECT_GE(out.size() - before, request);
      EXPECT_LT(out.size() - before, request + 16384) << "overshoots by at most one record";
      EXPECT_EQ(out.back(), '\n');
    }
    EXPECT_TRUE(out.starts_with("existing\n"));
    const size_t size = out.size();
    g.AppendLines(out, 0);
    EXPECT_EQ(out.size(), size);
  }
}

TEST(LogGeneratorTest, NginxErrorLinesFollowTheErrorLogFormat) {
  static const std::regex kLine(
      R"re(^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(error|warn|info|notice|crit|alert)\] \d+#\d+: (\*\d+ )?.+$)re");
  static const std::regex kRequest(
      R"re(, client: [0-9a-f.:]+, server: \S+, request: "[^"]+"(, upstream: "[^"]+")?, host: "[^"]+"(, referrer: "[^"]+")?$)re");
  LogGeneratorOptions o = Options(LogKind::kNginxError);
  o.long_line_ppm = 0;
  int with_request = 0;
  for (const std::string& record : Records(o, 3000)) {
    const std::string line = record.substr(0, record.size() - 1);
    ASSERT_TRUE(std::regex_match(line, kLine)) << line;
    if (line.find(", request: ") != std::string::npos) {
      ++with_request;
      EXPECT_TRUE(std::regex_search(line, kRequest)) << line;
    }
  }
  EXPECT_GT(with_request, 2000);
}

TEST(LogGeneratorTest, PhpFatalErrorsCarryAStackTrace) {
  int traces = 0;
  for (const std::string& record : Records(Options(LogKind::kPhpFpmError), 3000)) {
    if (record.find("PHP Fatal error:  Uncaught ") == std::string::npos) continue;
    ++traces;
    const std::vector<std::string_view> lines = SplitLines(record);
    ASSERT_GE(lines.size(), 10u) << record;
    EXPECT_EQ(lines[1], "Stack trace:");
    for (size_t i = 2; i + 2 < lines.size(); ++i) {
      EXPECT_TRUE(lines[i].starts_with("#" + std::to_string(i - 2) + " /var/www/html/"))
          << lines[i];
    }
    EXPECT_EQ(lines[lines.size() - 2], "#" + std::to_string(lines.size() - 4) + " {main}");
    EXPECT_TRUE(lines.back().starts_with("  thrown in /var/www/html/")) << lines.back();
  }
  EXPECT_GT(traces, 100);
}

TEST(LogGeneratorTest, SlowLogRecordsAreBlankLineHeaderAndBacktrace) {
  static const std::regex kFrame(R"re(^\[0x[0-9a-f]{16}\] [\w{}]+\(\) /var/www/html/\S+:\d+$)re");
  for (const std::string& record : Records(Options(LogKind::kPhpFpmSlow), 500)) {
    const std::vector<std::string_view> lines = SplitLines(record);
    ASSERT_GE(lines.size(), 5u) << record;
    EXPECT_EQ(lines[0], "");
    EXPECT_NE(lines[1].find("]  [pool www] pid "), std::string_view::npos) << lines[1];
    EXPECT_EQ(lines[2], "script_filename = /var/www/html/public/index.php");
    for (size_t i = 3; i < lines.size(); ++i) {
      EXPECT_TRUE(std::regex_match(std::string(lines[i]), kFrame)) << lines[i];
    }
  }
}

TEST(LogGeneratorTest, AppJsonLinesAreJsonObjects) {
  for (const std::string& record : Records(Options(LogKind::kAppJson), 3000)) {
    const nlohmann::json j = nlohmann::json::parse(record, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(j.is_object()) << record;
    EXPECT_TRUE(j.contains("ts") && j.contains("level") && j.contains("message")) << record;
  }
}

TEST(LogGeneratorTest, AccessLogCompressesLikeRealLogs) {
  const std::string text = Generate(Options(LogKind::kNginxAccess), 8 << 20);
  std::string compressed(ZSTD_compressBound(text.size()), '\0');
  const size_t n = ZSTD_compress(compressed.data(), compressed.size(), text.data(), text.size(), 3);
  ASSERT_FALSE(ZSTD_isError(n));
  const double ratio = double(text.size()) / n;
  EXPECT_GT(ratio, 6.0);
  EXPECT_LT(ratio, 14.0);
}

TEST(LogGeneratorTest, OptionsAreValidated) {
  EXPECT_TRUE(ValidateLogGeneratorOptions(LogGeneratorOptions{}).ok());
  LogGeneratorOptions o;
  o.lines_per_second = 0;
  EXPECT_EQ(ValidateLogGeneratorOptions(o).code(), StatusCode::kInvalidArgument);
  o = {};
  o.status_mix = {{200, 0}};
  EXPECT_FALSE(ValidateLogGeneratorOptions(o).ok());
  o.status_mix = {{999, 1}};
  EXPECT_NE(ValidateLogGeneratorOptions(o).message().find("999"), std::string::npos);
  // A generator given invalid options still works, on defaults.
  o.lines_per_second = -1;
  LogGenerator g(o);
  EXPECT_EQ(g.NextLine().back(), '\n');
  EXPECT_TRUE(ValidateLogGeneratorOptions(g.options()).ok());
}

TEST(LogGeneratorTest, KindNamesRoundTrip) {
  for (LogKind kind : kAllKinds) {
    Result<LogKind> parsed = ParseLogKind(LogKindName(kind));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  Result<LogKind> bad = ParseLogKind("syslog");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syslog"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat

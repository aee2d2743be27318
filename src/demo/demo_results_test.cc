#include "demo/demo_results.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(DemoResultsTest, LinesAreCountedWithALastLineWithoutNewline) {
  EXPECT_EQ(CountLines(""), 0u);
  EXPECT_EQ(CountLines("a\nb\n"), 2u);
  EXPECT_EQ(CountLines("a\nb"), 2u);
}

TEST(DemoResultsTest, LostLinesAreWhatTheStoredPrefixLacks) {
  EXPECT_EQ(LinesLost("a\nb\nc\n", "a\nb\nc\n"), 0u);
  EXPECT_EQ(LinesLost("a\nb\nc\n", "a\n"), 2u);
  EXPECT_EQ(LinesLost("a\nb\nc\n", "a\nb"), 2u) << "a part-line is not a stored line";
  EXPECT_EQ(LinesLost("a\nb\nc\n", ""), 3u);
  EXPECT_EQ(LinesLost("a\nb\n", "x\n"), 2u) << "not a prefix: nothing counts";
  EXPECT_EQ(LinesLost("a\n", "a\nb\n"), 1u) << "more than written: nothing counts";
}

TEST(DemoResultsTest, JsonHasEveryDocumentedField) {
  InstanceResult agent{"i-1", "lifeboat-agent", 1000, 100, 20, 0, 0.42, 0.3, true};
  InstanceResult seed{"i-2", "seed", 1000, 400, 20, 7, 5.1, 5.0, false};
  nlohmann::json j = ResultsJson({agent, seed}, {{"seed", 2}});
  ASSERT_EQ(j["instances"].size(), 2u);
  for (const char* key : {"id", "mode", "bytes_written", "bytes_stored", "lines_written",
                          "lines_lost", "seconds_to_terminated"}) {
    EXPECT_TRUE(j["instances"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["instances"][1]["mode"], "seed");
  EXPECT_EQ(j["instances"][1]["lines_lost"], 7);
  EXPECT_EQ(j["totals"]["seed"]["lines_lost"], 7);
  EXPECT_EQ(j["totals"]["lifeboat-agent"]["instances"], 1);
  EXPECT_EQ(j["totals"]["seed"]["s3_write_requests"], 2);
  EXPECT_DOUBLE_EQ(j["totals"]["seed"]["max_seconds_to_terminated"].get<double>(), 5.1);
}

TEST(DemoResultsTest, TheTableHasARowPerInstanceThenPerDesign) {
  InstanceResult a{"i-1", "lifeboat-agent", 2048, 256, 20, 0, 0.4, 0.3, true};
  InstanceResult b{"i-2", "lifeboat-agent", 2048, 256, 20, 0, 0.6, 0.5, true};
  InstanceResult seed{"i-3", "seed", 4096, 4096, 40, 9, 5.2, 5.0, false};
  const std::string table = ResultsTable({a, b, seed}, {{"lifeboat-agent", 12}, {"seed", 2}});
  EXPECT_NE(table.find("lifeboat-agent               2"), std::string::npos) << table;
  EXPECT_NE(table.find("8.0x"), std::string::npos) << table;
  EXPECT_NE(table.find("5.20s"), std::string::npos) << table;
  EXPECT_NE(table.find(" 12\n"), std::string::npos) << table;
  EXPECT_NE(table.find("copies /var/log/php-fpm/error.log only"), std::string::npos) << table;
  // A header and a line per instance, a blank line, a header and a line per design, a note.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 9);
  EXPECT_NE(table.find("i-3                   seed"), std::string::npos) << table;
}

}  // namespace
}  // namespace lifeboat

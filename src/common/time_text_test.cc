#include "common/time_text.h"

#include <gtest/gtest.h>

#include "ship/manifest.h"

namespace lifeboat {
namespace {

std::string Parsed(std::string_view text) {
  auto t = ParseRfc3339(text);
  return t.ok() ? FormatRfc3339(*t) : "error: " + t.status().message();
}

TEST(TimeTextTest, ParsesRfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(Parsed("2026-11-26T17:02:03Z"), "2026-11-26T17:02:03Z");
  EXPECT_EQ(Parsed("2026-11-26t17:02:03.999z"), "2026-11-26T17:02:03Z");
  EXPECT_EQ(Parsed("2026-11-26 19:02:03+02:00"), "2026-11-26T17:02:03Z");
  EXPECT_EQ(Parsed("2026-11-26T00:30:00-01:00"), "2026-11-26T01:30:00Z");
  EXPECT_EQ(Parsed("2026-11-26"), "2026-11-26T00:00:00Z");
  auto frac = ParseRfc3339("2026-11-26T17:02:03.25Z");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ((*frac - *ParseRfc3339("2026-11-26T17:02:03Z")), std::chrono::milliseconds(250));
}

TEST(TimeTextTest, RejectsWhatIsNotATime) {
  for (const char* bad : {"", "2026-11-26T17:02:03", "2026-13-01", "2026-02-30", "26-11-26",
                          "2026-11-26T25:00:00Z", "2026-11-26T17:02:03+2", "2026-11-26T17:02:03.Z"}) {
    auto t = ParseRfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(TimeTextTest, DaysAreUtc) {
  auto t = ParseRfc3339("2026-11-26T23:59:59-01:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(UtcDay(*t), "2026-11-27");
}

TEST(TimeTextTest, ATimeArgumentIsATimeOrADurationAgo) {
  const WallTime now = *ParseRfc3339("2026-11-26T12:00:00Z");
  auto at = [&](std::string_view text) {
    auto t = ParseTimeArgument(text, now);
    return t.ok() ? FormatRfc3339(*t) : "error: " + t.status().message();
  };
  EXPECT_EQ(at("3h"), "2026-11-26T09:00:00Z");
  EXPECT_EQ(at("30m"), "2026-11-26T11:30:00Z");
  EXPECT_EQ(at("2d"), "2026-11-24T12:00:00Z");
  EXPECT_EQ(at("1w"), "2026-11-19T12:00:00Z");
  EXPECT_EQ(at("2026-11-25T03:00:00Z"), "2026-11-25T03:00:00Z");
  EXPECT_NE(at("yesterday").find("neither an RFC 3339 time"), std::string::npos);
  EXPECT_NE(at("2026-11-25T03:00").find("not an RFC 3339 time"), std::string::npos);
}

TEST(TimeTextTest, AWindowNamesItsBadFlagAndKeepsItsEndsInOrder) {
  const WallTime now = *ParseRfc3339("2026-12-06T12:00:00Z");
  auto w = ParseTimeWindow("3h", "", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->since, *ParseRfc3339("2026-12-06T09:00:00Z"));
  EXPECT_FALSE(w->until.has_value());
  EXPECT_EQ(UnixMsOr0(w->until), 0);
  EXPECT_EQ(UnixMs(*w->since), 1796547600000);
  auto bad = ParseTimeWindow("", "yesterday", now);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("--until", 0), 0u) << bad.status().message();
  auto backwards = ParseTimeWindow("1h", "2h", now);
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.status().message(), "--until is before --since: the window ends before it begins");
}

}  // namespace
}  // namespace lifeboat

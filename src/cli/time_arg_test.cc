#include "cli/time_arg.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using std::chrono::system_clock;

system_clock::time_point At(long long unix_seconds) {
  return system_clock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(TimeArgTest, Rfc3339DatesAndDurationsBeforeNow) {
  const auto now = At(1796529000);
  EXPECT_EQ(*ParseTimeArg("--since", "2026-12-06T03:00:00Z", now), At(1796526000));
  EXPECT_EQ(*ParseTimeArg("--since", "2026-12-06T12:00:00+09:00", now), At(1796526000));
  EXPECT_EQ(*ParseTimeArg("--since", "2026-12-06T03:00:00.250Z", now), At(1796526000));
  EXPECT_EQ(*ParseTimeArg("--since", "2026-12-06", now), At(1796515200));
  EXPECT_EQ(*ParseTimeArg("--since", "90s", now), At(1796529000 - 90));
  EXPECT_EQ(*ParseTimeArg("--since", "15m", now), At(1796529000 - 900));
  EXPECT_EQ(*ParseTimeArg("--since", "3h", now), At(1796529000 - 3 * 3600));
  EXPECT_EQ(*ParseTimeArg("--since", "2d", now), At(1796529000 - 2 * 86400));
}

TEST(TimeArgTest, AnythingElseIsOneErrorNamingTheFlag) {
  for (const char* bad : {"yesterday", "2026-12-06T03:00:00", "2026-13-01", "3w", "h", "-3h", ""}) {
    auto t = ParseTimeArg("--until", bad, At(0));
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(t.status().message().rfind("--until '" + std::string(bad) + "'", 0), 0u) << t.status().message();
  }
}

}  // namespace
}  // namespace lifeboat

#include "common/units.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(UnitsTest, ByteSizes) {
  EXPECT_EQ(*ParseByteSize("4096"), 4096u);
  EXPECT_EQ(*ParseByteSize("8MiB"), 8u << 20);
  EXPECT_EQ(*ParseByteSize("8M"), 8u << 20);
  EXPECT_EQ(*ParseByteSize("64 MiB"), 64u << 20);
  EXPECT_EQ(*ParseByteSize("1.5KiB"), 1536u);
  EXPECT_EQ(*ParseByteSize("8MB"), 8000000u);
  EXPECT_EQ(*ParseByteSize("1GiB"), 1u << 30);
  EXPECT_FALSE(ParseByteSize("8 parsecs").ok());
  EXPECT_FALSE(ParseByteSize("MiB").ok());
  EXPECT_FALSE(ParseByteSize("-1").ok());
  EXPECT_FALSE(ParseByteSize("0.5B").ok());
  EXPECT_NE(ParseByteSize("x").status().message().find("not a byte size"), std::string::npos);
}

TEST(UnitsTest, Durations) {
  EXPECT_EQ(ParseDuration("250ms")->count(), 250);
  EXPECT_EQ(ParseDuration("5s")->count(), 5000);
  EXPECT_EQ(ParseDuration("5")->count(), 5000);
  EXPECT_EQ(ParseDuration("2m")->count(), 120000);
  EXPECT_EQ(ParseDuration("1h")->count(), 3600000);
  EXPECT_FALSE(ParseDuration("5 fortnights").ok());
}

TEST(UnitsTest, FormatDurationUsesTheLargestExactUnitAndReadsBack) {
  using std::chrono::milliseconds;
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0s"},      {250, "250ms"},   {1500, "1500ms"},  {90'000, "90s"},
      {60'000, "1m"}, {900'000, "15m"}, {3'600'000, "1h"}, {5'400'000, "90m"}};
  for (const auto& [ms, text] : cases) {
    EXPECT_EQ(FormatDuration(milliseconds(ms)), text);
    EXPECT_EQ(ParseDuration(FormatDuration(milliseconds(ms)))->count(), ms) << text;
  }
}

TEST(UnitsTest, FormatBytes) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(uint64_t{256} << 20), "256.0 MiB");
}

}  // namespace
}  // namespace lifeboat

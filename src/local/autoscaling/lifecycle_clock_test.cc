#include "local/autoscaling/lifecycle_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ScaledClockTest, SimulatedTimeRunsScaleTimesFaster) {
  ScaledClock clock(1000);
  const auto real_start = std::chrono::steady_clock::now();
  const nanoseconds sim_start = clock.Now();
  std::this_thread::sleep_for(milliseconds(50));
  const nanoseconds sim = clock.Now() - sim_start;
  const auto real = std::chrono::steady_clock::now() - real_start;
  // 50 ms of real time is about 50 simulated seconds.
  EXPECT_GE(sim, seconds(50));
  EXPECT_LE(sim, std::chrono::duration_cast<nanoseconds>(real) * 1000 + milliseconds(1));
}

TEST(ScaledClockTest, SteadyAtInvertsTheScale) {
  ScaledClock clock(100);
  const auto a = clock.SteadyAt(seconds(0));
  const auto b = clock.SteadyAt(seconds(3600));  // an hour simulated is 36 s real
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(b - a), milliseconds(36000));
  // Deadlines far away saturate instead of overflowing.
  EXPECT_GT(clock.SteadyAt(nanoseconds(INT64_MAX)), b);
}

TEST(ManualClockTest, MovesOnlyWhenAdvanced) {
  ManualClock clock;
  const auto wall = clock.WallNow();
  EXPECT_EQ(clock.Now(), nanoseconds(0));
  clock.Advance(seconds(90));
  EXPECT_EQ(clock.Now(), seconds(90));
  EXPECT_EQ(clock.WallNow() - wall, seconds(90));
}

}  // namespace
}  // namespace lifeboat

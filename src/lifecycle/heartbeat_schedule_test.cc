#include "lifecycle/heartbeat_schedule.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Step = HeartbeatSchedule::Step;

constexpr SteadyTime kStart{seconds(1000)};

HeldAction Action(seconds heartbeat, seconds global, bool start_known = true) {
  HeldAction a;
  a.heartbeat_timeout = heartbeat;
  a.global_timeout = global;
  a.wait_started = kStart;
  a.wait_start_known = start_known;
  return a;
}

TEST(HeartbeatScheduleTest, BeatsEveryThirdOfTheHeartbeatTimeout) {
  HeartbeatSchedule s(Action(seconds(300), seconds(30000)), {});
  EXPECT_EQ(s.interval(), seconds(100));
  EXPECT_EQ(s.Decide(kStart + seconds(99), kStart), Step::kWait);
  EXPECT_EQ(s.NextDecision(kStart), kStart + seconds(100));
  EXPECT_EQ(s.Decide(kStart + seconds(100), kStart), Step::kBeat);
  s.Beaten(kStart + seconds(101));  // the call took a second
  EXPECT_EQ(s.Decide(kStart + seconds(150), kStart), Step::kWait);
  EXPECT_EQ(s.NextDecision(kStart), kStart + seconds(201));
}

TEST(HeartbeatScheduleTest, AnIntervalOverrideNeverLetsHalfTheTimeoutPass) {
  HeartbeatSchedule fast(Action(seconds(300), seconds(30000)), {milliseconds(5000), {}});
  EXPECT_EQ(fast.interval(), seconds(5));
  HeartbeatSchedule slow(Action(seconds(300), seconds(30000)), {seconds(400), {}});
  EXPECT_EQ(slow.interval(), seconds(150));
}

TEST(HeartbeatScheduleTest, BeatsAtOnceWhenTheWaitMayHaveStartedEarlier) {
  HeartbeatSchedule s(Action(seconds(300), seconds(30000), /*start_known=*/false), {});
  EXPECT_EQ(s.Decide(kStart, kStart), Step::kBeat);
  EXPECT_LE(s.NextDecision(kStart), kStart);
  s.Beaten(kStart);
  EXPECT_EQ(s.Decide(kStart + seconds(1), kStart), Step::kWait);
}

TEST(HeartbeatScheduleTest, GivesUpBeforeTheGlobalTimeout) {
  // 30 s hooks: global timeout 3000 s; the margin is one interval (10 s).
  HeartbeatSchedule s(Action(seconds(30), seconds(3000)), {seconds(0), seconds(0)});
  EXPECT_EQ(s.give_up_at(), kStart + seconds(2990));
  EXPECT_EQ(s.Decide(kStart + seconds(2989), kStart + seconds(2989)), Step::kBeat);
  s.Beaten(kStart + seconds(2989));
  EXPECT_EQ(s.NextDecision(kStart + seconds(2989)), kStart + seconds(2990));
  EXPECT_EQ(s.Decide(kStart + seconds(2990), kStart + seconds(2990)), Step::kGiveUpGlobal);
}

TEST(HeartbeatScheduleTest, TheMarginOfALongHoldIsAMinute) {
  // 2 h hooks (interval 40 min) may hold 48 h; completing takes seconds, not 40 minutes.
  HeartbeatSchedule s(Action(seconds(7200), seconds(172800)), {});
  EXPECT_EQ(s.give_up_at(), kStart + seconds(172800 - 60));
}

TEST(HeartbeatScheduleTest, GivesUpWhenNoByteMovedForTheStallTimeout) {
  HeartbeatSchedule s(Action(seconds(300), seconds(30000)), {seconds(0), seconds(600)});
  const SteadyTime progress = kStart + seconds(50);
  s.Beaten(kStart + seconds(600));
  EXPECT_EQ(s.Decide(kStart + seconds(649), progress), Step::kWait);
  EXPECT_EQ(s.NextDecision(progress), kStart + seconds(650));
  EXPECT_EQ(s.Decide(kStart + seconds(650), progress), Step::kGiveUpStalled);
  // A stall timeout of 0 never gives up.
  HeartbeatSchedule patient(Action(seconds(300), seconds(30000)), {seconds(0), seconds(0)});
  patient.Beaten(kStart + seconds(5000));
  EXPECT_EQ(patient.Decide(kStart + seconds(5001), kStart), Step::kWait);
}

}  // namespace
}  // namespace lifeboat

#include "lifecycle/lifecycle_keeper.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fakes/fake_autoscaling.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using State = Completion::State;

HeldAction Action(SteadyTime started, seconds heartbeat = seconds(300),
                  seconds global = seconds(30000)) {
  HeldAction a;
  a.ref = {"web", "lifeboat", "tok-1", "i-0123456789abcdef0"};
  a.heartbeat_timeout = heartbeat;
  a.global_timeout = global;
  a.wait_started = started;
  return a;
}

class LifecycleKeeperTest : public ::testing::Test {
 protected:
  SteadyTime Now() { return env_.SteadyNow(); }
  MemEnv env_;
  FakeAutoScaling api_;
  Metrics metrics_;
  std::atomic<uint64_t> progress_{0};
  std::function<uint64_t()> Progress() {
    return [this] { return progress_.load(); };
  }
};

TEST_F(LifecycleKeeperTest, BeatsOnScheduleAndCompletesWithContinueOnce) {
  const SteadyTime start = Now();
  LifecycleKeeper keeper(api_, env_, Action(start), {}, Progress(), &metrics_);
  auto next = keeper.Tick(start + seconds(50));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, start + seconds(100));
  EXPECT_TRUE(api_.heartbeats().empty());
  keeper.Tick(start + seconds(100));
  keeper.Tick(start + seconds(150));
  keeper.Tick(start + seconds(200));
  ASSERT_EQ(api_.heartbeats().size(), 2u);
  EXPECT_EQ(api_.heartbeats()[0].action.token, "tok-1");
  EXPECT_EQ(keeper.heartbeats(), 2);

  env_.Advance(seconds(230));
  Completion c = keeper.Succeeded();
  EXPECT_EQ(c.state, State::kCompleted);
  EXPECT_EQ(c.result, "CONTINUE");
  EXPECT_EQ(c.heartbeats, 2);
  EXPECT_EQ(c.held, seconds(230));
  EXPECT_TRUE(c.released());
  // Later calls, of either kind, return the first outcome without calling Auto Scaling.
  EXPECT_EQ(keeper.Failed("late").result, "CONTINUE");
  EXPECT_EQ(keeper.Succeeded().state, State::kCompleted);
  ASSERT_EQ(api_.completions().size(), 1u);
  EXPECT_EQ(api_.completions()[0].result, "CONTINUE");
  EXPECT_EQ(api_.completions()[0].action.instance_id, "i-0123456789abcdef0");
  EXPECT_FALSE(keeper.Tick(start + seconds(400)).has_value()) << "nothing left to do";
  EXPECT_EQ(metrics_.Value("lifeboat_lifecycle_completions_total", {{"result", "CONTINUE"}}), 1);
  EXPECT_EQ(metrics_.Value("lifeboat_lifecycle_heartbeats_total"), 2);
  EXPECT_EQ(metrics_.Value("lifeboat_lifecycle_failures_total", {{"result", "CONTINUE"}}), 0);
}

TEST_F(LifecycleKeeperTest, FailureUsesTheConfiguredResultAndCountsIt) {
  KeeperOptions options;
  options.on_failure = "CONTINUE";
  LifecycleKeeper keeper(api_, env_, Action(Now()), options, Progress(), &metrics_);
  Completion c = keeper.Failed("2 of 3 files not stored");
  EXPECT_EQ(c.result, "CONTINUE");
  EXPECT_EQ(c.reason, "2 of 3 files not stored");
  EXPECT_EQ(metrics_.Value("lifeboat_lifecycle_failures_total", {{"result", "CONTINUE"}}), 1);

  LifecycleKeeper abandoning(api_, env_, Action(Now()), {}, Progress(), &metrics_);
  EXPECT_EQ(abandoning.Failed("no").result, "ABANDON");
}

TEST_F(LifecycleKeeperTest, NoActiveActionMeansSomeoneElseCompletedIt) {
  LifecycleKeeper keeper(api_, env_, Action(Now()), {}, Progress(), &metrics_);
  api_.FailNext(FakeAutoScaling::Op::kComplete, FakeAutoScaling::NoActiveLifecycleAction());
  Completion c = keeper.Succeeded();
  EXPECT_EQ(c.state, State::kAlreadyDone);
  EXPECT_TRUE(c.released());
  EXPECT_NE(c.error.find("No active Lifecycle Action"), std::string::npos);
  EXPECT_EQ(api_.completions().size(), 1u) << "not retried";
}

TEST_F(LifecycleKeeperTest, AFailedCompletionIsReported) {
  LifecycleKeeper keeper(api_, env_, Action(Now()), {}, Progress(), &metrics_);
  api_.FailNext(FakeAutoScaling::Op::kComplete,
                Status::PermissionDenied("AccessDenied: not authorized"));
  Completion c = keeper.Succeeded();
  EXPECT_EQ(c.state, State::kFailed);
  EXPECT_FALSE(c.released());
  EXPECT_NE(c.error.find("AccessDenied"), std::string::npos);
}

TEST_F(LifecycleKeeperTest, HeartbeatsStopWhenTheActionIsNoLongerWaiting) {
  const SteadyTime start = Now();
  LifecycleKeeper keeper(api_, env_, Action(start), {}, Progress());
  api_.FailNext(FakeAutoScaling::Op::kHeartbeat, FakeAutoScaling::NoActiveLifecycleAction());
  EXPECT_FALSE(keeper.Tick(start + seconds(100)).has_value());
  EXPECT_FALSE(keeper.Tick(start + seconds(200)).has_value());
  EXPECT_EQ(api_.heartbeats().size(), 1u);
  EXPECT_FALSE(keeper.completion().has_value()) << "nothing was completed";
}

TEST_F(LifecycleKeeperTest, AFailedHeartbeatIsTriedAgainAtTheNextBeat) {
  const SteadyTime start = Now();
  LifecycleKeeper keeper(api_, env_, Action(start), {}, Progress());
  api_.FailNext(FakeAutoScaling::Op::kHeartbeat, Status::Unavailable("timeout"));
  keeper.Tick(start + seconds(100));
  keeper.Tick(start + seconds(200));
  EXPECT_EQ(api_.heartbeats().size(), 2u);
  EXPECT_EQ(keeper.heartbeats(), 1);
}

TEST_F(LifecycleKeeperTest, GivesUpWithTheFailureResultBeforeTheGlobalTimeout) {
  const SteadyTime start = Now();
  // 30 s hooks: heartbeat every 10 s, global timeout 3000 s, given up 10 s before it.
  LifecycleKeeper keeper(api_, env_, Action(start, seconds(30), seconds(3000)), {}, Progress(),
                         &metrics_);
  SteadyTime t = start;
  std::optional<SteadyTime> next = t;
  int ticks = 0;
  while (next) {
    t = *next;
    ++progress_;  // bytes keep moving: only the global timeout stops the hold
    next = keeper.Tick(t);
    ++ticks;
  }
  EXPECT_EQ(t, start + seconds(2990));
  ASSERT_TRUE(keeper.completion().has_value());
  EXPECT_EQ(keeper.completion()->result, "ABANDON");
  EXPECT_NE(keeper.completion()->reason.find("global timeout"), std::string::npos);
  EXPECT_EQ(api_.heartbeats().size(), 298u);
  EXPECT_EQ(api_.completions().size(), 1u);
}

TEST_F(LifecycleKeeperTest, GivesUpWhenNothingMovesForTheStallTimeout) {
  const SteadyTime start = Now();
  KeeperOptions options;
  options.heartbeat.stall_timeout = seconds(600);
  LifecycleKeeper keeper(api_, env_, Action(start), options, Progress());
  progress_ = 10;
  keeper.Tick(start + seconds(100));  // moved since the keeper started
  keeper.Tick(start + seconds(200));
  keeper.Tick(start + seconds(699));
  EXPECT_FALSE(keeper.completion().has_value());
  EXPECT_FALSE(keeper.Tick(start + seconds(700)).has_value());
  ASSERT_TRUE(keeper.completion().has_value());
  EXPECT_NE(keeper.completion()->reason.find("no byte moved for 600 s"), std::string::npos);
}

TEST(LifecycleKeeperThreadTest, TheThreadBeatsUntilTheCompletion) {
  FakeAutoScaling api;
  HeldAction action = Action(Env::Default()->SteadyNow(), seconds(30), seconds(3000));
  KeeperOptions options;
  options.heartbeat.interval = milliseconds(20);
  LifecycleKeeper keeper(api, *Env::Default(), action, options, nullptr);
  keeper.Start();
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (api.heartbeats().size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_GE(api.heartbeats().size(), 3u);
  keeper.Succeeded();
  const size_t beats = api.heartbeats().size();
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(api.heartbeats().size(), beats) << "beating after the completion";
}

TEST(LifecycleResultTest, AcceptsEitherResultInAnyCase) {
  EXPECT_EQ(*ParseLifecycleResult("continue"), "CONTINUE");
  EXPECT_EQ(*ParseLifecycleResult("ABANDON"), "ABANDON");
  auto bad = ParseLifecycleResult("RETRY");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("CONTINUE or ABANDON"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat

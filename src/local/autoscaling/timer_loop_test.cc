// Real-time tests at a high time scale: the timer thread wakes at the scaled deadline
// (within 5%, as the integration tests demand), and a changed schedule is picked up.
#include "local/autoscaling/timer_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "local/autoscaling/local_autoscaling.h"
#include "local/autoscaling/recording_side_effects.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

double MsSince(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

TEST(TimerLoopTest, AWakeFromTheFiringItselfDoesNotSpin) {
  // The engine's every operation wakes the loop, the timer's own firing included.
  ScaledClock clock(1000);
  std::atomic<int> fires{0};
  TimerLoop* self = nullptr;
  TimerLoop loop(
      &clock, [] { return std::optional<std::chrono::nanoseconds>(); },
      [&] {
        ++fires;
        self->Wake();
      });
  self = &loop;
  loop.Start();
  loop.Wake();
  std::this_thread::sleep_for(milliseconds(200));
  loop.Stop();
  EXPECT_EQ(fires.load(), 1);
}

TEST(TimerLoopTest, FiresAtTheScaledDeadlineAndFollowsWake) {
  ScaledClock clock(1000);
  std::mutex mu;
  std::optional<std::chrono::nanoseconds> deadline;
  std::vector<Steady::time_point> fired;
  TimerLoop loop(
      &clock,
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        return deadline;
      },
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        if (deadline && clock.Now() >= *deadline) {
          fired.push_back(Steady::now());
          deadline.reset();
        }
      });
  loop.Start();
  const auto start = Steady::now();
  {
    std::lock_guard<std::mutex> lock(mu);
    deadline = clock.Now() + seconds(400);  // 400 ms real
  }
  loop.Wake();
  std::this_thread::sleep_for(milliseconds(100));
  {
    std::lock_guard<std::mutex> lock(mu);
    deadline = clock.Now() + seconds(100);  // moved earlier: 200 ms after start
  }
  loop.Wake();
  std::this_thread::sleep_for(milliseconds(400));
  loop.Stop();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(fired.size(), 1u);
  const double ms = std::chrono::duration<double, std::milli>(fired[0] - start).count();
  EXPECT_GT(ms, 195);
  EXPECT_LT(ms, 215);
}

// The whole of LocalAutoScaling at --time-scale 1000: a 1000 s heartbeat timeout holds the
// instance in Terminating:Wait for 1 s of real time, a heartbeat at 0.5 s extends it to
// 1.5 s, each within 5%.
TEST(TimerLoopTest, HeartbeatTimeoutAndExtensionAreExactAtHighScale) {
  RecordingInstanceHost host;
  NoopNotificationSink sqs;
  NoopEventSink events;
  LocalAutoScalingOptions options;
  options.time_scale = 1000;
  LocalAutoScaling local(options, &host, &sqs, &events);
  ASSERT_TRUE(local.templates()->Create("web", "", {}, {}, local.clock().WallNow()).ok());
  GroupInput in;
  in.name = "g";
  in.launch_template.name = "web";
  in.min_size = 0;
  in.max_size = 2;
  in.desired_capacity = 2;
  AutoScalingEngine& engine = *local.engine();
  ASSERT_TRUE(engine.CreateGroup(in).ok());
  LifecycleHookInput hook;
  hook.group_name = "g";
  hook.name = "drain";
  hook.transition = "autoscaling:EC2_INSTANCE_TERMINATING";
  hook.heartbeat_timeout = 1000;
  hook.default_result = "CONTINUE";
  ASSERT_TRUE(engine.PutLifecycleHook(hook).ok());
  const auto groups = engine.DescribeGroups({"g"});
  const std::string first = groups[0].instances[0].id;
  const std::string second = groups[0].instances[1].id;

  const auto start = Steady::now();
  ASSERT_TRUE(engine.SetDesiredCapacity("g", 0).ok());
  ASSERT_EQ(engine.FindInstance(first)->state, LifecycleState::kTerminatingWait);
  std::this_thread::sleep_until(start + milliseconds(500));
  ASSERT_TRUE(engine.RecordLifecycleActionHeartbeat("g", "drain", "", second).ok());

  ASSERT_TRUE(host.WaitTerminated(first, seconds(5)));
  const double first_ms = MsSince(start);
  ASSERT_TRUE(host.WaitTerminated(second, seconds(5)));
  const double second_ms = MsSince(start);
  EXPECT_NEAR(first_ms, 1000, 50) << "heartbeat timeout";
  EXPECT_NEAR(second_ms, 1500, 75) << "heartbeat extension";
  EXPECT_EQ(engine.FindInstance(first)->state, LifecycleState::kTerminated);
}

}  // namespace
}  // namespace lifeboat

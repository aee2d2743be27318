#include "controller/sqs_loop.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "fakes/fake_autoscaling.h"
#include "fakes/fake_sqs.h"
#include "fakes/fake_ssm.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

constexpr char kQueue[] = "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle";

std::string Notice(const std::string& instance, const std::string& token,
                   const std::string& transition = "autoscaling:EC2_INSTANCE_TERMINATING") {
  return nlohmann::json{{"LifecycleActionToken", token},
                        {"AutoScalingGroupName", "web"},
                        {"LifecycleHookName", "lifeboat"},
                        {"EC2InstanceId", instance},
                        {"LifecycleTransition", transition}}
      .dump();
}

TEST(SqsLoopTest, SettledNoticesAreDeletedAndOthersLeftInTheQueue) {
  FakeSqs sqs;
  FakeSsm ssm;
  FakeAutoScaling autoscaling;
  autoscaling.SetHooks("web", {FakeAutoScaling::TerminateHook()});
  autoscaling.SetInstance("i-1", "web", "Terminating:Wait");
  autoscaling.SetInstance("i-2", "web", "Terminating:Wait");
  ControllerConfig config;
  config.destination = "s3://logs/fleet";
  config.poll_interval = milliseconds(1);
  LifecycleHandler handler(*Env::Default(), ssm, autoscaling, config);

  sqs.CreateQueue(kQueue);
  sqs.Send(kQueue, Notice("i-1", "t-1"));
  sqs.Send(kQueue, Notice("i-2", "t-2"));
  sqs.Send(kQueue, Notice("i-3", "t-3", "autoscaling:EC2_INSTANCE_LAUNCHING"));
  sqs.Send(kQueue, "garbage");

  std::atomic<bool> stop{false};
  SqsLoopOptions options;
  options.queue_url = kQueue;
  options.wait = std::chrono::seconds(0);
  std::thread loop(
      [&] { EXPECT_TRUE(RunSqsLoop(*Env::Default(), sqs, handler, options, stop).ok()); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sqs.deletes().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  stop = true;
  loop.join();
  EXPECT_EQ(sqs.deletes().size(), 2u);
  EXPECT_EQ(sqs.Size(kQueue), 2u) << "the launch action and the garbage stay for the redrive";
  EXPECT_EQ(autoscaling.completions().size(), 2u);
  EXPECT_EQ(ssm.sent().size(), 2u);
}

}  // namespace
}  // namespace lifeboat

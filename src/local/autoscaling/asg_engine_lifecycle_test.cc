// Lifecycle hook semantics of the engine, one rule per test, on a manual clock.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "local/autoscaling/asg_engine_test_fixture.h"

namespace lifeboat {
namespace {

using LifecycleTest = AsgEngineTest;

TEST_F(LifecycleTest, WithoutHooksInstancesGoStraightInServiceAndOut) {
  MakeGroup("g", 0, 3, 2);
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(State(ids[0]), "InService");
  ASSERT_EQ(host_.launched().size(), 2u);
  EXPECT_EQ(host_.launched()[0].data.user_data, "IyEvYmluL3NoCmVjaG8gaGk=");
  EXPECT_EQ(host_.launched()[0].group_name, "g");
  EXPECT_EQ(host_.target(ids[0]), "InService");

  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  EXPECT_EQ(State(ids[0]), "Terminated");  // the oldest goes first
  EXPECT_EQ(State(ids[1]), "InService");
  EXPECT_EQ(host_.terminated(), std::vector<std::string>{ids[0]});
  EXPECT_EQ(host_.target(ids[0]), "Terminated");
}

TEST_F(LifecycleTest, WithoutALaunchHookAnInstanceIsPendingUntilItHasBooted) {
  host_.set_reports_boot(true);
  MakeGroup("g", 0, 3, 2);
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(State(ids[0]), "Pending");
  EXPECT_EQ(host_.launched().size(), 2u) << "launched at once: the boot is the host's";
  EXPECT_TRUE(events_.events().empty()) << "no launch is successful before the boot";

  engine_.OnInstanceBooted(ids[0]);
  EXPECT_EQ(State(ids[0]), "InService");
  EXPECT_EQ(State(ids[1]), "Pending");
  ASSERT_EQ(events_.events().size(), 1u);
  EXPECT_EQ(events_.events()[0].detail_type, "EC2 Instance Launch Successful");
  engine_.OnInstanceBooted(ids[0]);  // a repeat changes nothing
  EXPECT_EQ(events_.events().size(), 1u);

  // A Pending instance can be terminated; its late boot is ignored.
  ASSERT_TRUE(engine_.TerminateInstance(ids[1], /*decrement=*/true).ok());
  EXPECT_EQ(State(ids[0]), "InService");
  EXPECT_EQ(State(ids[1]), "Terminated");
  engine_.OnInstanceBooted(ids[1]);
  EXPECT_EQ(State(ids[1]), "Terminated");
}

TEST_F(LifecycleTest, ALaunchHookCompletedBeforeTheBootEndsPendingWait) {
  host_.set_reports_boot(true);
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "boot", kLaunching);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  const std::string id = Ids("g")[0];
  EXPECT_EQ(State(id), "Pending:Wait");
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "boot", TokenOf(id, "boot"), "", "CONTINUE").ok());
  EXPECT_EQ(State(id), "InService") << "the hook's completion is the instance's word";
}

TEST_F(LifecycleTest, LaunchHookHoldsPendingWaitUntilContinue) {
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "boot", kLaunching);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(State(ids[0]), "Pending:Wait");
  const std::string token = TokenOf(ids[0], "boot");
  ASSERT_EQ(token.size(), 36u);  // a UUID
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "boot", token, "", "CONTINUE").ok());
  EXPECT_EQ(State(ids[0]), "InService");
}

TEST_F(LifecycleTest, HeartbeatTimeoutAppliesTheDefaultResult) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "drain", kTerminating, 300, "CONTINUE");
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  EXPECT_EQ(State(id), "Terminating:Wait");
  AdvanceSeconds(299.9);
  EXPECT_EQ(State(id), "Terminating:Wait");
  EXPECT_TRUE(host_.terminated().empty());
  AdvanceSeconds(0.1);
  EXPECT_EQ(State(id), "Terminated");
  EXPECT_EQ(host_.terminated(), std::vector<std::string>{id});
}

TEST_F(LifecycleTest, HookDefaultsAreThoseOfAws) {
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "h", kTerminating);
  auto hooks = engine_.DescribeLifecycleHooks("g", {});
  ASSERT_TRUE(hooks.ok());
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].heartbeat_timeout, 3600);
  EXPECT_EQ((*hooks)[0].global_timeout(), 172800);  // min(100 x 3600, 48 h)
  EXPECT_EQ((*hooks)[0].default_result, ActionResult::kAbandon);
}

TEST_F(LifecycleTest, LaunchTimeoutWithDefaultAbandonTerminatesAndReplaces) {
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "boot", kLaunching, 60);  // DefaultResult ABANDON
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  const std::string first = Ids("g")[0];
  AdvanceSeconds(60);
  EXPECT_EQ(State(first), "Terminated");
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 1u);  // the replacement
  EXPECT_NE(ids[0], first);
  EXPECT_EQ(State(ids[0]), "Pending:Wait");
}

TEST_F(LifecycleTest, HeartbeatRestartsTheTimeout) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "drain", kTerminating, 300, "CONTINUE");
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  AdvanceSeconds(200);
  ASSERT_TRUE(engine_.RecordLifecycleActionHeartbeat("g", "drain", "", id).ok());
  AdvanceSeconds(299);  // 499 s in: would have timed out at 300 without the heartbeat
  EXPECT_EQ(State(id), "Terminating:Wait");
  AdvanceSeconds(1);
  EXPECT_EQ(State(id), "Terminated");
}

TEST_F(LifecycleTest, GlobalTimeoutCapsHeartbeats) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "drain", kTerminating, 30, "CONTINUE");  // global: 100 x 30 = 3000 s
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  const std::string token = TokenOf(id, "drain");
  for (int t = 20; t < 3000; t += 20) {
    AdvanceSeconds(20);
    ASSERT_EQ(State(id), "Terminating:Wait") << "at " << t << " s";
    ASSERT_TRUE(engine_.RecordLifecycleActionHeartbeat("g", "drain", token, "").ok());
  }
  AdvanceSeconds(19.9);  // 2999.9 s
  EXPECT_EQ(State(id), "Terminating:Wait");
  AdvanceSeconds(0.1);  // 3000 s: the global timeout, despite the heartbeat 20 s ago
  EXPECT_EQ(State(id), "Terminated");
  Status late = engine_.RecordLifecycleActionHeartbeat("g", "drain", token, "");
  EXPECT_EQ(late.message(), "No active Lifecycle Action found with token " + token);
}

TEST_F(LifecycleTest, CompletionByInstanceId) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "drain", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "drain", "", id, "CONTINUE").ok());
  EXPECT_EQ(State(id), "Terminated");
  Status again = engine_.CompleteLifecycleAction("g", "drain", "", id, "CONTINUE");
  EXPECT_EQ(again.service_code(), "ValidationError");
  EXPECT_EQ(again.message(), "No active Lifecycle Action found with instance ID " + id);
}

TEST_F(LifecycleTest, StaleOrForeignTokenIsAValidationError) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "a", kTerminating);
  PutHook("g", "b", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  const std::string token_a = TokenOf(id, "a");
  // A token only completes the action of its own hook.
  Status wrong_hook = engine_.CompleteLifecycleAction("g", "b", token_a, "", "CONTINUE");
  EXPECT_EQ(wrong_hook.message(), "No active Lifecycle Action found with token " + token_a);
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "a", token_a, "", "CONTINUE").ok());
  Status repeated = engine_.CompleteLifecycleAction("g", "a", token_a, "", "CONTINUE");
  EXPECT_EQ(repeated.service_code(), "ValidationError");
  EXPECT_EQ(repeated.message(), "No active Lifecycle Action found with token " + token_a);
  Status made_up =
      engine_.RecordLifecycleActionHeartbeat("g", "a", "00000000-0000-4000-8000-000000000000", "");
  EXPECT_EQ(made_up.message(),
            "No active Lifecycle Action found with token 00000000-0000-4000-8000-000000000000");
}

TEST_F(LifecycleTest, AllHooksStartTogetherAndAllMustContinue) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "a", kTerminating);
  PutHook("g", "b", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_EQ(ActionsOf(id).size(), 2u);
  EXPECT_NE(TokenOf(id, "a"), TokenOf(id, "b"));
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "a", "", id, "CONTINUE").ok());
  EXPECT_EQ(State(id), "Terminating:Wait");  // b still waits
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "b", "", id, "CONTINUE").ok());
  EXPECT_EQ(State(id), "Terminated");
}

TEST_F(LifecycleTest, AbandonOnATerminateHookSkipsTheRemainingHooks) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "a", kTerminating);
  PutHook("g", "b", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  const std::string token_b = TokenOf(id, "b");
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "a", "", id, "ABANDON").ok());
  EXPECT_EQ(State(id), "Terminated");
  EXPECT_TRUE(ActionsOf(id).empty());
  EXPECT_FALSE(engine_.CompleteLifecycleAction("g", "b", token_b, "", "CONTINUE").ok());
}

TEST_F(LifecycleTest, AbandonOnALaunchHookTerminatesThroughTerminateHooksAndReplaces) {
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "boot1", kLaunching);
  PutHook("g", "boot2", kLaunching);
  PutHook("g", "drain", kTerminating);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  const std::string first = Ids("g")[0];
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "boot1", "", first, "ABANDON").ok());
  EXPECT_EQ(State(first), "Terminating:Wait");
  auto actions = ActionsOf(first);
  ASSERT_EQ(actions.size(), 1u);  // boot2's action ended with boot1's ABANDON
  EXPECT_EQ(actions[0].hook_name, "drain");
  EXPECT_EQ(host_.target(first), "Terminated");
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 2u);  // the abandoned one (terminating) and its replacement
  EXPECT_EQ(State(ids[1]), "Pending:Wait");
}

TEST_F(LifecycleTest, DeletingAHookContinuesItsWaitingActions) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "a", kTerminating);
  PutHook("g", "b", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_TRUE(engine_.DeleteLifecycleHook("g", "a").ok());
  EXPECT_EQ(State(id), "Terminating:Wait");  // b still waits
  ASSERT_TRUE(engine_.DeleteLifecycleHook("g", "b").ok());
  EXPECT_EQ(State(id), "Terminated");
  Status missing = engine_.DeleteLifecycleHook("g", "b");
  EXPECT_EQ(missing.service_code(), "ValidationError");
}

TEST_F(LifecycleTest, RetentionKeepsAnAbandonedInstanceUntilTerminatedByHand) {
  MakeGroup("g", 0, 2, 1, "retain");
  PutHook("g", "drain", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "drain", "", id, "ABANDON").ok());
  EXPECT_EQ(State(id), "Terminating:Retained");
  EXPECT_TRUE(host_.terminated().empty());
  AdvanceSeconds(10 * 172800.0);
  EXPECT_EQ(State(id), "Terminating:Retained");  // no timer ends a retained instance
  auto activity = engine_.TerminateInstance(id, false);
  ASSERT_TRUE(activity.ok()) << activity.status().ToString();
  EXPECT_EQ(State(id), "Terminated");
  EXPECT_EQ(host_.terminated(), std::vector<std::string>{id});
  EXPECT_TRUE(Ids("g").empty());  // desired 0: no replacement
}

TEST_F(LifecycleTest, RetentionAppliesToATimeoutWithDefaultAbandonButNotToContinue) {
  MakeGroup("g", 0, 3, 2, "retain");
  PutHook("g", "drain", kTerminating, 60);  // DefaultResult ABANDON
  auto ids = Ids("g");
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "drain", "", ids[1], "CONTINUE").ok());
  EXPECT_EQ(State(ids[1]), "Terminated");
  AdvanceSeconds(60);
  EXPECT_EQ(State(ids[0]), "Terminating:Retained");
}

TEST_F(LifecycleTest, RetainedInstancesDoNotCountTowardDesiredCapacity) {
  MakeGroup("g", 1, 2, 1, "retain");
  PutHook("g", "drain", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.TerminateInstance(id, false).ok());
  ASSERT_TRUE(engine_.CompleteLifecycleAction("g", "drain", "", id, "ABANDON").ok());
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(State(ids[0]), "Terminating:Retained");
  EXPECT_EQ(State(ids[1]), "InService");
}

TEST_F(LifecycleTest, ATimeoutStartsWhatFollowsAtTheDeadlineItself) {
  MakeGroup("g", 0, 2, 0);
  PutHook("g", "boot", kLaunching, 100);  // ABANDON after 100 s
  PutHook("g", "drain", kTerminating, 50, "CONTINUE");
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  const std::string first = Ids("g")[0];
  // One big step: the launch times out at 100 s, the terminate hook then waits 50 s from
  // there, so at 170 s the instance is long gone.
  AdvanceSeconds(170);
  EXPECT_EQ(State(first), "Terminated");
}

TEST_F(LifecycleTest, TerminatingAPendingWaitInstanceEndsItsLaunchAction) {
  MakeGroup("g", 1, 2, 1);
  const std::string stale = [&] {
    PutHook("g", "boot", kLaunching);
    EXPECT_TRUE(engine_.SetDesiredCapacity("g", 2).ok());
    return Ids("g")[1];
  }();
  const std::string token = TokenOf(stale, "boot");
  ASSERT_TRUE(engine_.TerminateInstance(stale, true).ok());
  EXPECT_EQ(State(stale), "Terminated");
  EXPECT_FALSE(engine_.CompleteLifecycleAction("g", "boot", token, "", "CONTINUE").ok());
}

TEST_F(LifecycleTest, HookNotificationHasAwsShape) {
  MakeGroup("g", 0, 2, 1);
  const std::string queue = "arn:aws:sqs:us-east-1:000000000000:hooks";
  PutHook("g", "drain", kTerminating, 0, "", queue, "{\"bucket\":\"logs\"}");
  ASSERT_EQ(sqs_.messages().size(), 1u);  // the TEST_NOTIFICATION
  auto test = nlohmann::json::parse(sqs_.messages()[0].body);
  EXPECT_EQ(test["Event"], "autoscaling:TEST_NOTIFICATION");
  EXPECT_EQ(test["AutoScalingGroupName"], "g");
  EXPECT_EQ(test["Service"], "AWS Auto Scaling");
  EXPECT_EQ(test["AccountId"], "000000000000");
  EXPECT_TRUE(test.contains("AutoScalingGroupARN") && test.contains("RequestId") &&
              test.contains("Time"));

  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  ASSERT_EQ(sqs_.messages().size(), 2u);
  EXPECT_EQ(sqs_.messages()[1].target, queue);
  const std::string body = sqs_.messages()[1].body;
  auto m = nlohmann::json::parse(body);
  EXPECT_EQ(m["Origin"], "AutoScalingGroup");
  EXPECT_EQ(m["Destination"], "EC2");
  EXPECT_EQ(m["LifecycleHookName"], "drain");
  EXPECT_EQ(m["LifecycleTransition"], kTerminating);
  EXPECT_EQ(m["AutoScalingGroupName"], "g");
  EXPECT_EQ(m["EC2InstanceId"], id);
  EXPECT_EQ(m["LifecycleActionToken"], TokenOf(id, "drain"));
  EXPECT_EQ(m["NotificationMetadata"], "{\"bucket\":\"logs\"}");
  EXPECT_EQ(m["Service"], "AWS Auto Scaling");
  EXPECT_EQ(m["AccountId"], "000000000000");
  EXPECT_EQ(m["Time"].get<std::string>().size(), 24u);  // 2026-01-01T00:00:00.000Z
  // AWS's key order, which some consumers print verbatim.
  EXPECT_LT(body.find("\"Origin\""), body.find("\"LifecycleHookName\""));
  EXPECT_LT(body.find("\"EC2InstanceId\""), body.find("\"LifecycleActionToken\""));
}

TEST_F(LifecycleTest, EveryLifecycleActionIsAnEventBridgeEvent) {
  MakeGroup("g", 0, 2, 1);
  PutHook("g", "drain", kTerminating);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  const RecordingEventSink::Event* action = nullptr;
  auto events = events_.events();
  for (const auto& e : events) {
    if (e.detail_type == "EC2 Instance-terminate Lifecycle Action") action = &e;
  }
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(action->source, "aws.autoscaling");
  ASSERT_EQ(action->resources.size(), 1u);
  EXPECT_EQ(action->resources[0].rfind("arn:aws:autoscaling:us-east-1:000000000000:", 0), 0u);
  auto d = nlohmann::json::parse(action->detail);
  EXPECT_EQ(d["EC2InstanceId"], id);
  EXPECT_EQ(d["LifecycleActionToken"], TokenOf(id, "drain"));
  EXPECT_EQ(d["LifecycleHookName"], "drain");
  EXPECT_EQ(d["Origin"], "AutoScalingGroup");
  EXPECT_EQ(d["Destination"], "EC2");
  EXPECT_FALSE(d.contains("NotificationMetadata"));
}

TEST_F(LifecycleTest, AFailedTestNotificationFailsPutLifecycleHook) {
  MakeGroup("g", 0, 2, 0);
  const std::string queue = "arn:aws:sqs:us-east-1:000000000000:gone";
  sqs_.MakeMissing(queue);
  LifecycleHookInput in;
  in.group_name = "g";
  in.name = "h";
  in.transition = kTerminating;
  in.notification_target_arn = queue;
  Status s = engine_.PutLifecycleHook(in);
  EXPECT_EQ(s.service_code(), "ValidationError");
  EXPECT_EQ(s.message().rfind("Unable to publish test message to notification target " + queue, 0),
            0u);
  EXPECT_TRUE(engine_.DescribeLifecycleHooks("g", {})->empty());
}

TEST_F(LifecycleTest, PutLifecycleHookValidatesAndUpdatesInPlace) {
  MakeGroup("g", 0, 2, 0);
  LifecycleHookInput in;
  in.group_name = "g";
  in.name = "h";
  Status no_transition = engine_.PutLifecycleHook(in);
  EXPECT_EQ(no_transition.service_code(), "ValidationError");
  in.transition = kTerminating;
  for (int bad : {29, 7201}) {
    in.heartbeat_timeout = bad;
    EXPECT_EQ(engine_.PutLifecycleHook(in).service_code(), "ValidationError") << bad;
  }
  in.heartbeat_timeout = 30;
  in.default_result = "CONTINUE";
  ASSERT_TRUE(engine_.PutLifecycleHook(in).ok());
  LifecycleHookInput update;
  update.group_name = "g";
  update.name = "h";
  update.notification_metadata = "m";
  ASSERT_TRUE(engine_.PutLifecycleHook(update).ok());
  auto hooks = engine_.DescribeLifecycleHooks("g", {"h"});
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].heartbeat_timeout, 30);
  EXPECT_EQ((*hooks)[0].global_timeout(), 3000);
  EXPECT_EQ((*hooks)[0].default_result, ActionResult::kContinue);
  EXPECT_EQ((*hooks)[0].notification_metadata, "m");
  EXPECT_EQ((*hooks)[0].transition, LifecycleTransition::kTerminating);
  in.name = "bad name";
  EXPECT_EQ(engine_.PutLifecycleHook(in).service_code(), "ValidationError");
}

}  // namespace
}  // namespace lifeboat

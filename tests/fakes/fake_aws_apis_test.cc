// The fakes other tests lean on behave as their headers say.
#include <gtest/gtest.h>

#include "fakes/fake_autoscaling.h"
#include "fakes/fake_sqs.h"
#include "fakes/fake_ssm.h"

namespace lifeboat {
namespace {

TEST(AutoScalingFakeTest, RecordsCallsAndFailsTheScriptedOnes) {
  FakeAutoScaling as;
  as.FailNext(FakeAutoScaling::Op::kComplete, FakeAutoScaling::NoActiveLifecycleAction("t"));
  const LifecycleActionRef ref{.group = "web", .hook = "h", .token = "t"};
  Status stale = as.CompleteLifecycleAction(ref, "CONTINUE");
  EXPECT_TRUE(IsNoActiveLifecycleAction(stale)) << stale.message();
  EXPECT_TRUE(as.CompleteLifecycleAction(ref, "ABANDON").ok());
  EXPECT_TRUE(as.RecordLifecycleActionHeartbeat(ref).ok());
  auto completions = as.completions();
  ASSERT_EQ(completions.size(), 2u);
  EXPECT_EQ(completions[0].result, "CONTINUE");
  EXPECT_FALSE(completions[0].status.ok());
  EXPECT_EQ(completions[1].result, "ABANDON");
  EXPECT_EQ(completions[1].action.token, "t");
  EXPECT_EQ(as.heartbeats().size(), 1u);
  EXPECT_EQ(as.calls().size(), 3u);
}

TEST(AutoScalingFakeTest, AnswersHooksAndInstances) {
  FakeAutoScaling as;
  as.SetHooks("web", {{.name = "h", .group = "web", .heartbeat_timeout = 30}});
  as.SetInstance("i-1", "web", "Terminating:Wait");
  auto hooks = as.DescribeLifecycleHooks("web");
  ASSERT_TRUE(hooks.ok());
  EXPECT_EQ((*hooks)[0].heartbeat_timeout, 30);
  EXPECT_EQ(as.DescribeLifecycleHooks("nope").status().service_code(), "ValidationError");
  auto instance = as.DescribeAutoScalingInstance("i-1");
  ASSERT_TRUE(instance.ok() && instance->has_value());
  EXPECT_EQ((*instance)->lifecycle_state, "Terminating:Wait");
  EXPECT_FALSE(as.DescribeAutoScalingInstance("i-2")->has_value());
}

TEST(SqsFakeTest, VisibilityTimeoutsHideAndReturnMessages) {
  FakeSqs sqs;
  sqs.CreateQueue("q", /*visibility_timeout=*/30);
  sqs.Send("q", "a");
  auto first = sqs.ReceiveMessage("q", {});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_EQ((*first)[0].attributes.at("SentTimestamp"), "1700000000000");
  EXPECT_TRUE(sqs.ReceiveMessage("q", {})->empty());
  sqs.Advance(std::chrono::seconds(30));
  auto again = sqs.ReceiveMessage("q", {});
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attributes.at("ApproximateReceiveCount"), "2");
  // The first receipt handle is stale now.
  EXPECT_EQ(sqs.DeleteMessage("q", (*first)[0].receipt_handle).service_code(),
            "ReceiptHandleIsInvalid");
  EXPECT_TRUE(sqs.ChangeMessageVisibility("q", (*again)[0].receipt_handle, 0).ok());
  auto visible = sqs.ReceiveMessage("q", {.visibility_timeout = 5});
  ASSERT_EQ(visible->size(), 1u);
  EXPECT_TRUE(sqs.DeleteMessage("q", (*visible)[0].receipt_handle).ok());
  EXPECT_EQ(sqs.Size("q"), 0u);
  EXPECT_EQ(sqs.deletes().size(), 2u);
  ASSERT_EQ(sqs.visibility_changes().size(), 1u);
  EXPECT_EQ(sqs.visibility_changes()[0].seconds, 0);
  EXPECT_EQ(sqs.ReceiveMessage("missing", {}).status().code(), StatusCode::kNotFound);
}

TEST(SqsFakeTest, RunsOnAClockItIsGiven) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(100));
  FakeSqs sqs([&now] { return now; });
  sqs.Send("q", "a");
  ASSERT_EQ(sqs.ReceiveMessage("q", {.visibility_timeout = 10})->size(), 1u);
  now += std::chrono::seconds(9);
  EXPECT_TRUE(sqs.ReceiveMessage("q", {})->empty());
  now += std::chrono::seconds(1);
  EXPECT_EQ(sqs.ReceiveMessage("q", {})->size(), 1u);
  sqs.FailNext(FakeSqs::Op::kReceive, Status::Unavailable("down"));
  EXPECT_EQ(sqs.ReceiveMessage("q", {}).status().code(), StatusCode::kUnavailable);
}

TEST(SsmFakeTest, InvalidInstanceIdFirstThenInvocationsAdvance) {
  FakeSsm ssm;
  ssm.FailSendCommand(2);
  SendCommandRequest request{.document_name = "Lifeboat-Drain", .instance_ids = {"i-1"}};
  EXPECT_EQ(ssm.SendCommand(request).status().service_code(), "InvalidInstanceId");
  EXPECT_EQ(ssm.SendCommand(request).status().service_code(), "InvalidInstanceId");
  auto command = ssm.SendCommand(request);
  ASSERT_TRUE(command.ok());
  EXPECT_EQ(command->command_id, "cmd-1");
  EXPECT_EQ(ssm.sent().size(), 3u);
  EXPECT_EQ(ssm.ListCommands("i-1", "Lifeboat-Drain")->at(0).status, "Pending");
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-1", "i-1")->status, "InProgress");
  auto done = ssm.GetCommandInvocation("cmd-1", "i-1");
  EXPECT_EQ(done->status, "Success");
  EXPECT_EQ(done->response_code, 0);
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-1", "i-1")->status, "Success");
  EXPECT_EQ(ssm.invocation_queries().size(), 3u);
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-1", "i-2").status().service_code(),
            "InvocationDoesNotExist");
}

TEST(SsmFakeTest, ScriptedStepsSetStatesAndListing) {
  FakeSsm ssm;
  ssm.SetInvocationSteps({FakeSsm::Step("InProgress"), FakeSsm::Step("Failed", 2, "oops")});
  ssm.FailGetInvocation(1);
  ASSERT_TRUE(ssm.SendCommand({.document_name = "A", .instance_ids = {"i-1"}}).ok());
  ASSERT_TRUE(ssm.SendCommand({.document_name = "B", .instance_ids = {"i-1", "i-2"}}).ok());
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-2", "i-1").status().code(), StatusCode::kNotFound);
  ssm.SetInvocation("cmd-1", "i-1", FakeSsm::Step("Cancelled"));
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-1", "i-1")->status, "Cancelled");
  EXPECT_EQ(ssm.GetCommandInvocation("cmd-2", "i-2")->status, "InProgress");
  auto failed = ssm.GetCommandInvocation("cmd-2", "i-2");
  EXPECT_EQ(failed->standard_output, "oops");
  EXPECT_EQ(failed->response_code, 2);
  auto all = ssm.ListCommands("i-1", "");
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].command_id, "cmd-2");  // newest first
  EXPECT_EQ((*all)[1].status, "Cancelled");
  EXPECT_EQ(ssm.ListCommands("i-2", "A")->size(), 0u);
  EXPECT_EQ(ssm.ListCommands("i-2", "B")->at(0).status, "Failed");
}

}  // namespace
}  // namespace lifeboat

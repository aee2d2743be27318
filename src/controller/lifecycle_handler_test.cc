#include "controller/lifecycle_handler.h"

#include <gtest/gtest.h>

#include "fakes/fake_autoscaling.h"
#include "fakes/fake_ssm.h"
#include "fakes/mem_env.h"
#include "lifecycle/completion_line.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Op = FakeAutoScaling::Op;

constexpr char kInstance[] = "i-0123456789abcdef0";
constexpr char kToken[] = "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28";

LifecycleNotice Notice(std::string token = kToken) {
  LifecycleNotice n;
  n.instance_id = kInstance;
  n.group = "web";
  n.hook = "lifeboat";
  n.token = std::move(token);
  n.transition = std::string(kTerminatingTransition);
  return n;
}

class LifecycleHandlerTest : public ::testing::Test {
 protected:
  LifecycleHandlerTest() {
    autoscaling_.SetHooks("web", {FakeAutoScaling::TerminateHook()});
    autoscaling_.SetInstance(kInstance, "web", "Terminating:Wait");
    config_.destination = "s3://logs/fleet";
  }
  LifecycleHandler Handler() { return LifecycleHandler(env_, ssm_, autoscaling_, config_); }
  static CommandInvocation SettledBy(std::string status, int code) {
    return FakeSsm::Step(std::move(status), code,
                         "lifeboat: evacuated\n" +
                             CompletedLine("web/lifeboat for " + std::string(kInstance),
                                           code == 0 ? "CONTINUE" : "ABANDON") +
                             "\n");
  }

  MemEnv env_;
  FakeSsm ssm_;
  FakeAutoScaling autoscaling_;
  ControllerConfig config_;
};

TEST_F(LifecycleHandlerTest, SendsTheDocumentAndLeavesACompletionDoneByTheInstance) {
  ssm_.SetInvocationSteps({FakeSsm::Step("InProgress"), SettledBy("Success", 0)});
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed-by-instance");
  EXPECT_TRUE(out.settled);
  EXPECT_EQ(out.command_id, "cmd-1");
  EXPECT_EQ(out.command_status, "Success");
  EXPECT_GE(out.seconds_to_send, 0);
  EXPECT_TRUE(autoscaling_.completions().empty()) << "completed twice";
  ASSERT_EQ(ssm_.sent().size(), 1u);
  const SendCommandRequest sent = ssm_.sent()[0];
  EXPECT_EQ(sent.document_name, "lifeboat-evacuate");
  EXPECT_EQ(sent.instance_ids, std::vector<std::string>{kInstance});
  EXPECT_EQ(sent.comment, CommandComment(kToken));
  EXPECT_EQ(sent.parameters.at("token"), std::vector<std::string>{kToken});
  EXPECT_EQ(sent.parameters.at("destination"), std::vector<std::string>{"s3://logs/fleet"});
  EXPECT_EQ(sent.timeout_seconds, 300);
  nlohmann::json line = out.ToJson();
  EXPECT_EQ(line["instance_id"], kInstance);
  EXPECT_EQ(line["outcome"], "completed-by-instance");
  EXPECT_EQ(line["command_id"], "cmd-1");
}

TEST_F(LifecycleHandlerTest, CompletesWithContinueWhenTheCommandDidNot) {
  auto handler = Handler();  // the fake's default script: InProgress, Success, no output
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed");
  EXPECT_EQ(out.result, "CONTINUE");
  ASSERT_EQ(autoscaling_.completions().size(), 1u);
  EXPECT_EQ(autoscaling_.completions()[0].action.token, kToken);
}

TEST_F(LifecycleHandlerTest, AFailedCommandGetsTheConfiguredResult) {
  ssm_.SetInvocationSteps({FakeSsm::Step("Failed", 127)});
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed");
  EXPECT_EQ(out.result, "ABANDON");
  EXPECT_NE(out.reason.find("exit 127"), std::string::npos) << out.reason;
  ASSERT_EQ(autoscaling_.completions().size(), 1u);
  EXPECT_EQ(autoscaling_.completions()[0].result, "ABANDON");
}

TEST_F(LifecycleHandlerTest, ACommandKilledByTheTerminationItAllowedIsNotCompletedAgain) {
  // The instance completed the action; its termination killed the command (SIGTERM) before
  // its output was saved.
  ssm_.SetInvocationSteps({FakeSsm::Step("InProgress"), FakeSsm::Step("Failed", 143)});
  auto handler = Handler();
  autoscaling_.SetInstance(kInstance, "web", "Terminating:Proceed");
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "already-ended");
  EXPECT_TRUE(out.settled);
  EXPECT_NE(out.reason.find("Terminating:Proceed"), std::string::npos);
  EXPECT_TRUE(autoscaling_.completions().empty());
}

TEST_F(LifecycleHandlerTest, ACommandThatCannotBeFollowedIsLeftToTheInstance) {
  ssm_.FailGetInvocation(1, Status::PermissionDenied("AccessDenied: not authorized"));
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "error");
  EXPECT_NE(out.error.find("AccessDenied"), std::string::npos);
  EXPECT_TRUE(autoscaling_.completions().empty());
  EXPECT_EQ(ssm_.invocation_queries().size(), 1u) << "no point in asking again";
}

TEST_F(LifecycleHandlerTest, RetriesInvalidInstanceIdWhileTheAgentComesOnline) {
  ssm_.FailSendCommand(3);
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed");
  EXPECT_EQ(ssm_.sent().size(), 4u);
  EXPECT_GE(env_.total_slept(), seconds(7)) << "1 + 2 + 4 s of backoff";
}

// The event came after the action ended: the first heartbeat says so, and the handler
// stops at once instead of sending the command until the Lambda deadline.
TEST_F(LifecycleHandlerTest, AnActionThatEndedStopsTheHandlerAtOnce) {
  ssm_.FailSendCommand(1000);
  config_.send_retry_window = seconds(600);
  autoscaling_.FailNext(FakeAutoScaling::Op::kHeartbeat, FakeAutoScaling::NoActiveLifecycleAction(kToken));
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "already-ended");
  EXPECT_TRUE(out.settled);
  EXPECT_LT(ssm_.sent().size(), 4u) << "no retries after the action ended";
}

TEST_F(LifecycleHandlerTest, GivesTheFailureResultWhenTheInstanceNeverComesOnline) {
  ssm_.FailSendCommand(1000);
  config_.send_retry_window = seconds(60);
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed");
  EXPECT_EQ(out.result, "ABANDON");
  EXPECT_NE(out.reason.find("InvalidInstanceId"), std::string::npos);
  EXPECT_LT(ssm_.sent().size(), 15u);
}

TEST_F(LifecycleHandlerTest, AnotherDocumentsErrorIsNotRetried) {
  ssm_.FailSendCommand(
      1, Status(StatusCode::kInvalidArgument, "InvalidDocument: no such", "InvalidDocument"));
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(ssm_.sent().size(), 1u);
  EXPECT_EQ(out.result, "ABANDON");
}

TEST_F(LifecycleHandlerTest, ARedeliveryFollowsTheCommandAnEarlierControllerSent) {
  {
    auto crashed = Handler();  // sends, then "crashes" (never sees the end)
    ssm_.SetInvocationSteps({SettledBy("Success", 0)});
    SendCommandRequest r;
    r.document_name = "lifeboat-evacuate";
    r.instance_ids = {kInstance};
    r.comment = CommandComment(kToken);
    ASSERT_TRUE(ssm_.SendCommand(r).ok());
  }
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "completed-by-instance");
  EXPECT_EQ(out.command_id, "cmd-1");
  EXPECT_EQ(ssm_.sent().size(), 1u) << "a second command was sent";
}

TEST_F(LifecycleHandlerTest, DuplicatesOfATokenAreHandledOnce) {
  auto handler = Handler();
  EXPECT_EQ(handler.Handle(Notice()).outcome, "completed");
  HandlerOutcome again = handler.Handle(Notice());
  EXPECT_EQ(again.outcome, "duplicate");
  EXPECT_TRUE(again.settled);
  EXPECT_EQ(ssm_.sent().size(), 1u);
  EXPECT_EQ(autoscaling_.completions().size(), 1u);
}

TEST_F(LifecycleHandlerTest, AtTheDeadlineTheInstanceIsLeftToComplete) {
  ssm_.SetInvocationSteps({FakeSsm::Step("InProgress")});
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice(), HandlerLimits{env_.SteadyNow() + seconds(10)});
  EXPECT_EQ(out.outcome, "handed-over");
  EXPECT_TRUE(out.settled);
  EXPECT_FALSE(out.retry);
  EXPECT_TRUE(autoscaling_.completions().empty());
}

TEST_F(LifecycleHandlerTest, ADeadlineBeforeTheCommandWentOutAsksForARetry) {
  // Tries at 0, 1 and 3 s; the next pause would pass the 5 s deadline.
  ssm_.FailSendCommand(3);
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice(), HandlerLimits{env_.SteadyNow() + seconds(5)});
  EXPECT_EQ(out.outcome, "error");
  EXPECT_TRUE(out.retry);
  EXPECT_FALSE(out.settled);
  EXPECT_EQ(ssm_.sent().size(), 3u);
  EXPECT_TRUE(autoscaling_.completions().empty());
  // The next delivery tries again: it is not taken for a duplicate.
  HandlerOutcome again = handler.Handle(Notice());
  EXPECT_EQ(again.outcome, "completed");
  EXPECT_EQ(ssm_.sent().size(), 4u);
}

TEST_F(LifecycleHandlerTest, AnActionThatAlreadyEndedIsSettled) {
  autoscaling_.FailNext(Op::kComplete, FakeAutoScaling::NoActiveLifecycleAction(kToken));
  auto handler = Handler();
  HandlerOutcome out = handler.Handle(Notice());
  EXPECT_EQ(out.outcome, "already-ended");
  EXPECT_TRUE(out.settled);
}

TEST_F(LifecycleHandlerTest, TestNotificationsAndLaunchActionsAreSkipped) {
  auto handler = Handler();
  LifecycleNotice test;
  test.kind = LifecycleNotice::Kind::kTestNotification;
  HandlerOutcome skipped = handler.Handle(test);
  EXPECT_EQ(skipped.outcome, "skipped");
  EXPECT_TRUE(skipped.settled);
  LifecycleNotice launch = Notice();
  launch.transition = std::string(kLaunchingTransition);
  HandlerOutcome other = handler.Handle(launch);
  EXPECT_EQ(other.outcome, "skipped");
  EXPECT_FALSE(other.settled) << "someone else's to complete";
  EXPECT_TRUE(ssm_.sent().empty());
}

}  // namespace
}  // namespace lifeboat

#include "local/lambda/runtime_channel.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <thread>

namespace lifeboat {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

Invocation MakeInvocation(const std::string& id, const std::string& payload = R"({"a":1})") {
  Invocation inv;
  inv.request_id = id;
  inv.payload = payload;
  inv.function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
  inv.trace_id = "Root=1-00000000-000000000000000000000000;Sampled=0";
  return inv;
}

int64_t NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class RuntimeChannelTest : public ::testing::Test {
 protected:
  // Runs `invocation` on another thread, as the Lambda service's request thread would.
  std::future<InvocationOutcome> Start(const Invocation& invocation,
                                       milliseconds timeout = milliseconds(5000),
                                       milliseconds init_timeout = milliseconds(5000)) {
    return std::async(std::launch::async,
                      [=, this] { return channel_.Run(invocation, timeout, init_timeout); });
  }

  RuntimeChannel channel_{Env::Default()};
};

TEST_F(RuntimeChannelTest, NextDeliversTheEventAndTheResponseEndsTheInvocation) {
  auto outcome = Start(MakeInvocation("req-1"), milliseconds(3000));
  int64_t before = NowMs();
  auto next = channel_.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->invocation.request_id, "req-1");
  EXPECT_EQ(next->invocation.payload, R"({"a":1})");
  EXPECT_EQ(next->invocation.function_arn, "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_GE(next->deadline_ms, before + 3000);
  EXPECT_LE(next->deadline_ms, NowMs() + 3000);

  RuntimeReply reply = channel_.Respond("req-1", R"({"ok":true})");
  EXPECT_EQ(reply.status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kResponse);
  EXPECT_EQ(result.body, R"({"ok":true})");
  EXPECT_TRUE(channel_.Reusable());

  // A second answer, or an answer for an unknown id, is refused as Lambda refuses it.
  EXPECT_EQ(channel_.Respond("req-1", "again").status, 403);
  EXPECT_EQ(json::parse(channel_.Respond("other", "x").body)["errorType"], "InvalidRequestID");
  EXPECT_EQ(channel_.Respond("other", "x").status, 400);
}

TEST_F(RuntimeChannelTest, AWarmRuntimeServesOneInvocationAfterAnother) {
  std::thread runtime([this] {
    for (int i = 0; i < 3; ++i) {
      auto next = channel_.Next();
      ASSERT_TRUE(next.has_value());
      channel_.Respond(next->invocation.request_id, "echo:" + next->invocation.payload);
    }
  });
  for (int i = 0; i < 3; ++i) {
    InvocationOutcome result =
        channel_.Run(MakeInvocation("req-" + std::to_string(i), std::to_string(i)),
                     milliseconds(2000), milliseconds(2000));
    EXPECT_EQ(result.kind, OutcomeKind::kResponse);
    EXPECT_EQ(result.body, "echo:" + std::to_string(i));
  }
  runtime.join();
}

TEST_F(RuntimeChannelTest, ErrorPostsPassThroughAndKeepTheEnvironment) {
  auto outcome = Start(MakeInvocation("req-e"));
  auto next = channel_.Next();
  ASSERT_TRUE(next.has_value());
  std::string document = R"({"errorMessage":"boom","errorType":"ValueError","stackTrace":[]})";
  EXPECT_EQ(channel_.Fail("req-e", "ValueError", document).status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kFunctionError);
  EXPECT_EQ(result.body, document);
  EXPECT_TRUE(channel_.Reusable());

  // An empty error post still gives the caller a document, with the header's type.
  auto second = Start(MakeInvocation("req-f"));
  ASSERT_TRUE(channel_.Next().has_value());
  channel_.Fail("req-f", "Runtime.Custom", "");
  json body = json::parse(second.get().body);
  EXPECT_EQ(body["errorType"], "Runtime.Custom");
}

TEST_F(RuntimeChannelTest, AnInvocationPastItsTimeoutFailsAsSandboxTimedout) {
  auto outcome = Start(MakeInvocation("req-t"), milliseconds(150));
  ASSERT_TRUE(channel_.Next().has_value());  // taken, never answered
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kTimedOut);
  json body = json::parse(result.body);
  EXPECT_EQ(body["errorType"], "Sandbox.Timedout");
  EXPECT_EQ(body["errorMessage"], "RequestId: req-t Error: Task timed out after 0.15 seconds");
  EXPECT_GE(result.duration, milliseconds(150));
  EXPECT_FALSE(channel_.Reusable());
  // The late answer is refused, and the environment is not used again.
  EXPECT_EQ(channel_.Respond("req-t", "late").status, 403);
  EXPECT_EQ(channel_.Run(MakeInvocation("req-u"), milliseconds(100), milliseconds(100)).kind,
            OutcomeKind::kExited);
}

TEST_F(RuntimeChannelTest, AnInitErrorFailsTheFirstInvocationWithItsDocument) {
  auto outcome = Start(MakeInvocation("req-i"));
  std::string document =
      R"({"errorMessage":"Unable to import module 'x': No module named 'x'","errorType":"Runtime.ImportModuleError"})";
  EXPECT_EQ(channel_.InitFailed("Runtime.ImportModuleError", document).status, 202);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kInitError);
  EXPECT_EQ(result.body, document);
  EXPECT_FALSE(channel_.Reusable());
}

TEST_F(RuntimeChannelTest, InitErrorAfterTheFirstNextIsRefused) {
  auto outcome = Start(MakeInvocation("req-1"));
  ASSERT_TRUE(channel_.Next().has_value());
  EXPECT_EQ(channel_.InitFailed("X", "{}").status, 403);
  channel_.Respond("req-1", "{}");
  EXPECT_EQ(outcome.get().kind, OutcomeKind::kResponse);
}

TEST_F(RuntimeChannelTest, AnExitDuringTheInvocationIsRuntimeExitError) {
  auto outcome = Start(MakeInvocation("req-x"));
  ASSERT_TRUE(channel_.Next().has_value());
  channel_.ProcessExited("exit status 3");
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kExited);
  json body = json::parse(result.body);
  EXPECT_EQ(body["errorType"], "Runtime.ExitError");
  EXPECT_EQ(body["errorMessage"],
            "RequestId: req-x Error: Runtime exited with error: exit status 3");
  EXPECT_FALSE(channel_.Reusable());
}

TEST_F(RuntimeChannelTest, ARuntimeThatNeverAsksForWorkTimesOutItsInit) {
  InvocationOutcome result =
      channel_.Run(MakeInvocation("req-n"), milliseconds(5000), milliseconds(100));
  EXPECT_EQ(result.kind, OutcomeKind::kTimedOut);
  EXPECT_EQ(json::parse(result.body)["errorType"], "Sandbox.Timedout");
  EXPECT_FALSE(channel_.Reusable());
}

TEST_F(RuntimeChannelTest, CloseReleasesAWaitingNextAndFailsRuns) {
  auto next = std::async(std::launch::async, [this] { return channel_.Next(); });
  EXPECT_EQ(next.wait_for(milliseconds(50)), std::future_status::timeout);  // blocks
  channel_.Close();
  EXPECT_FALSE(next.get().has_value());
  EXPECT_EQ(channel_.Run(MakeInvocation("req-c"), milliseconds(100), milliseconds(100)).kind,
            OutcomeKind::kExited);
}

TEST_F(RuntimeChannelTest, AnOversizedResponseIsRefusedAndFailsTheInvocation) {
  auto outcome = Start(MakeInvocation("req-big"));
  ASSERT_TRUE(channel_.Next().has_value());
  EXPECT_EQ(channel_.Respond("req-big", std::string(kMaxResponseBytes + 1, 'x')).status, 413);
  InvocationOutcome result = outcome.get();
  EXPECT_EQ(result.kind, OutcomeKind::kFunctionError);
  EXPECT_EQ(json::parse(result.body)["errorType"], "Function.ResponseSizeTooLarge");
}

}  // namespace
}  // namespace lifeboat

#include "controller/lambda_loop.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/fake_autoscaling.h"
#include "fakes/fake_ssm.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

json Detail(const std::string& instance, const std::string& token) {
  return {{"LifecycleActionToken", token},
          {"AutoScalingGroupName", "web"},
          {"LifecycleHookName", "lifeboat"},
          {"EC2InstanceId", instance},
          {"LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING"}};
}

json Event(const std::string& instance, const std::string& token) {
  return {{"version", "0"},
          {"detail-type", "EC2 Instance-terminate Lifecycle Action"},
          {"source", "aws.autoscaling"},
          {"detail", Detail(instance, token)}};
}

TEST(NoticesInPayloadTest, ReadsAnEventAnSqsBatchAndAnSnsRecord) {
  auto one = NoticesInPayload(Event("i-1", "t-1").dump());
  ASSERT_TRUE(one.ok()) << one.status().message();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].instance_id, "i-1");

  json sqs = {{"Records",
               {{{"messageId", "m1"}, {"body", Event("i-2", "t-2").dump()}},
                {{"messageId", "m2"}, {"body", Detail("i-3", "t-3").dump()}}}}};
  auto batch = NoticesInPayload(sqs.dump());
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[1].token, "t-3");

  json sns = {{"Records", {{{"Sns", {{"Message", Event("i-4", "t-4").dump()}}}}}}};
  auto from_sns = NoticesInPayload(sns.dump());
  ASSERT_TRUE(from_sns.ok()) << from_sns.status().message();
  EXPECT_EQ((*from_sns)[0].instance_id, "i-4");

  EXPECT_FALSE(NoticesInPayload(R"({"Records": [{"kinesis": {}}]})").ok());
  EXPECT_FALSE(NoticesInPayload("{}").ok());
}

class HandleInvocationTest : public ::testing::Test {
 protected:
  HandleInvocationTest() {
    autoscaling_.SetHooks("web", {FakeAutoScaling::TerminateHook()});
    autoscaling_.SetInstance("i-1", "web", "Terminating:Wait");
    autoscaling_.SetInstance("i-2", "web", "Terminating:Wait");
    ControllerConfig config;
    config.destination = "s3://logs/fleet";
    handler_ = std::make_unique<LifecycleHandler>(env_, ssm_, autoscaling_, config);
  }
  LambdaInvocation Invocation(std::string payload, seconds left = seconds(900)) {
    return {"req-1", std::move(payload), "arn:aws:lambda:us-east-1:1:function:c", "",
            env_.Now() + left};
  }
  MemEnv env_;
  FakeSsm ssm_;
  FakeAutoScaling autoscaling_;
  std::unique_ptr<LifecycleHandler> handler_;
};

TEST_F(HandleInvocationTest, AnswersWithTheOutcomeOfEveryNotice) {
  json sqs = {{"Records",
               {{{"body", Event("i-1", "t-1").dump()}}, {{"body", Event("i-2", "t-2").dump()}}}}};
  auto response = HandleInvocation(env_, *handler_, Invocation(sqs.dump()), milliseconds(3000));
  ASSERT_TRUE(response.ok()) << response.status().message();
  json r = json::parse(*response);
  ASSERT_EQ(r["outcomes"].size(), 2u);
  EXPECT_EQ(r["outcomes"][0]["outcome"], "completed");
  EXPECT_EQ(r["outcomes"][1]["instance_id"], "i-2");
  EXPECT_EQ(ssm_.sent().size(), 2u);
}

TEST_F(HandleInvocationTest, ANoticeThatCouldNotStartBeforeTheDeadlineIsAnError) {
  ssm_.FailSendCommand(1000);
  auto response = HandleInvocation(
      env_, *handler_, Invocation(Event("i-1", "t-1").dump(), seconds(8)), milliseconds(3000));
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("before the deadline"), std::string::npos);
  EXPECT_TRUE(autoscaling_.completions().empty()) << "Lambda's retry gets another chance";
}

TEST_F(HandleInvocationTest, APayloadThatIsNoNoticeIsAnInvalidEvent) {
  auto response = HandleInvocation(env_, *handler_, Invocation("[]"), milliseconds(3000));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lifeboat

#include "aws/autoscaling_client.h"

#include <gtest/gtest.h>

#include "fakes/aws_client_test.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

constexpr char kToken[] = "bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635";

// Shaped like the errors Auto Scaling sends (HTTP 400, Query protocol).
std::string QueryError(std::string_view code, std::string_view message) {
  return "<ErrorResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\n"
         "  <Error>\n    <Type>Sender</Type>\n    <Code>" +
         std::string(code) + "</Code>\n    <Message>" + std::string(message) +
         "</Message>\n  </Error>\n"
         "  <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\n</ErrorResponse>\n";
}

std::string EmptyAnswer(std::string_view action) {
  return "<" + std::string(action) +
         "Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\n"
         "  <" +
         std::string(action) + "Result/>\n  <ResponseMetadata>\n    <RequestId>" +
         "1f3a2b4c-0000-4000-8000-000000000000</RequestId>\n  </ResponseMetadata>\n</" +
         std::string(action) + "Response>\n";
}

class AutoScalingClientTest : public AwsClientTest<AutoScalingClient> {
 protected:
  AutoScalingClientTest() : AwsClientTest(QuickRetries("autoscaling"), "http://127.0.0.1:5091") {}
};

TEST_F(AutoScalingClientTest, CompleteLifecycleActionPostsTheQueryForm) {
  http_.Enqueue(200, EmptyAnswer("CompleteLifecycleAction"));
  Status s = client_.CompleteLifecycleAction(
      {.group = "web", .hook = "log-hook", .token = kToken, .instance_id = "i-0123456789abcdef0"},
      "CONTINUE");
  ASSERT_TRUE(s.ok()) << s.message();
  HttpRequest sent = LastRequest();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:5091/");
  EXPECT_EQ(sent.headers.Get("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(sent.body,
            "Action=CompleteLifecycleAction&Version=2011-01-01&AutoScalingGroupName=web"
            "&InstanceId=i-0123456789abcdef0&LifecycleActionResult=CONTINUE"
            "&LifecycleActionToken=bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635"
            "&LifecycleHookName=log-hook");
  auto authorization = sent.headers.Get("Authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_NE(authorization->find("/us-east-1/autoscaling/aws4_request"), std::string::npos)
      << *authorization;
}

TEST_F(AutoScalingClientTest, FormValuesArePercentEncoded) {
  http_.Enqueue(200, EmptyAnswer("CompleteLifecycleAction"));
  ASSERT_TRUE(client_
                  .CompleteLifecycleAction(
                      {.group = "web tier/1", .hook = "drain+log", .instance_id = "i-1"}, "ABANDON")
                  .ok());
  EXPECT_EQ(LastRequest().body,
            "Action=CompleteLifecycleAction&Version=2011-01-01"
            "&AutoScalingGroupName=web%20tier%2F1&InstanceId=i-1"
            "&LifecycleActionResult=ABANDON&LifecycleHookName=drain%2Blog");
}

TEST_F(AutoScalingClientTest, HeartbeatByInstanceIdAlone) {
  http_.Enqueue(200, EmptyAnswer("RecordLifecycleActionHeartbeat"));
  Status s = client_.RecordLifecycleActionHeartbeat(
      {.group = "web", .hook = "log-hook", .instance_id = "i-0123456789abcdef0"});
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(LastRequest().body,
            "Action=RecordLifecycleActionHeartbeat&Version=2011-01-01&AutoScalingGroupName=web"
            "&InstanceId=i-0123456789abcdef0&LifecycleHookName=log-hook");
}

TEST_F(AutoScalingClientTest, HeartbeatByTokenAlone) {
  http_.Enqueue(200, EmptyAnswer("RecordLifecycleActionHeartbeat"));
  ASSERT_TRUE(
      client_.RecordLifecycleActionHeartbeat({.group = "web", .hook = "h", .token = kToken}).ok());
  EXPECT_EQ(LastRequest().body,
            "Action=RecordLifecycleActionHeartbeat&Version=2011-01-01&AutoScalingGroupName=web"
            "&LifecycleActionToken=bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635&LifecycleHookName=h");
}

TEST_F(AutoScalingClientTest, AStaleTokenIsNoActiveLifecycleAction) {
  http_.Enqueue(400,
                QueryError("ValidationError",
                           std::string("No active Lifecycle Action found with token ") + kToken));
  Status s = client_.CompleteLifecycleAction({.group = "web", .hook = "log-hook", .token = kToken},
                                             "CONTINUE");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.service_code(), "ValidationError");
  EXPECT_EQ(s.message(),
            "CompleteLifecycleAction web/log-hook: ValidationError: No active Lifecycle Action "
            "found with token bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635");
  EXPECT_TRUE(IsNoActiveLifecycleAction(s));
  EXPECT_EQ(http_.requests().size(), 1u) << "a validation error is not retried";

  http_.Enqueue(400, QueryError("ValidationError",
                                "No active Lifecycle Action found with instance ID i-0123"));
  Status beat = client_.RecordLifecycleActionHeartbeat(
      {.group = "web", .hook = "log-hook", .instance_id = "i-0123"});
  EXPECT_TRUE(beat.message().starts_with("RecordLifecycleActionHeartbeat web/log-hook: "))
      << beat.message();
  EXPECT_TRUE(IsNoActiveLifecycleAction(beat));
}

TEST_F(AutoScalingClientTest, OtherErrorsAreNotNoActiveLifecycleAction) {
  http_.Enqueue(400, QueryError("ValidationError", "Group web not found"));
  Status missing_group =
      client_.CompleteLifecycleAction({.group = "web", .hook = "h", .token = kToken}, "CONTINUE");
  EXPECT_EQ(missing_group.service_code(), "ValidationError");
  EXPECT_FALSE(IsNoActiveLifecycleAction(missing_group));
  EXPECT_FALSE(IsNoActiveLifecycleAction(Status::Ok()));
  EXPECT_FALSE(IsNoActiveLifecycleAction(
      Status(StatusCode::kInvalidArgument, "No active Lifecycle Action found", "Other")));
}

TEST_F(AutoScalingClientTest, ThrottlingIsRetried) {
  http_.Enqueue(400, QueryError("Throttling", "Rate exceeded"));
  http_.Enqueue(200, EmptyAnswer("RecordLifecycleActionHeartbeat"));
  EXPECT_TRUE(
      client_.RecordLifecycleActionHeartbeat({.group = "web", .hook = "h", .token = kToken}).ok());
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(AutoScalingClientTest, ARequestThatCannotNameTheActionIsNotSent) {
  Status neither = client_.CompleteLifecycleAction({.group = "web", .hook = "h"}, "CONTINUE");
  EXPECT_EQ(neither.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(neither.message().starts_with("CompleteLifecycleAction web/h: "))
      << neither.message();
  Status no_hook = client_.RecordLifecycleActionHeartbeat({.group = "web", .token = kToken});
  EXPECT_EQ(no_hook.code(), StatusCode::kInvalidArgument);
  Status bad_result =
      client_.CompleteLifecycleAction({.group = "web", .hook = "h", .token = kToken}, "continue");
  EXPECT_EQ(bad_result.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AutoScalingClientTest, DescribeLifecycleHooksParsesEveryHook) {
  // The shape of the AWS API reference's sample response.
  http_.Enqueue(
      200,
      R"(<DescribeLifecycleHooksResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeLifecycleHooksResult>
    <LifecycleHooks>
      <member>
        <RoleARN>arn:aws:iam::123456789012:role/my-notification-role</RoleARN>
        <GlobalTimeout>172800</GlobalTimeout>
        <HeartbeatTimeout>3600</HeartbeatTimeout>
        <AutoScalingGroupName>web</AutoScalingGroupName>
        <LifecycleHookName>log-hook</LifecycleHookName>
        <DefaultResult>CONTINUE</DefaultResult>
        <NotificationTargetARN>arn:aws:sqs:us-east-1:123456789012:lifecycle</NotificationTargetARN>
        <LifecycleTransition>autoscaling:EC2_INSTANCE_TERMINATING</LifecycleTransition>
      </member>
      <member>
        <GlobalTimeout>3000</GlobalTimeout>
        <HeartbeatTimeout>30</HeartbeatTimeout>
        <AutoScalingGroupName>web</AutoScalingGroupName>
        <LifecycleHookName>warm-up</LifecycleHookName>
        <DefaultResult>ABANDON</DefaultResult>
        <LifecycleTransition>autoscaling:EC2_INSTANCE_LAUNCHING</LifecycleTransition>
      </member>
    </LifecycleHooks>
  </DescribeLifecycleHooksResult>
  <ResponseMetadata>
    <RequestId>6c7bf9f2-7a3a-11e5-8e9e-EXAMPLE</RequestId>
  </ResponseMetadata>
</DescribeLifecycleHooksResponse>
)");
  auto hooks = client_.DescribeLifecycleHooks("web");
  ASSERT_TRUE(hooks.ok()) << hooks.status().message();
  EXPECT_EQ(LastRequest().body,
            "Action=DescribeLifecycleHooks&Version=2011-01-01&AutoScalingGroupName=web");
  ASSERT_EQ(hooks->size(), 2u);
  const LifecycleHookInfo& log = (*hooks)[0];
  EXPECT_EQ(log.name, "log-hook");
  EXPECT_EQ(log.group, "web");
  EXPECT_EQ(log.transition, "autoscaling:EC2_INSTANCE_TERMINATING");
  EXPECT_EQ(log.default_result, "CONTINUE");
  EXPECT_EQ(log.heartbeat_timeout, 3600);
  EXPECT_EQ(log.global_timeout, 172800);
  EXPECT_EQ(log.notification_target_arn, "arn:aws:sqs:us-east-1:123456789012:lifecycle");
  const LifecycleHookInfo& warm = (*hooks)[1];
  EXPECT_EQ(warm.name, "warm-up");
  EXPECT_EQ(warm.heartbeat_timeout, 30);
  EXPECT_EQ(warm.global_timeout, 3000);
  EXPECT_EQ(warm.notification_target_arn, "");
}

TEST_F(AutoScalingClientTest, DescribeLifecycleHooksOfAGroupWithoutHooks) {
  http_.Enqueue(
      200,
      R"(<DescribeLifecycleHooksResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeLifecycleHooksResult><LifecycleHooks/></DescribeLifecycleHooksResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</DescribeLifecycleHooksResponse>)");
  auto hooks = client_.DescribeLifecycleHooks("web");
  ASSERT_TRUE(hooks.ok()) << hooks.status().message();
  EXPECT_TRUE(hooks->empty());

  http_.Enqueue(400, QueryError("ValidationError", "Group nope not found"));
  auto missing = client_.DescribeLifecycleHooks("nope");
  EXPECT_EQ(missing.status().message(),
            "DescribeLifecycleHooks nope: ValidationError: Group nope not found");
}

TEST_F(AutoScalingClientTest, AnAnswerThatIsNotTheActionsResponseIsAnError) {
  http_.Enqueue(200, "<html>captive portal</html>");
  auto hooks = client_.DescribeLifecycleHooks("web");
  ASSERT_FALSE(hooks.ok());
  EXPECT_EQ(hooks.status().code(), StatusCode::kInternal);
  EXPECT_TRUE(hooks.status().message().starts_with("DescribeLifecycleHooks web: "));
}

constexpr char kInstancesPage[] =
    R"(<DescribeAutoScalingInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
  <DescribeAutoScalingInstancesResult>
    <AutoScalingInstances>
      %MEMBERS%
    </AutoScalingInstances>
    %NEXT%
  </DescribeAutoScalingInstancesResult>
  <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>
</DescribeAutoScalingInstancesResponse>)";

std::string InstancesPage(std::string members, std::string next_token = {}) {
  std::string page = kInstancesPage;
  page.replace(page.find("%MEMBERS%"), 9, members);
  page.replace(page.find("%NEXT%"), 6,
               next_token.empty() ? "" : "<NextToken>" + next_token + "</NextToken>");
  return page;
}

constexpr char kMember[] = R"(<member>
        <HealthStatus>HEALTHY</HealthStatus>
        <AutoScalingGroupName>web</AutoScalingGroupName>
        <AvailabilityZone>us-east-1a</AvailabilityZone>
        <InstanceId>i-0123456789abcdef0</InstanceId>
        <InstanceType>t3.micro</InstanceType>
        <LifecycleState>Terminating:Wait</LifecycleState>
        <ProtectedFromScaleIn>false</ProtectedFromScaleIn>
      </member>)";

TEST_F(AutoScalingClientTest, DescribeAutoScalingInstanceFindsTheGroup) {
  http_.Enqueue(200, InstancesPage(kMember));
  auto info = client_.DescribeAutoScalingInstance("i-0123456789abcdef0");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->instance_id, "i-0123456789abcdef0");
  EXPECT_EQ((*info)->group, "web");
  EXPECT_EQ((*info)->lifecycle_state, "Terminating:Wait");
  EXPECT_EQ(LastRequest().body,
            "Action=DescribeAutoScalingInstances&Version=2011-01-01"
            "&InstanceIds.member.1=i-0123456789abcdef0");
}

TEST_F(AutoScalingClientTest, DescribeAutoScalingInstanceFollowsNextToken) {
  http_.Enqueue(200, InstancesPage("", "tok/1="));
  http_.Enqueue(200, InstancesPage(kMember));
  auto info = client_.DescribeAutoScalingInstance("i-0123456789abcdef0");
  ASSERT_TRUE(info.ok()) << info.status().message();
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->group, "web");
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body,
            "Action=DescribeAutoScalingInstances&Version=2011-01-01"
            "&InstanceIds.member.1=i-0123456789abcdef0&NextToken=tok%2F1%3D");
}

TEST_F(AutoScalingClientTest, AnInstanceInNoGroupIsNullopt) {
  http_.Enqueue(200, InstancesPage(""));
  auto info = client_.DescribeAutoScalingInstance("i-0123456789abcdef0");
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_FALSE(info->has_value());
}

TEST_F(AutoScalingClientTest, DescribeAutoScalingInstanceStopsOnARepeatedToken) {
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{200, {}, InstancesPage("", "same")};
  });
  auto info = client_.DescribeAutoScalingInstance("i-1");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kInternal);
  EXPECT_EQ(http_.requests().size(), 2u);
}

TEST_F(AutoScalingClientTest, EndpointWithABasePath) {
  AutoScalingClient with_path(transport_, "https://proxy.example:8443/autoscaling/");
  http_.Enqueue(200, InstancesPage(""));
  ASSERT_TRUE(with_path.DescribeAutoScalingInstance("i-1").ok());
  EXPECT_EQ(LastRequest().url, "https://proxy.example:8443/autoscaling/");

  AutoScalingClient broken(transport_, "autoscaling.us-east-1.amazonaws.com");
  auto info = broken.DescribeAutoScalingInstance("i-1");
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(http_.requests().size(), 1u);
}

}  // namespace
}  // namespace lifeboat

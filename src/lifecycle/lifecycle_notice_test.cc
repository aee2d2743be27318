#include "lifecycle/lifecycle_notice.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lifeboat {
namespace {

using json = nlohmann::json;

// The event of the EventBridge user guide's "EC2 Instance-terminate Lifecycle Action".
const char* kEventBridgeEvent = R"({
  "version": "0", "id": "468fec3c-d5b4-4ef4-9b9e-24ba2fb2fc60",
  "detail-type": "EC2 Instance-terminate Lifecycle Action", "source": "aws.autoscaling",
  "account": "123456789012", "time": "2021-01-13T00:12:21Z", "region": "us-west-2",
  "resources": ["arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:042cba90-ad2f-431c-9b4d-6d9055bcc9fb:autoScalingGroupName/my-asg"],
  "detail": {
    "LifecycleActionToken": "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28",
    "AutoScalingGroupName": "my-asg", "LifecycleHookName": "my-lifecycle-hook",
    "EC2InstanceId": "i-1234567890abcdef0",
    "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
    "NotificationMetadata": "additional-info", "Origin": "AutoScalingGroup", "Destination": "EC2"
  }
})";

// What Auto Scaling sends to a hook's SQS target (user guide, "Lifecycle hook notifications").
const char* kDirectMessage = R"({
  "Origin": "AutoScalingGroup", "LifecycleHookName": "my-lifecycle-hook", "Destination": "WarmPool",
  "AccountId": "123456789012", "RequestId": "e5fe1dcc-7ff9-4c1b-b8a9-f2f13bd4f1f7",
  "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
  "AutoScalingGroupName": "my-asg", "Service": "AWS Auto Scaling",
  "Time": "2021-01-28T06:57:17.587Z", "EC2InstanceId": "i-0ab1c23d4e5f6a7b8",
  "LifecycleActionToken": "71514b9d-6a40-4b26-8523-05e7eEXAMPLE"
})";

const char* kTestNotification = R"({
  "AccountId": "123456789012", "RequestId": "4e6156f4-a9e2-4bda-a7fd-33f2ae528958",
  "AutoScalingGroupARN": "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:x:autoScalingGroupName/my-asg",
  "AutoScalingGroupName": "my-asg", "Service": "AWS Auto Scaling",
  "Event": "autoscaling:TEST_NOTIFICATION", "Time": "2021-01-28T06:57:17.587Z"
})";

TEST(LifecycleNoticeTest, ReadsAnEventBridgeEvent) {
  auto notice = ParseLifecycleNotice(kEventBridgeEvent);
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_EQ(notice->kind, LifecycleNotice::Kind::kAction);
  EXPECT_TRUE(notice->terminating());
  EXPECT_FALSE(notice->to_warm_pool());
  EXPECT_EQ(notice->instance_id, "i-1234567890abcdef0");
  EXPECT_EQ(notice->group, "my-asg");
  EXPECT_EQ(notice->hook, "my-lifecycle-hook");
  EXPECT_EQ(notice->token, "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28");
  EXPECT_EQ(notice->notification_metadata, "additional-info");
  EXPECT_EQ(notice->source_shape, "eventbridge");
  ASSERT_TRUE(notice->time.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*notice->time), 1610496741);
}

TEST(LifecycleNoticeTest, ReadsAutoScalingsOwnMessage) {
  auto notice = ParseLifecycleNotice(kDirectMessage);
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_TRUE(notice->terminating());
  EXPECT_TRUE(notice->to_warm_pool());
  EXPECT_EQ(notice->instance_id, "i-0ab1c23d4e5f6a7b8");
  EXPECT_EQ(notice->token, "71514b9d-6a40-4b26-8523-05e7eEXAMPLE");
  EXPECT_EQ(notice->source_shape, "autoscaling");
  ASSERT_TRUE(notice->time.has_value());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*notice->time), 1611817037);
}

TEST(LifecycleNoticeTest, UnwrapsAnSnsEnvelopeOfEitherShape) {
  for (const char* inner : {kDirectMessage, kEventBridgeEvent}) {
    json envelope = {{"Type", "Notification"},
                     {"MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"},
                     {"TopicArn", "arn:aws:sns:us-west-2:123456789012:lifecycle"},
                     {"Subject", "Auto Scaling:  Lifecycle action 'TERMINATING'"},
                     {"Message", inner},
                     {"Timestamp", "2021-01-28T06:57:17.600Z"}};
    auto notice = ParseLifecycleNotice(envelope.dump());
    ASSERT_TRUE(notice.ok()) << notice.status().message();
    EXPECT_TRUE(notice->terminating());
    EXPECT_TRUE(notice->source_shape.starts_with("sns+")) << notice->source_shape;
    EXPECT_FALSE(notice->token.empty());
  }
}

TEST(LifecycleNoticeTest, RecognisesTheTestNotification) {
  auto notice = ParseLifecycleNotice(kTestNotification);
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_EQ(notice->kind, LifecycleNotice::Kind::kTestNotification);
  EXPECT_FALSE(notice->terminating());
  EXPECT_EQ(notice->group, "my-asg");
}

TEST(LifecycleNoticeTest, ReadsALaunchAction) {
  json event = json::parse(kEventBridgeEvent);
  event["detail-type"] = "EC2 Instance-launch Lifecycle Action";
  event["detail"]["LifecycleTransition"] = "autoscaling:EC2_INSTANCE_LAUNCHING";
  auto notice = ParseLifecycleNotice(event.dump());
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_FALSE(notice->terminating());
  EXPECT_EQ(notice->transition, kLaunchingTransition);
}

TEST(LifecycleNoticeTest, NamesWhatIsWrong) {
  auto message = [](std::string_view text) {
    auto r = ParseLifecycleNotice(text);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(message("not json").find("must be JSON"), std::string::npos);
  EXPECT_NE(message("[1]").find("JSON object"), std::string::npos);
  EXPECT_NE(message(R"({"hello": 1})").find("not a lifecycle notification"), std::string::npos);

  json other = json::parse(kEventBridgeEvent);
  other["detail-type"] = "EC2 Instance Launch Successful";
  EXPECT_NE(message(other.dump()).find("EC2 Instance Launch Successful"), std::string::npos);

  json no_token = json::parse(kDirectMessage);
  no_token.erase("LifecycleActionToken");
  EXPECT_NE(message(no_token.dump()).find("without LifecycleActionToken"), std::string::npos);

  json bad_sns = {{"Type", "Notification"}, {"Message", "{"}};
  EXPECT_NE(message(bad_sns.dump()).find("Message is not JSON"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat

#include "local/events/event_payload.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

EventEnvelope Sample() {
  EventEnvelope e;
  e.id = "3e3c153a-8339-4e30-8c35-687ebef853fe";
  e.detail_type = "EC2 Instance-terminate Lifecycle Action";
  e.source = "aws.autoscaling";
  e.account = "123456789012";
  e.time = std::chrono::system_clock::from_time_t(1447277507);  // 2015-11-11T21:31:47Z
  e.region = "us-east-1";
  e.resources = {
      "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web"};
  e.detail = R"({"EC2InstanceId":"i-1234567890abcdef0","Origin":"AutoScalingGroup"})";
  return e;
}

TEST(EventPayloadTest, EnvelopeHasAwsFieldsInAwsOrder) {
  EXPECT_EQ(
      EnvelopeJson(Sample()),
      R"({"version":"0","id":"3e3c153a-8339-4e30-8c35-687ebef853fe",)"
      R"("detail-type":"EC2 Instance-terminate Lifecycle Action","source":"aws.autoscaling",)"
      R"("account":"123456789012","time":"2015-11-11T21:31:47Z","region":"us-east-1",)"
      R"("resources":["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web"],)"
      R"("detail":{"EC2InstanceId":"i-1234567890abcdef0","Origin":"AutoScalingGroup"}})");
}

TEST(EventPayloadTest, TargetsReceiveTheEventInputOrInputPath) {
  const std::string event = EnvelopeJson(Sample());
  EXPECT_EQ(*TargetPayload(event, {}), event);
  EXPECT_EQ(*TargetPayload(event, {true, R"({"fixed":1})", ""}), R"({"fixed":1})");
  EXPECT_EQ(*TargetPayload(event, {false, "", "$.detail"}),
            R"({"EC2InstanceId":"i-1234567890abcdef0","Origin":"AutoScalingGroup"})");
  EXPECT_EQ(*TargetPayload(event, {false, "", "$.detail.EC2InstanceId"}),
            R"("i-1234567890abcdef0")");
  EXPECT_EQ(
      *TargetPayload(event, {false, "", "$.resources[0]"}),
      R"("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/web")");
  EXPECT_EQ(*TargetPayload(event, {false, "", "$['detail-type']"}),
            R"("EC2 Instance-terminate Lifecycle Action")");
  EXPECT_EQ(*TargetPayload(event, {false, "", "$.detail.missing"}), "null");
  EXPECT_EQ(*TargetPayload(event, {false, "", "$"}), event);
}

TEST(EventPayloadTest, InputPathsMustBeJsonPaths) {
  EXPECT_TRUE(ValidateInputPath("$.detail").ok());
  EXPECT_TRUE(ValidateInputPath("$.a[2].b").ok());
  EXPECT_FALSE(ValidateInputPath("detail").ok());
  EXPECT_FALSE(ValidateInputPath("$..detail").ok());
  EXPECT_FALSE(ValidateInputPath("$.a[x]").ok());
}

}  // namespace
}  // namespace lifeboat

#include "lifecycle/instance_description.h"

#include <gtest/gtest.h>

#include "fakes/fake_autoscaling.h"
#include "ship/manifest.h"

namespace lifeboat {
namespace {

TEST(InstanceDescriptionTest, TheIdentityDocumentGivesZoneTypeAmiAndLaunchTime) {
  // As EC2 serves dynamic/instance-identity/document.
  auto d = ParseIdentityDocument(R"({
    "accountId" : "123456789012", "architecture" : "x86_64", "availabilityZone" : "eu-west-1b",
    "billingProducts" : null, "imageId" : "ami-0abcdef1234567890", "instanceId" : "i-0123456789abcdef0",
    "instanceType" : "m5.large", "pendingTime" : "2026-11-24T22:00:05Z", "privateIp" : "10.0.0.5",
    "region" : "eu-west-1", "version" : "2017-09-30"})");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->availability_zone, "eu-west-1b");
  EXPECT_EQ(d->instance_type, "m5.large");
  EXPECT_EQ(d->image_id, "ami-0abcdef1234567890");
  ASSERT_TRUE(d->launch_time.has_value());
  EXPECT_EQ(FormatRfc3339(*d->launch_time), "2026-11-24T22:00:05Z");
  EXPECT_FALSE(ParseIdentityDocument("not json").ok());
}

TEST(InstanceDescriptionTest, TheGroupIsTheSettingOrAutoScalingsAnswer) {
  FakeAutoScaling autoscaling;
  autoscaling.SetInstance("i-1", "web");
  EXPECT_EQ(DescribeInstance(nullptr, &autoscaling, "i-1", "named").group, "named");
  EXPECT_EQ(DescribeInstance(nullptr, &autoscaling, "i-1", "auto").group, "web");
  EXPECT_EQ(DescribeInstance(nullptr, &autoscaling, "i-2", "auto").group, "") << "in no group";
  EXPECT_EQ(DescribeInstance(nullptr, nullptr, "i-1", "auto").group, "");
}

}  // namespace
}  // namespace lifeboat

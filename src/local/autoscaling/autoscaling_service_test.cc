// The Auto Scaling Query service's XML and errors, and the lifecycle calls end to end.
#include "local/autoscaling/autoscaling_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "local/autoscaling/service_test_fixture.h"

namespace lifeboat {
namespace {

using AutoScalingServiceTest = QueryServiceTest;

constexpr char kQueue[] = "arn:aws:sqs:us-east-1:000000000000:lifecycle";

TEST_F(AutoScalingServiceTest, DescribeAutoScalingGroupsHasTheAwsShape) {
  MakeTemplateAndGroup(2);
  ASSERT_EQ(Asg({{"Action", "UpdateAutoScalingGroup"},
                 {"AutoScalingGroupName", "g"},
                 {"InstanceLifecyclePolicy.RetentionTriggers.TerminateHookAbandon", "retain"}})
                .status,
            200);
  LocalResponse r =
      Asg({{"Action", "DescribeAutoScalingGroups"}, {"AutoScalingGroupNames.member.1", "g"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.rfind("<DescribeAutoScalingGroupsResponse "
                         "xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">",
                         0),
            0u);
  const std::string g =
      "/DescribeAutoScalingGroupsResponse/DescribeAutoScalingGroupsResult/AutoScalingGroups/"
      "member/";
  EXPECT_EQ(XmlText(r.body, g + "AutoScalingGroupName"), "g");
  EXPECT_EQ(XmlText(r.body, g + "LaunchTemplate/LaunchTemplateName"), "web");
  EXPECT_EQ(XmlText(r.body, g + "LaunchTemplate/LaunchTemplateId").rfind("lt-", 0), 0u);
  EXPECT_EQ(XmlText(r.body, g + "LaunchTemplate/Version"), "$Default");
  EXPECT_EQ(XmlText(r.body, g + "MinSize"), "0");
  EXPECT_EQ(XmlText(r.body, g + "MaxSize"), "5");
  EXPECT_EQ(XmlText(r.body, g + "DesiredCapacity"), "2");
  EXPECT_EQ(XmlText(r.body, g + "DefaultCooldown"), "300");
  EXPECT_EQ(XmlText(r.body, g + "AvailabilityZones/member"), "us-east-1a");
  EXPECT_EQ(XmlText(r.body, g + "HealthCheckType"), "EC2");
  EXPECT_EQ(XmlCount(r.body, g + "Instances/member"), 2u);
  EXPECT_EQ(XmlText(r.body, g + "Instances/member/LifecycleState"), "InService");
  EXPECT_EQ(XmlText(r.body, g + "Instances/member/HealthStatus"), "Healthy");
  EXPECT_EQ(XmlText(r.body, g + "Instances/member/LaunchTemplate/Version"), "1");
  EXPECT_EQ(XmlText(r.body, g + "Instances/member/ProtectedFromScaleIn"), "false");
  EXPECT_EQ(XmlText(r.body, g + "CreatedTime").size(), 24u);
  EXPECT_EQ(XmlText(r.body, g + "InstanceLifecyclePolicy/RetentionTriggers/TerminateHookAbandon"),
            "retain");
  EXPECT_EQ(XmlText(r.body, "//ResponseMetadata/RequestId").size(), 36u);

  LocalResponse none =
      Asg({{"Action", "DescribeAutoScalingGroups"}, {"AutoScalingGroupNames.member.1", "absent"}});
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(XmlCount(none.body, "//AutoScalingGroups/member"), 0u);
}

TEST_F(AutoScalingServiceTest, DescribeAutoScalingInstancesPaginates) {
  MakeTemplateAndGroup(3);
  LocalResponse first = Asg({{"Action", "DescribeAutoScalingInstances"}, {"MaxRecords", "2"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(XmlCount(first.body, "//AutoScalingInstances/member"), 2u);
  EXPECT_EQ(XmlText(first.body, "//AutoScalingInstances/member/HealthStatus"), "HEALTHY");
  EXPECT_EQ(XmlText(first.body, "//AutoScalingInstances/member/AutoScalingGroupName"), "g");
  const std::string token = XmlText(first.body, "//NextToken");
  LocalResponse rest =
      Asg({{"Action", "DescribeAutoScalingInstances"}, {"MaxRecords", "2"}, {"NextToken", token}});
  EXPECT_EQ(XmlCount(rest.body, "//AutoScalingInstances/member"), 1u);
  EXPECT_EQ(XmlCount(rest.body, "//NextToken"), 0u);
  LocalResponse bad = Asg({{"Action", "DescribeAutoScalingInstances"}, {"NextToken", "zz"}});
  EXPECT_EQ(XmlText(bad.body, "//Code"), "InvalidNextToken");
}

TEST_F(AutoScalingServiceTest, ErrorsAreQueryErrorResponses) {
  MakeTemplateAndGroup(1);
  LocalResponse dup = Asg({{"Action", "CreateAutoScalingGroup"},
                           {"AutoScalingGroupName", "g"},
                           {"LaunchTemplate.LaunchTemplateName", "web"},
                           {"MinSize", "0"},
                           {"MaxSize", "1"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(XmlText(dup.body, "/ErrorResponse/Error/Type"), "Sender");
  EXPECT_EQ(XmlText(dup.body, "/ErrorResponse/Error/Code"), "AlreadyExists");
  EXPECT_EQ(XmlCount(dup.body, "/ErrorResponse/RequestId"), 1u);

  LocalResponse missing = Asg({{"Action", "CreateAutoScalingGroup"},
                               {"LaunchTemplate.LaunchTemplateName", "web"},
                               {"MinSize", "0"}});
  EXPECT_EQ(XmlText(missing.body, "//Code"), "ValidationError");
  EXPECT_EQ(XmlText(missing.body, "//Message"),
            "2 validation errors detected: Value null at 'autoScalingGroupName' failed to satisfy "
            "constraint: Member must not be null; Value null at 'maxSize' failed to satisfy "
            "constraint: Member must not be null");

  LocalResponse not_int = Asg({{"Action", "SetDesiredCapacity"},
                               {"AutoScalingGroupName", "g"},
                               {"DesiredCapacity", "many"}});
  EXPECT_EQ(XmlText(not_int.body, "//Code"), "ValidationError");

  LocalResponse in_use = Asg({{"Action", "DeleteAutoScalingGroup"}, {"AutoScalingGroupName", "g"}});
  EXPECT_EQ(XmlText(in_use.body, "//Code"), "ResourceInUse");
  LocalResponse forced = Asg({{"Action", "DeleteAutoScalingGroup"},
                              {"AutoScalingGroupName", "g"},
                              {"ForceDelete", "true"}});
  EXPECT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(forced.body.find("<DeleteAutoScalingGroupResult"),
            std::string::npos);  // no output shape

  LocalResponse unknown = Asg({{"Action", "AttachInstances"}});
  EXPECT_EQ(XmlText(unknown.body, "//Code"), "InvalidAction");
}

TEST_F(AutoScalingServiceTest, LifecycleHookCallsEndToEnd) {
  MakeTemplateAndGroup(1);
  LocalResponse put = Asg({{"Action", "PutLifecycleHook"},
                           {"AutoScalingGroupName", "g"},
                           {"LifecycleHookName", "drain"},
                           {"LifecycleTransition", "autoscaling:EC2_INSTANCE_TERMINATING"},
                           {"NotificationTargetARN", kQueue},
                           {"RoleARN", "arn:aws:iam::000000000000:role/hooks"},
                           {"NotificationMetadata", "bucket=logs"},
                           {"HeartbeatTimeout", "120"},
                           {"DefaultResult", "CONTINUE"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_NE(put.body.find("<PutLifecycleHookResult></PutLifecycleHookResult>"), std::string::npos);
  ASSERT_EQ(sqs_.messages().size(), 1u);  // TEST_NOTIFICATION

  LocalResponse hooks = Asg({{"Action", "DescribeLifecycleHooks"}, {"AutoScalingGroupName", "g"}});
  const std::string h = "//LifecycleHooks/member/";
  EXPECT_EQ(XmlText(hooks.body, h + "LifecycleHookName"), "drain");
  EXPECT_EQ(XmlText(hooks.body, h + "HeartbeatTimeout"), "120");
  EXPECT_EQ(XmlText(hooks.body, h + "GlobalTimeout"), "12000");
  EXPECT_EQ(XmlText(hooks.body, h + "DefaultResult"), "CONTINUE");
  EXPECT_EQ(XmlText(hooks.body, h + "NotificationTargetARN"), kQueue);
  EXPECT_EQ(XmlText(hooks.body, h + "RoleARN"), "arn:aws:iam::000000000000:role/hooks");
  EXPECT_EQ(XmlText(hooks.body, h + "NotificationMetadata"), "bucket=logs");

  const std::string id = engine_.DescribeGroups({"g"})[0].instances[0].id;
  LocalResponse term = Asg({{"Action", "TerminateInstanceInAutoScalingGroup"},
                            {"InstanceId", id},
                            {"ShouldDecrementDesiredCapacity", "true"}});
  ASSERT_EQ(term.status, 200) << term.body;
  EXPECT_EQ(XmlText(term.body, "//TerminateInstanceInAutoScalingGroupResult/Activity/Description"),
            "Terminating EC2 instance: " + id);
  EXPECT_EQ(XmlText(term.body, "//Activity/StatusCode"), "InProgress");

  LocalResponse inst =
      Asg({{"Action", "DescribeAutoScalingInstances"}, {"InstanceIds.member.1", id}});
  EXPECT_EQ(XmlText(inst.body, "//AutoScalingInstances/member/LifecycleState"), "Terminating:Wait");

  ASSERT_EQ(sqs_.messages().size(), 2u);
  const std::string token =
      nlohmann::json::parse(sqs_.messages()[1].body)["LifecycleActionToken"].get<std::string>();
  LocalResponse beat = Asg({{"Action", "RecordLifecycleActionHeartbeat"},
                            {"AutoScalingGroupName", "g"},
                            {"LifecycleHookName", "drain"},
                            {"LifecycleActionToken", token}});
  ASSERT_EQ(beat.status, 200) << beat.body;
  EXPECT_NE(beat.body.find("<RecordLifecycleActionHeartbeatResult>"), std::string::npos);
  LocalResponse done = Asg({{"Action", "CompleteLifecycleAction"},
                            {"AutoScalingGroupName", "g"},
                            {"LifecycleHookName", "drain"},
                            {"LifecycleActionToken", token},
                            {"LifecycleActionResult", "CONTINUE"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(engine_.FindInstance(id)->state, LifecycleState::kTerminated);

  LocalResponse stale = Asg({{"Action", "CompleteLifecycleAction"},
                             {"AutoScalingGroupName", "g"},
                             {"LifecycleHookName", "drain"},
                             {"LifecycleActionToken", token},
                             {"LifecycleActionResult", "CONTINUE"}});
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(XmlText(stale.body, "//Code"), "ValidationError");
  EXPECT_EQ(XmlText(stale.body, "//Message"),
            "No active Lifecycle Action found with token " + token);

  LocalResponse del = Asg({{"Action", "DeleteLifecycleHook"},
                           {"AutoScalingGroupName", "g"},
                           {"LifecycleHookName", "drain"}});
  EXPECT_EQ(del.status, 200) << del.body;
  LocalResponse gone =
      Asg({{"Action", "DescribeLifecycleHooks"}, {"AutoScalingGroupName", "nope"}});
  EXPECT_EQ(XmlText(gone.body, "//Code"), "ValidationError");
}

TEST_F(AutoScalingServiceTest, CreateTakesHooksTagsAndMixedInstancesTemplates) {
  ASSERT_EQ(Ec2({{"Action", "CreateLaunchTemplate"},
                 {"LaunchTemplateName", "web"},
                 {"LaunchTemplateData.ImageId", "ami-1"}})
                .status,
            200);
  LocalResponse r =
      Asg({{"Action", "CreateAutoScalingGroup"},
           {"AutoScalingGroupName", "g"},
           {"MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName",
            "web"},
           {"MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version", "$Latest"},
           {"MinSize", "1"},
           {"MaxSize", "2"},
           {"AvailabilityZones.member.1", "us-east-1b"},
           {"Tags.member.1.Key", "team"},
           {"Tags.member.1.Value", "ops"},
           {"Tags.member.1.PropagateAtLaunch", "true"},
           {"LifecycleHookSpecificationList.member.1.LifecycleHookName", "boot"},
           {"LifecycleHookSpecificationList.member.1.LifecycleTransition",
            "autoscaling:EC2_INSTANCE_LAUNCHING"},
           {"LifecycleHookSpecificationList.member.1.HeartbeatTimeout", "60"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto g = engine_.DescribeGroups({"g"});
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].launch_template.version, "$Latest");
  ASSERT_EQ(g[0].instances.size(), 1u);
  EXPECT_EQ(g[0].instances[0].state, LifecycleState::kPendingWait);
  EXPECT_EQ(g[0].instances[0].availability_zone, "us-east-1b");
  LocalResponse d = Asg({{"Action", "DescribeAutoScalingGroups"}});
  EXPECT_EQ(XmlText(d.body, "//Tags/member/Key"), "team");
  EXPECT_EQ(XmlText(d.body, "//Tags/member/PropagateAtLaunch"), "true");
  EXPECT_EQ(XmlText(d.body, "//Tags/member/ResourceType"), "auto-scaling-group");
}

}  // namespace
}  // namespace lifeboat

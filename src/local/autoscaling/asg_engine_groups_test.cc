// Groups and capacity in the engine: creation rules, desired capacity, scale-in order,
// TerminateInstanceInAutoScalingGroup and deletion, with AWS's error codes and wording.
#include <gtest/gtest.h>

#include "local/autoscaling/asg_engine_test_fixture.h"

namespace lifeboat {
namespace {

using GroupsTest = AsgEngineTest;

GroupInput Input(const std::string& name, int min, int max) {
  GroupInput in;
  in.name = name;
  in.launch_template.name = "web";
  in.min_size = min;
  in.max_size = max;
  return in;
}

TEST_F(GroupsTest, CreateLaunchesDesiredInstancesFromTheTemplate) {
  GroupInput in = Input("g", 1, 4);
  in.desired_capacity = 3;
  in.availability_zones = {"us-east-1a", "us-east-1b"};
  in.tags.push_back(AsgTag{"team", "logs", true});
  in.tags.push_back(AsgTag{"private", "x", false});
  ASSERT_TRUE(engine_.CreateGroup(in).ok());
  auto groups = engine_.DescribeGroups({"g"});
  ASSERT_EQ(groups.size(), 1u);
  const GroupInfo& g = groups[0];
  EXPECT_EQ(g.desired_capacity, 3);
  EXPECT_EQ(g.arn.rfind("arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:", 0), 0u);
  EXPECT_NE(g.arn.find(":autoScalingGroupName/g"), std::string::npos);
  ASSERT_EQ(g.instances.size(), 3u);
  const InstanceInfo& i = g.instances[0];
  EXPECT_EQ(i.id.size(), 19u);  // i- and 17 hex digits
  EXPECT_EQ(i.instance_type, "t3.small");
  EXPECT_EQ(i.image_id, "ami-12345678");
  EXPECT_EQ(i.launch_template.version, "1");
  // Zones are balanced: a, b, a.
  EXPECT_EQ(g.instances[0].availability_zone, "us-east-1a");
  EXPECT_EQ(g.instances[1].availability_zone, "us-east-1b");
  EXPECT_EQ(g.instances[2].availability_zone, "us-east-1a");
  bool group_tag = false, team = false, hidden = false;
  for (const Ec2Tag& t : i.tags) {
    group_tag |= t.key == "aws:autoscaling:groupName" && t.value == "g";
    team |= t.key == "team";
    hidden |= t.key == "private";
  }
  EXPECT_TRUE(group_tag && team);
  EXPECT_FALSE(hidden);  // PropagateAtLaunch false
}

TEST_F(GroupsTest, DesiredDefaultsToMinSize) {
  ASSERT_TRUE(engine_.CreateGroup(Input("g", 2, 5)).ok());
  EXPECT_EQ(Ids("g").size(), 2u);
}

TEST_F(GroupsTest, CreateErrorsAreAws) {
  ASSERT_TRUE(engine_.CreateGroup(Input("g", 0, 1)).ok());
  Status dup = engine_.CreateGroup(Input("g", 0, 1));
  EXPECT_EQ(dup.service_code(), "AlreadyExists");
  EXPECT_EQ(
      dup.message(),
      "AutoScalingGroup by this name already exists - A group with the name g already exists");

  GroupInput bad_desired = Input("h", 1, 2);
  bad_desired.desired_capacity = 3;
  Status s = engine_.CreateGroup(bad_desired);
  EXPECT_EQ(s.service_code(), "ValidationError");
  EXPECT_EQ(s.message(),
            "Desired capacity:3 must be between the specified min size:1 and max size:2");

  Status bounds = engine_.CreateGroup(Input("h", 3, 2));
  EXPECT_EQ(bounds.message(), "Max bound, 2, must be greater than or equal to min bound, 3");

  GroupInput no_template = Input("h", 0, 1);
  no_template.launch_template = {};
  EXPECT_EQ(engine_.CreateGroup(no_template).service_code(), "ValidationError");

  GroupInput missing_template = Input("h", 0, 1);
  missing_template.launch_template.name = "nope";
  Status m = engine_.CreateGroup(missing_template);
  EXPECT_EQ(m.service_code(), "ValidationError");
  EXPECT_NE(m.message().find("with template name nope, does not exist"), std::string::npos);
  EXPECT_TRUE(engine_.DescribeGroups({"h"}).empty());
}

TEST_F(GroupsTest, SetDesiredCapacityChecksBoundsWithAwsWording) {
  MakeGroup("g", 1, 3, 1);
  Status above = engine_.SetDesiredCapacity("g", 4);
  EXPECT_EQ(above.message(),
            "New SetDesiredCapacity value 4 is above max value 3 for the AutoScalingGroup.");
  Status below = engine_.SetDesiredCapacity("g", 0);
  EXPECT_EQ(below.message(),
            "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.");
  Status missing = engine_.SetDesiredCapacity("nope", 1);
  EXPECT_EQ(missing.service_code(), "ValidationError");
  EXPECT_EQ(missing.message().rfind("AutoScalingGroup name not found", 0), 0u);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 3).ok());
  EXPECT_EQ(Ids("g").size(), 3u);
}

TEST_F(GroupsTest, ScaleInTerminatesOldestLaunchesFirst) {
  MakeGroup("g", 0, 5, 2);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 4).ok());
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 4u);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  EXPECT_EQ(State(ids[0]), "Terminated");
  EXPECT_EQ(State(ids[1]), "Terminated");
  EXPECT_EQ(State(ids[2]), "Terminated");
  EXPECT_EQ(State(ids[3]), "InService");
}

TEST_F(GroupsTest, ScaleInSkipsInstancesProtectedFromScaleIn) {
  GroupInput in = Input("g", 0, 3);
  in.desired_capacity = 1;
  in.new_instances_protected_from_scale_in = true;
  ASSERT_TRUE(engine_.CreateGroup(in).ok());
  const std::string protected_id = Ids("g")[0];
  GroupUpdate up;
  up.name = "g";
  up.new_instances_protected_from_scale_in = false;
  ASSERT_TRUE(engine_.UpdateGroup(up).ok());
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 2).ok());
  const std::string newer = Ids("g")[1];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 1).ok());
  EXPECT_EQ(State(protected_id), "InService");
  EXPECT_EQ(State(newer), "Terminated");
}

TEST_F(GroupsTest, TerminateWithoutDecrementLaunchesAReplacement) {
  MakeGroup("g", 1, 3, 2);
  const std::string victim = Ids("g")[0];
  auto activity = engine_.TerminateInstance(victim, false);
  ASSERT_TRUE(activity.ok());
  EXPECT_EQ(activity->description, "Terminating EC2 instance: " + victim);
  EXPECT_EQ(activity->status_code, "InProgress");
  EXPECT_NE(activity->cause.find("taken out of service in response to a user request."),
            std::string::npos);
  EXPECT_EQ(State(victim), "Terminated");
  auto ids = Ids("g");
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(engine_.DescribeGroups({"g"})[0].desired_capacity, 2);
}

TEST_F(GroupsTest, TerminateWithDecrementShrinksUntilMinSize) {
  MakeGroup("g", 1, 3, 2);
  auto ids = Ids("g");
  auto activity = engine_.TerminateInstance(ids[1], true);
  ASSERT_TRUE(activity.ok());
  EXPECT_NE(activity->cause.find("shrinking the capacity from 2 to 1."), std::string::npos);
  EXPECT_EQ(engine_.DescribeGroups({"g"})[0].desired_capacity, 1);
  EXPECT_EQ(Ids("g"), std::vector<std::string>{ids[0]});
  auto refused = engine_.TerminateInstance(ids[0], true);
  EXPECT_EQ(refused.status().service_code(), "ValidationError");
  EXPECT_EQ(refused.status().message(),
            "Currently, desiredSize equals minSize (1). Terminating instance without replacement "
            "will violate group's min size constraint. Either set shouldDecrementDesiredCapacity "
            "flag to false or lower group's min size.");
  auto unknown = engine_.TerminateInstance("i-0000000000000000a", false);
  EXPECT_EQ(
      unknown.status().message(),
      "Instance Id not found - No managed instance found for instance ID: i-0000000000000000a");
  auto gone = engine_.TerminateInstance(ids[1], false);  // already Terminated
  EXPECT_EQ(gone.status().service_code(), "ValidationError");
}

TEST_F(GroupsTest, UpdateMovesDesiredIntoNewBoundsAndValidates) {
  MakeGroup("g", 1, 5, 3);
  GroupUpdate up;
  up.name = "g";
  up.max_size = 2;  // desired 3 follows the new max down
  ASSERT_TRUE(engine_.UpdateGroup(up).ok());
  EXPECT_EQ(engine_.DescribeGroups({"g"})[0].desired_capacity, 2);
  EXPECT_EQ(Ids("g").size(), 2u);
  GroupUpdate bad;
  bad.name = "g";
  bad.desired_capacity = 4;
  EXPECT_EQ(engine_.UpdateGroup(bad).message(),
            "Desired capacity:4 must be between the specified min size:1 and max size:2");
  GroupUpdate retain;
  retain.name = "g";
  retain.retention_terminate_hook_abandon = "retain";
  ASSERT_TRUE(engine_.UpdateGroup(retain).ok());
  EXPECT_EQ(engine_.DescribeGroups({"g"})[0].retention_terminate_hook_abandon, "retain");
  GroupUpdate missing;
  missing.name = "nope";
  EXPECT_EQ(engine_.UpdateGroup(missing).service_code(), "ValidationError");
}

TEST_F(GroupsTest, DeleteRefusesLiveInstancesUnlessForced) {
  MakeGroup("g", 0, 3, 2);
  auto ids = Ids("g");
  Status in_use = engine_.DeleteGroup("g", false);
  EXPECT_EQ(in_use.service_code(), "ResourceInUse");
  EXPECT_EQ(in_use.message(),
            "You cannot delete an AutoScalingGroup while there are instances or pending Spot "
            "instance request(s) still in the group.");
  PutHook("g", "drain", kTerminating);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  Status busy = engine_.DeleteGroup("g", false);
  EXPECT_EQ(busy.service_code(), "ScalingActivityInProgress");
  ASSERT_TRUE(engine_.DeleteGroup("g", true).ok());
  EXPECT_EQ(State(ids[0]), "Terminated");
  EXPECT_EQ(State(ids[1]), "Terminated");
  EXPECT_TRUE(engine_.PendingActions().empty());  // ForceDelete drops lifecycle actions
  EXPECT_EQ(host_.terminated().size(), 2u);
  EXPECT_TRUE(engine_.DescribeGroups({}).empty());
  EXPECT_EQ(engine_.AllInstances().size(), 2u);  // EC2 still shows them, terminated
  EXPECT_EQ(engine_.DeleteGroup("g", true).service_code(), "ValidationError");
}

TEST_F(GroupsTest, DeleteSucceedsOnceEmpty) {
  MakeGroup("g", 0, 3, 1);
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  EXPECT_TRUE(engine_.DeleteGroup("g", false).ok());
}

TEST_F(GroupsTest, HooksFromTheCreateCallHoldTheFirstInstances) {
  GroupInput in = Input("g", 1, 2);
  LifecycleHookInput hook;
  hook.name = "boot";
  hook.transition = kLaunching;
  hook.notification_target_arn = "arn:aws:sqs:us-east-1:000000000000:q";
  in.hooks.push_back(hook);
  ASSERT_TRUE(engine_.CreateGroup(in).ok());
  auto ids = Ids("g");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(State(ids[0]), "Pending:Wait");
  auto messages = sqs_.messages();
  ASSERT_EQ(messages.size(), 2u);  // the TEST_NOTIFICATION, then the launch action
  EXPECT_NE(messages[0].body.find("autoscaling:TEST_NOTIFICATION"), std::string::npos);
  EXPECT_NE(messages[1].body.find("autoscaling:EC2_INSTANCE_LAUNCHING"), std::string::npos);
}

TEST_F(GroupsTest, HostSeesLaunchThenTargetStateThenTermination) {
  MakeGroup("g", 0, 1, 1);
  const std::string id = Ids("g")[0];
  ASSERT_TRUE(engine_.SetDesiredCapacity("g", 0).ok());
  EXPECT_EQ(host_.calls(),
            (std::vector<std::string>{"launch " + id, "target " + id + " InService",
                                      "target " + id + " Terminated", "terminate " + id}));
}

}  // namespace
}  // namespace lifeboat

namespace lifeboat {
namespace {

// Sees the instance's state while it ends the instance, as a real host would be seen.
class ObservingHost final : public InstanceHost {
 public:
  void Launch(const InstanceLaunch&) override {}
  void Terminate(const std::string& id) override {
    seen_while_terminating = std::string(LifecycleStateName(engine->FindInstance(id)->state));
  }
  void SetTargetLifecycleState(const std::string&, std::string_view) override {}
  AutoScalingEngine* engine = nullptr;
  std::string seen_while_terminating;
};

TEST(AsgEngineHostTest, TerminatedOnlyOnceTheHostHasEndedTheInstance) {
  ManualClock clock;
  LaunchTemplateStore templates;
  ASSERT_TRUE(templates.Create("web", "", {}, {}, clock.WallNow()).ok());
  ObservingHost host;
  NoopNotificationSink sqs;
  NoopEventSink events;
  AutoScalingEngine engine(AutoScalingOptions{}, &clock, &templates, &host, &sqs, &events);
  host.engine = &engine;
  GroupInput in;
  in.name = "g";
  in.launch_template.name = "web";
  in.min_size = 0;
  in.max_size = 1;
  in.desired_capacity = 1;
  ASSERT_TRUE(engine.CreateGroup(in).ok());
  const std::string id = engine.DescribeGroups({"g"})[0].instances[0].id;
  ASSERT_TRUE(engine.SetDesiredCapacity("g", 0).ok());
  EXPECT_EQ(host.seen_while_terminating, "Terminating:Proceed");
  EXPECT_EQ(engine.FindInstance(id)->state, LifecycleState::kTerminated);
}

}  // namespace
}  // namespace lifeboat

// A test fixture for AutoScalingEngine: a manual clock, one launch template ("web") and
// recording side effects, plus shorthands for the calls the tests repeat.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_TEST_FIXTURE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "local/autoscaling/asg_engine.h"
#include "local/autoscaling/recording_side_effects.h"

namespace lifeboat {

class AsgEngineTest : public ::testing::Test {
 protected:
  AsgEngineTest() {
    LaunchTemplateData data;
    data.image_id = "ami-12345678";
    data.instance_type = "t3.small";
    data.user_data = "IyEvYmluL3NoCmVjaG8gaGk=";  // "#!/bin/sh\necho hi"
    EXPECT_TRUE(templates_.Create("web", "", data, {}, clock_.WallNow()).ok());
  }

  // A group on template "web" with `min`/`max`/`desired` and optional retention.
  void MakeGroup(const std::string& name, int min, int max, int desired,
                 const std::string& retention = "") {
    GroupInput in;
    in.name = name;
    in.launch_template.name = "web";
    in.min_size = min;
    in.max_size = max;
    in.desired_capacity = desired;
    if (!retention.empty()) in.retention_terminate_hook_abandon = retention;
    Status s = engine_.CreateGroup(in);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void PutHook(const std::string& group, const std::string& name, const std::string& transition,
               int heartbeat = 0, const std::string& default_result = "",
               const std::string& target = "", const std::string& metadata = "") {
    LifecycleHookInput in;
    in.group_name = group;
    in.name = name;
    in.transition = transition;
    if (heartbeat != 0) in.heartbeat_timeout = heartbeat;
    if (!default_result.empty()) in.default_result = default_result;
    if (!target.empty()) in.notification_target_arn = target;
    if (!metadata.empty()) in.notification_metadata = metadata;
    Status s = engine_.PutLifecycleHook(in);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Instance ids of the group, oldest launch first.
  std::vector<std::string> Ids(const std::string& group) {
    std::vector<std::string> ids;
    auto groups = engine_.DescribeGroups({group});
    if (groups.empty()) return ids;
    for (const InstanceInfo& i : groups[0].instances) ids.push_back(i.id);
    return ids;
  }

  std::string State(const std::string& id) {
    auto inst = engine_.FindInstance(id);
    return inst ? std::string(LifecycleStateName(inst->state)) : "absent";
  }

  std::vector<PendingLifecycleAction> ActionsOf(const std::string& id) {
    std::vector<PendingLifecycleAction> out;
    for (const auto& a : engine_.PendingActions()) {
      if (a.instance_id == id) out.push_back(a);
    }
    return out;
  }

  std::string TokenOf(const std::string& id, const std::string& hook) {
    for (const auto& a : ActionsOf(id)) {
      if (a.hook_name == hook) return a.token;
    }
    return "";
  }

  void AdvanceSeconds(double seconds) {
    clock_.Advance(std::chrono::nanoseconds(static_cast<int64_t>(seconds * 1e9)));
    engine_.FireDueTimers();
  }

  static constexpr char kLaunching[] = "autoscaling:EC2_INSTANCE_LAUNCHING";
  static constexpr char kTerminating[] = "autoscaling:EC2_INSTANCE_TERMINATING";

  ManualClock clock_;
  LaunchTemplateStore templates_;
  RecordingInstanceHost host_;
  RecordingNotificationSink sqs_;
  RecordingEventSink events_;
  AutoScalingEngine engine_{AutoScalingOptions{}, &clock_, &templates_, &host_, &sqs_, &events_};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_TEST_FIXTURE_H_

// The values of the local Auto Scaling engine: lifecycle states and transitions as the
// Auto Scaling user guide names them, lifecycle hooks, and the snapshots of groups and
// instances that Describe* calls return.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_ASG_TYPES_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_ASG_TYPES_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "local/autoscaling/launch_templates.h"

namespace lifeboat {

enum class LifecycleState {
  kPending,
  kPendingWait,
  kPendingProceed,
  kInService,
  kTerminating,
  kTerminatingWait,
  kTerminatingProceed,
  kTerminatingRetained,
  kTerminated,
};
// "Pending:Wait", "Terminating:Retained", ...
std::string_view LifecycleStateName(LifecycleState state);

enum class LifecycleTransition { kLaunching, kTerminating };
// "autoscaling:EC2_INSTANCE_LAUNCHING" / "autoscaling:EC2_INSTANCE_TERMINATING"
std::string_view TransitionName(LifecycleTransition transition);
std::optional<LifecycleTransition> ParseTransition(std::string_view text);

enum class ActionResult { kContinue, kAbandon };
std::string_view ActionResultName(ActionResult result);  // "CONTINUE" / "ABANDON"
std::optional<ActionResult> ParseActionResult(std::string_view text);

// A Status carrying Auto Scaling's ValidationError code.
Status AsgValidationError(std::string message);

inline constexpr int kMinHeartbeatTimeout = 30;
inline constexpr int kMaxHeartbeatTimeout = 7200;
inline constexpr int kDefaultHeartbeatTimeout = 3600;
inline constexpr int kMaxGlobalTimeout = 172800;  // 48 h
inline constexpr int kMaxHooksPerGroup = 50;

struct LifecycleHook {
  std::string name;
  std::string group_name;
  LifecycleTransition transition = LifecycleTransition::kLaunching;
  std::string notification_target_arn;
  std::string role_arn;
  std::string notification_metadata;
  int heartbeat_timeout = kDefaultHeartbeatTimeout;
  ActionResult default_result = ActionResult::kAbandon;
  // How long an instance may wait on this hook, heartbeats or not.
  int global_timeout() const { return std::min(100 * heartbeat_timeout, kMaxGlobalTimeout); }
};

// PutLifecycleHook (and LifecycleHookSpecificationList): unset fields keep their current
// value on an existing hook and take AWS's default on a new one.
struct LifecycleHookInput {
  std::string group_name;
  std::string name;
  std::optional<std::string> transition;
  std::optional<std::string> notification_target_arn;
  std::optional<std::string> role_arn;
  std::optional<std::string> notification_metadata;
  std::optional<int> heartbeat_timeout;
  std::optional<std::string> default_result;
};

struct AsgTag {
  std::string key;
  std::string value;
  bool propagate_at_launch = false;
};

struct InstanceInfo {
  std::string id;
  std::string group_name;
  std::string availability_zone;
  std::string instance_type;
  std::string image_id;
  std::string private_ip;
  LaunchTemplateRef launch_template;  // id, name and the resolved version number
  LifecycleState state = LifecycleState::kPending;
  bool protected_from_scale_in = false;
  std::chrono::system_clock::time_point launch_time;
  uint64_t launch_sequence = 0;  // launch order, for the scale-in policy
  // Its user data has run (or the host does not report boots): without a launch hook, a
  // Pending instance goes InService only then.
  bool booted = false;
  std::vector<Ec2Tag> tags;      // as EC2 shows them (aws:autoscaling:groupName included)
  LaunchTemplateData data;
  std::string cause;  // why it was launched, or why it is terminating
};

struct GroupInfo {
  std::string name;
  std::string arn;
  LaunchTemplateRef launch_template;  // as the group was given it
  int min_size = 0;
  int max_size = 0;
  int desired_capacity = 0;
  int default_cooldown = 300;
  std::vector<std::string> availability_zones;
  std::string health_check_type = "EC2";
  int health_check_grace_period = 0;
  std::chrono::system_clock::time_point created_time;
  std::vector<AsgTag> tags;
  std::vector<std::string> termination_policies = {"Default"};
  bool new_instances_protected_from_scale_in = false;
  std::string retention_terminate_hook_abandon;  // "" (unset), "retain" or "terminate"
  std::vector<InstanceInfo> instances;           // not Terminated ones, in launch order
};

// CreateAutoScalingGroup's inputs.
struct GroupInput {
  std::string name;
  LaunchTemplateRef launch_template;
  std::optional<int> min_size;
  std::optional<int> max_size;
  std::optional<int> desired_capacity;
  std::optional<int> default_cooldown;
  std::vector<std::string> availability_zones;
  std::optional<std::string> health_check_type;
  std::optional<int> health_check_grace_period;
  std::vector<AsgTag> tags;
  std::optional<bool> new_instances_protected_from_scale_in;
  std::optional<std::string> retention_terminate_hook_abandon;
  std::vector<LifecycleHookInput> hooks;
};

// UpdateAutoScalingGroup's inputs: unset fields stay as they are.
struct GroupUpdate {
  std::string name;
  std::optional<LaunchTemplateRef> launch_template;
  std::optional<int> min_size;
  std::optional<int> max_size;
  std::optional<int> desired_capacity;
  std::optional<int> default_cooldown;
  std::optional<std::string> health_check_type;
  std::optional<int> health_check_grace_period;
  std::optional<bool> new_instances_protected_from_scale_in;
  std::optional<std::string> retention_terminate_hook_abandon;
};

// A scaling activity, as TerminateInstanceInAutoScalingGroup returns it.
struct ScalingActivity {
  std::string activity_id;
  std::string group_name;
  std::string group_arn;
  std::string description;
  std::string cause;
  std::string details;
  std::chrono::system_clock::time_point start_time;
  std::string status_code = "InProgress";
  int progress = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_ASG_TYPES_H_

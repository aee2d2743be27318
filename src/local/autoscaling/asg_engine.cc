// Groups, capacity and instance lifecycles; hooks and lifecycle actions are in
// asg_engine_hooks.cc.
#include "local/autoscaling/asg_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <utility>

#include "local/autoscaling/asg_messages.h"
#include "local/local_service.h"

namespace lifeboat {

namespace {

bool Counts(LifecycleState s) {
  return s == LifecycleState::kPending || s == LifecycleState::kPendingWait ||
         s == LifecycleState::kPendingProceed || s == LifecycleState::kInService;
}

// A scaling activity is in progress while an instance is between stable states.
bool InTransition(LifecycleState s) {
  return s != LifecycleState::kInService && s != LifecycleState::kTerminatingRetained &&
         s != LifecycleState::kTerminated;
}

Status CapacityError(int desired, int min, int max) {
  return AsgValidationError("Desired capacity:" + std::to_string(desired) +
                            " must be between the specified min size:" + std::to_string(min) +
                            " and max size:" + std::to_string(max));
}

Status BoundsError(int min, int max) {
  return AsgValidationError("Max bound, " + std::to_string(max) +
                            ", must be greater than or equal to min bound, " + std::to_string(min));
}

std::string PrivateIp(uint64_t n) {
  return "10.0." + std::to_string((n / 250) % 256) + "." + std::to_string(n % 250 + 4);
}

}  // namespace

Status GroupNotFound(const std::string& name) {
  return AsgValidationError("AutoScalingGroup name not found - AutoScalingGroup " + name +
                            " not found");
}

AutoScalingEngine::~AutoScalingEngine() {
  // Host effects first: finishing a termination posts an event.
  host_effects_.Stop();
  message_effects_.Stop();
}

AutoScalingEngine::Op::Op(AutoScalingEngine* engine) : engine_(engine), lock_(engine->mu_) {
  engine_->FireDueLocked();
}

AutoScalingEngine::Op::~Op() {
  for (auto& [name, group] : engine_->groups_) engine_->ReconcileLocked(group);
  lock_.unlock();
  engine_->Flush();
}

AutoScalingEngine::AutoScalingEngine(AutoScalingOptions options, const LifecycleClock* clock,
                                     const LaunchTemplateStore* templates, InstanceHost* host,
                                     NotificationSink* notifications, EventSink* events)
    : options_(std::move(options)),
      clock_(clock),
      templates_(templates),
      host_(host),
      notifications_(notifications),
      events_(events) {}

void AutoScalingEngine::SetScheduleListener(std::function<void()> listener) {
  schedule_listener_ = std::move(listener);
}

void AutoScalingEngine::StartEffectThreads() {
  host_effects_.StartThread();
  message_effects_.StartThread();
}

void AutoScalingEngine::Flush() {
  host_effects_.Drain();
  message_effects_.Drain();
  if (schedule_listener_) schedule_listener_();
}

AutoScalingEngine::Group* AutoScalingEngine::GroupLocked(const std::string& name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

InstanceInfo* AutoScalingEngine::InstanceLocked(const std::string& id) {
  auto it = instances_.find(id);
  return it == instances_.end() ? nullptr : &it->second;
}

Status AutoScalingEngine::CreateGroup(const GroupInput& in) {
  Op op(this);
  if (groups_.count(in.name) != 0) {
    return Status(StatusCode::kAlreadyExists,
                  "AutoScalingGroup by this name already exists - A group with the name " +
                      in.name + " already exists",
                  "AlreadyExists");
  }
  if (in.launch_template.id.empty() && in.launch_template.name.empty()) {
    return AsgValidationError(
        "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, "
        "InstanceId or MixedInstancesPolicy parameter.");
  }
  LIFEBOAT_RETURN_IF_ERROR(templates_->Resolve(in.launch_template).status());
  if (!in.min_size || !in.max_size) {
    return AsgValidationError("MinSize and MaxSize are required");
  }
  const int min = *in.min_size;
  const int max = *in.max_size;
  if (min < 0 || min > max) return BoundsError(min, max);
  const int desired = in.desired_capacity.value_or(min);
  if (desired < min || desired > max) return CapacityError(desired, min, max);
  if (in.retention_terminate_hook_abandon && *in.retention_terminate_hook_abandon != "retain" &&
      *in.retention_terminate_hook_abandon != "terminate") {
    return AsgValidationError("Invalid TerminateHookAbandon value: " +
                              *in.retention_terminate_hook_abandon);
  }

  Group group;
  GroupInfo& g = group.info;
  g.name = in.name;
  g.arn = "arn:aws:autoscaling:" + options_.region + ":" + options_.account_id +
          ":autoScalingGroup:" + NewRequestId() + ":autoScalingGroupName/" + in.name;
  g.launch_template = in.launch_template;
  g.min_size = min;
  g.max_size = max;
  g.desired_capacity = desired;
  g.default_cooldown = in.default_cooldown.value_or(300);
  g.availability_zones = in.availability_zones;
  if (g.availability_zones.empty()) g.availability_zones.push_back(options_.region + "a");
  g.health_check_type = in.health_check_type.value_or("EC2");
  g.health_check_grace_period = in.health_check_grace_period.value_or(0);
  g.created_time = clock_->WallNow();
  g.tags = in.tags;
  g.new_instances_protected_from_scale_in =
      in.new_instances_protected_from_scale_in.value_or(false);
  g.retention_terminate_hook_abandon = in.retention_terminate_hook_abandon.value_or("");
  // Hooks exist before the first instance launches: the point of LifecycleHookSpecificationList.
  std::vector<std::string> test_targets;
  for (const LifecycleHookInput& hook : in.hooks) {
    bool target_changed = false;
    LIFEBOAT_RETURN_IF_ERROR(ApplyHookLocked(group, hook, &target_changed));
    if (target_changed) test_targets.push_back(hook.notification_target_arn.value_or(""));
  }
  for (const std::string& target : test_targets) {
    MessageEffect([sink = notifications_, target, account = options_.account_id, name = g.name,
                   arn = g.arn, now = clock_->WallNow()] {
      Status s = sink->Send(target, TestNotificationJson(account, name, arn, now));
      if (!s.ok()) spdlog::warn("test notification to {} failed: {}", target, s.ToString());
    });
  }
  groups_.emplace(in.name, std::move(group));
  return Status::Ok();
}

Status AutoScalingEngine::UpdateGroup(const GroupUpdate& up) {
  Op op(this);
  Group* group = GroupLocked(up.name);
  if (group == nullptr) return GroupNotFound(up.name);
  GroupInfo& g = group->info;
  const int min = up.min_size.value_or(g.min_size);
  const int max = up.max_size.value_or(g.max_size);
  if (min < 0 || min > max) return BoundsError(min, max);
  int desired = std::clamp(g.desired_capacity, min, max);  // as AWS adjusts it to new bounds
  if (up.desired_capacity) {
    desired = *up.desired_capacity;
    if (desired < min || desired > max) return CapacityError(desired, min, max);
  }
  if (up.launch_template) {
    LIFEBOAT_RETURN_IF_ERROR(templates_->Resolve(*up.launch_template).status());
  }
  if (up.retention_terminate_hook_abandon && *up.retention_terminate_hook_abandon != "retain" &&
      *up.retention_terminate_hook_abandon != "terminate") {
    return AsgValidationError("Invalid TerminateHookAbandon value: " +
                              *up.retention_terminate_hook_abandon);
  }
  g.min_size = min;
  g.max_size = max;
  g.desired_capacity = desired;
  if (up.launch_template) g.launch_template = *up.launch_template;
  if (up.default_cooldown) g.default_cooldown = *up.default_cooldown;
  if (up.health_check_type) g.health_check_type = *up.health_check_type;
  if (up.health_check_grace_period) g.health_check_grace_period = *up.health_check_grace_period;
  if (up.new_instances_protected_from_scale_in) {
    g.new_instances_protected_from_scale_in = *up.new_instances_protected_from_scale_in;
  }
  if (up.retention_terminate_hook_abandon) {
    g.retention_terminate_hook_abandon = *up.retention_terminate_hook_abandon;
  }
  return Status::Ok();
}

Status AutoScalingEngine::SetDesiredCapacity(const std::string& name, int desired) {
  Op op(this);
  Group* group = GroupLocked(name);
  if (group == nullptr) return GroupNotFound(name);
  GroupInfo& g = group->info;
  if (desired > g.max_size) {
    return AsgValidationError("New SetDesiredCapacity value " + std::to_string(desired) +
                              " is above max value " + std::to_string(g.max_size) +
                              " for the AutoScalingGroup.");
  }
  if (desired < g.min_size) {
    return AsgValidationError("New SetDesiredCapacity value " + std::to_string(desired) +
                              " is below min value " + std::to_string(g.min_size) +
                              " for the AutoScalingGroup.");
  }
  g.desired_capacity = desired;
  return Status::Ok();
}

Result<ScalingActivity> AutoScalingEngine::TerminateInstance(const std::string& id,
                                                             bool decrement) {
  Op op(this);
  InstanceInfo* inst = InstanceLocked(id);
  Group* group = inst == nullptr ? nullptr : GroupLocked(inst->group_name);
  if (group == nullptr || inst->state == LifecycleState::kTerminated) {
    return AsgValidationError(
        "Instance Id not found - No managed instance found for instance ID: " + id);
  }
  GroupInfo& g = group->info;
  ScalingActivity activity;
  activity.activity_id = NewRequestId();
  activity.group_name = g.name;
  activity.group_arn = g.arn;
  activity.description = "Terminating EC2 instance: " + id;
  activity.start_time = clock_->WallNow();
  activity.details =
      "{\"Subnet ID\":\"\",\"Availability Zone\":\"" + inst->availability_zone + "\"}";
  std::string cause = "At " + Iso8601Millis(activity.start_time).substr(0, 19) + "Z instance " +
                      id + " was taken out of service in response to a user request";
  if (inst->state == LifecycleState::kTerminatingRetained) {
    // A retained instance waits only for this call; its hooks have already run.
    activity.cause = cause + ".";
    ProceedLocked(*inst, LifecycleTransition::kTerminating);
    return activity;
  }
  if (!Counts(inst->state)) {  // already terminating: nothing more to do
    activity.cause = cause + ".";
    return activity;
  }
  if (decrement) {
    if (g.desired_capacity <= g.min_size) {
      return AsgValidationError("Currently, desiredSize equals minSize (" +
                                std::to_string(g.min_size) +
                                "). Terminating instance without replacement will violate "
                                "group's min size constraint. Either set "
                                "shouldDecrementDesiredCapacity flag to false or lower group's "
                                "min size.");
    }
    cause += ", shrinking the capacity from " + std::to_string(g.desired_capacity) + " to " +
             std::to_string(g.desired_capacity - 1);
    --g.desired_capacity;
  }
  activity.cause = cause + ".";
  StartTerminationLocked(*inst, activity.cause);
  return activity;
}

Status AutoScalingEngine::DeleteGroup(const std::string& name, bool force) {
  Op op(this);
  Group* group = GroupLocked(name);
  if (group == nullptr) return GroupNotFound(name);
  std::vector<InstanceInfo*> live;
  for (auto& [id, inst] : instances_) {
    if (inst.group_name == name && inst.state != LifecycleState::kTerminated) live.push_back(&inst);
  }
  if (!force) {
    for (const InstanceInfo* inst : live) {
      if (InTransition(inst->state)) {
        return Status(StatusCode::kFailedPrecondition,
                      "You cannot delete an AutoScalingGroup while there are scaling activities "
                      "in progress for that group.",
                      "ScalingActivityInProgress");
      }
    }
    if (!live.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "You cannot delete an AutoScalingGroup while there are instances or pending "
                    "Spot instance request(s) still in the group.",
                    "ResourceInUse");
    }
  }
  // ForceDelete terminates without waiting and drops outstanding lifecycle actions.
  for (InstanceInfo* inst : live) {
    DropActionsLocked(inst->id);
    inst->state = LifecycleState::kTerminated;
    HostEffect([host = host_, id = inst->id] { host->Terminate(id); });
  }
  groups_.erase(name);
  return Status::Ok();
}

std::vector<GroupInfo> AutoScalingEngine::DescribeGroups(const std::vector<std::string>& names) {
  Op op(this);
  std::vector<GroupInfo> out;
  for (const auto& [name, group] : groups_) {
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) continue;
    GroupInfo info = group.info;
    for (const auto& [id, inst] : instances_) {
      if (inst.group_name == name && inst.state != LifecycleState::kTerminated) {
        info.instances.push_back(inst);
      }
    }
    std::sort(info.instances.begin(), info.instances.end(),
              [](const InstanceInfo& a, const InstanceInfo& b) {
                return a.launch_sequence < b.launch_sequence;
              });
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<InstanceInfo> AutoScalingEngine::DescribeGroupInstances(
    const std::vector<std::string>& ids) {
  Op op(this);
  std::vector<InstanceInfo> out;
  for (const auto& [id, inst] : instances_) {
    if (inst.state == LifecycleState::kTerminated || groups_.count(inst.group_name) == 0) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    out.push_back(inst);
  }
  return out;
}

std::vector<InstanceInfo> AutoScalingEngine::AllInstances() {
  Op op(this);
  std::vector<InstanceInfo> out;
  for (const auto& [id, inst] : instances_) out.push_back(inst);
  std::sort(out.begin(), out.end(), [](const InstanceInfo& a, const InstanceInfo& b) {
    return a.launch_sequence < b.launch_sequence;
  });
  return out;
}

std::optional<InstanceInfo> AutoScalingEngine::FindInstance(const std::string& id) {
  Op op(this);
  const InstanceInfo* inst = InstanceLocked(id);
  if (inst == nullptr) return std::nullopt;
  return *inst;
}

void AutoScalingEngine::ReconcileLocked(Group& group) {
  GroupInfo& g = group.info;
  std::vector<InstanceInfo*> counted;
  for (auto& [id, inst] : instances_) {
    if (inst.group_name == g.name && Counts(inst.state)) counted.push_back(&inst);
  }
  for (size_t n = counted.size(); n < static_cast<size_t>(g.desired_capacity); ++n) {
    Status s = LaunchLocked(group);
    if (!s.ok()) {
      spdlog::warn("group {}: cannot launch an instance: {}", g.name, s.ToString());
      break;
    }
  }
  if (counted.size() <= static_cast<size_t>(g.desired_capacity)) return;
  // Scale-in: unprotected instances, oldest launch first.
  std::vector<InstanceInfo*> candidates;
  for (InstanceInfo* inst : counted) {
    if (!inst->protected_from_scale_in) candidates.push_back(inst);
  }
  std::sort(candidates.begin(), candidates.end(), [](const InstanceInfo* a, const InstanceInfo* b) {
    return a->launch_sequence < b->launch_sequence;
  });
  size_t excess = counted.size() - static_cast<size_t>(g.desired_capacity);
  for (size_t i = 0; i < excess && i < candidates.size(); ++i) {
    StartTerminationLocked(*candidates[i],
                           "At " + Iso8601Millis(clock_->WallNow()).substr(0, 19) +
                               "Z a user request explicitly set group desired capacity changing "
                               "the desired capacity, shrinking the capacity to " +
                               std::to_string(g.desired_capacity) + ".");
  }
}

Status AutoScalingEngine::LaunchLocked(Group& group) {
  GroupInfo& g = group.info;
  LIFEBOAT_ASSIGN_OR_RETURN(auto resolved, templates_->Resolve(g.launch_template));
  const auto& [tmpl, version] = resolved;
  // Balance availability zones: the zone with the fewest live instances of the group.
  std::map<std::string, int> per_zone;
  for (const std::string& zone : g.availability_zones) per_zone[zone] = 0;
  for (const auto& [id, inst] : instances_) {
    if (inst.group_name == g.name && Counts(inst.state)) ++per_zone[inst.availability_zone];
  }
  std::string zone = g.availability_zones.front();
  for (const std::string& z : g.availability_zones) {
    if (per_zone[z] < per_zone[zone]) zone = z;
  }
  InstanceInfo inst;
  inst.id = NewEc2Id("i");
  inst.group_name = g.name;
  inst.availability_zone = zone;
  inst.instance_type = version.data.instance_type.empty() ? "t3.micro" : version.data.instance_type;
  inst.image_id = version.data.image_id;
  inst.launch_sequence = ++launches_;
  inst.private_ip = PrivateIp(inst.launch_sequence);
  inst.launch_template = LaunchTemplateRef{tmpl.id, tmpl.name, std::to_string(version.number)};
  inst.state = LifecycleState::kPending;
  inst.booted = !host_->ReportsBoot();
  inst.protected_from_scale_in = g.new_instances_protected_from_scale_in;
  inst.launch_time = clock_->WallNow();
  inst.data = version.data;
  inst.cause = "At " + Iso8601Millis(inst.launch_time).substr(0, 19) +
               "Z an instance was started in response to a difference between desired and "
               "actual capacity, increasing the capacity to " +
               std::to_string(g.desired_capacity) + ".";
  for (const AsgTag& tag : g.tags) {
    if (tag.propagate_at_launch) inst.tags.push_back(Ec2Tag{tag.key, tag.value});
  }
  for (const Ec2Tag& tag : version.data.instance_tags) inst.tags.push_back(tag);
  inst.tags.push_back(Ec2Tag{"aws:autoscaling:groupName", g.name});

  InstanceLaunch launch;
  launch.instance_id = inst.id;
  launch.group_name = g.name;
  launch.region = options_.region;
  launch.availability_zone = zone;
  launch.private_ip = inst.private_ip;
  launch.launch_template_id = tmpl.id;
  launch.launch_template_version = version.number;
  launch.data = version.data;
  HostEffect([host = host_, launch = std::move(launch)] {
    host->Launch(launch);
    host->SetTargetLifecycleState(launch.instance_id, "InService");
  });
  auto [it, inserted] = instances_.emplace(inst.id, std::move(inst));
  EnterWaitLocked(it->second, LifecycleTransition::kLaunching);
  return Status::Ok();
}

void AutoScalingEngine::StartTerminationLocked(InstanceInfo& inst, const std::string& cause) {
  DropActionsLocked(inst.id);  // a launch that was still waiting ends here
  inst.state = LifecycleState::kTerminating;
  inst.cause = cause;
  HostEffect([host = host_, id = inst.id] { host->SetTargetLifecycleState(id, "Terminated"); });
  EnterWaitLocked(inst, LifecycleTransition::kTerminating);
}

void AutoScalingEngine::ProceedLocked(InstanceInfo& inst, LifecycleTransition transition) {
  const Group* group = GroupLocked(inst.group_name);
  const std::string arn = group == nullptr ? "" : group->info.arn;
  const auto now = clock_->WallNow();
  if (transition == LifecycleTransition::kLaunching) {
    // Pending:Proceed takes no time here: no load balancer or warm-up sits between it and
    // InService.
    inst.state = LifecycleState::kInService;
    MessageEffect([events = events_, arn,
                   detail = InstanceActivityEventDetail(transition, inst, arn, inst.cause,
                                                        inst.launch_time, now)] {
      events->Put(InstanceActivityDetailType(LifecycleTransition::kLaunching),
                  kAutoScalingEventSource, {arn}, detail);
    });
    return;
  }
  // Terminating:Proceed lasts while the host ends the instance's processes: Terminated means
  // nothing of the instance runs any more.
  inst.state = LifecycleState::kTerminatingProceed;
  HostEffect([this, id = inst.id] {
    host_->Terminate(id);
    OnHostTerminated(id);
  });
}

void AutoScalingEngine::OnInstanceBooted(const std::string& instance_id) {
  Op op(this);
  InstanceInfo* inst = InstanceLocked(instance_id);
  if (inst == nullptr || inst->booted) return;
  inst->booted = true;
  // Pending:Wait ends with its hooks, not with the boot; a terminating one stays so.
  if (inst->state == LifecycleState::kPending) ProceedLocked(*inst, LifecycleTransition::kLaunching);
}

void AutoScalingEngine::OnHostTerminated(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  InstanceInfo* inst = InstanceLocked(id);
  if (inst == nullptr || inst->state != LifecycleState::kTerminatingProceed) return;
  inst->state = LifecycleState::kTerminated;
  const Group* group = GroupLocked(inst->group_name);
  const std::string arn = group == nullptr ? "" : group->info.arn;
  const auto now = clock_->WallNow();
  MessageEffect([events = events_, arn,
                 detail = InstanceActivityEventDetail(LifecycleTransition::kTerminating, *inst, arn,
                                                      inst->cause, now, now)] {
    events->Put(InstanceActivityDetailType(LifecycleTransition::kTerminating),
                kAutoScalingEventSource, {arn}, detail);
  });
}

}  // namespace lifeboat

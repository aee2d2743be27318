// Lifecycle hooks, lifecycle actions and their timers (see asg_engine.h for the rules).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <regex>
#include <utility>

#include "local/autoscaling/asg_engine.h"
#include "local/autoscaling/asg_messages.h"
#include "local/local_service.h"

namespace lifeboat {

namespace {

bool ValidHookName(const std::string& name) {
  static const std::regex kPattern("[A-Za-z0-9\\-_/]+");
  return !name.empty() && name.size() <= 255 && std::regex_match(name, kPattern);
}

}  // namespace

std::chrono::nanoseconds AutoScalingEngine::SimNowLocked() const {
  return fire_time_ ? *fire_time_ : clock_->Now();
}

Status AutoScalingEngine::ApplyHookLocked(Group& group, const LifecycleHookInput& in,
                                          bool* target_changed) {
  *target_changed = false;
  if (!ValidHookName(in.name)) {
    return AsgValidationError("1 validation error detected: Value '" + in.name +
                              "' at 'lifecycleHookName' failed to satisfy constraint: Member must "
                              "satisfy regular expression pattern: [A-Za-z0-9\\-_\\/]+");
  }
  auto it = std::find_if(group.hooks.begin(), group.hooks.end(),
                         [&](const LifecycleHook& h) { return h.name == in.name; });
  LifecycleHook hook;
  if (it != group.hooks.end()) {
    hook = *it;
  } else {
    if (!in.transition) {
      return AsgValidationError("A LifecycleTransition is required to create lifecycle hook " +
                                in.name);
    }
    if (group.hooks.size() >= static_cast<size_t>(kMaxHooksPerGroup)) {
      return Status(StatusCode::kResourceExhausted,
                    "Lifecycle hook limit of " + std::to_string(kMaxHooksPerGroup) +
                        " reached for group " + group.info.name,
                    "LimitExceeded");
    }
    hook.name = in.name;
    hook.group_name = group.info.name;
  }
  if (in.transition) {
    auto transition = ParseTransition(*in.transition);
    if (!transition) {
      return AsgValidationError("Invalid Lifecycle Transition: " + *in.transition +
                                ". Valid values are autoscaling:EC2_INSTANCE_LAUNCHING and "
                                "autoscaling:EC2_INSTANCE_TERMINATING");
    }
    hook.transition = *transition;
  }
  if (in.heartbeat_timeout) {
    if (*in.heartbeat_timeout < kMinHeartbeatTimeout ||
        *in.heartbeat_timeout > kMaxHeartbeatTimeout) {
      return AsgValidationError("Heartbeat timeout must be between " +
                                std::to_string(kMinHeartbeatTimeout) + " and " +
                                std::to_string(kMaxHeartbeatTimeout) + " seconds, not " +
                                std::to_string(*in.heartbeat_timeout));
    }
    hook.heartbeat_timeout = *in.heartbeat_timeout;
  }
  if (in.default_result) {
    auto result = ParseActionResult(*in.default_result);
    if (!result) {
      return AsgValidationError("Invalid DefaultResult: " + *in.default_result +
                                ". Valid values are CONTINUE and ABANDON");
    }
    hook.default_result = *result;
  }
  if (in.notification_target_arn) {
    *target_changed = !in.notification_target_arn->empty() &&
                      *in.notification_target_arn != hook.notification_target_arn;
    hook.notification_target_arn = *in.notification_target_arn;
  }
  if (in.role_arn) hook.role_arn = *in.role_arn;
  if (in.notification_metadata) hook.notification_metadata = *in.notification_metadata;
  if (it != group.hooks.end()) {
    *it = std::move(hook);
  } else {
    group.hooks.push_back(std::move(hook));
  }
  return Status::Ok();
}

Status AutoScalingEngine::PutLifecycleHook(const LifecycleHookInput& in) {
  std::string group_arn;
  {
    Op op(this);
    Group* group = GroupLocked(in.group_name);
    if (group == nullptr) return GroupNotFound(in.group_name);
    // Validate on a copy: a hook with a new notification target exists only once the test
    // message has reached that target, as AWS checks the target first.
    Group candidate = *group;
    bool target_changed = false;
    LIFEBOAT_RETURN_IF_ERROR(ApplyHookLocked(candidate, in, &target_changed));
    if (!target_changed) {
      group->hooks = std::move(candidate.hooks);
      return Status::Ok();
    }
    group_arn = group->info.arn;
  }
  const std::string& target = *in.notification_target_arn;
  Status sent = notifications_->Send(
      target,
      TestNotificationJson(options_.account_id, in.group_name, group_arn, clock_->WallNow()));
  if (!sent.ok()) {
    spdlog::warn("test notification to {} failed: {}", target, sent.ToString());
    return AsgValidationError("Unable to publish test message to notification target " + target +
                              " using IAM role " + in.role_arn.value_or("") +
                              ". Please check your target and role configuration and try to put "
                              "lifecycle hook again.");
  }
  Op op(this);
  Group* group = GroupLocked(in.group_name);
  if (group == nullptr) return GroupNotFound(in.group_name);
  bool target_changed = false;
  return ApplyHookLocked(*group, in, &target_changed);
}

Result<std::vector<LifecycleHook>> AutoScalingEngine::DescribeLifecycleHooks(
    const std::string& group_name, const std::vector<std::string>& names) {
  Op op(this);
  const Group* group = GroupLocked(group_name);
  if (group == nullptr) return GroupNotFound(group_name);
  std::vector<LifecycleHook> out;
  for (const LifecycleHook& hook : group->hooks) {
    if (names.empty() || std::find(names.begin(), names.end(), hook.name) != names.end()) {
      out.push_back(hook);
    }
  }
  return out;
}

Status AutoScalingEngine::DeleteLifecycleHook(const std::string& group_name,
                                              const std::string& hook_name) {
  Op op(this);
  Group* group = GroupLocked(group_name);
  if (group == nullptr) return GroupNotFound(group_name);
  auto it = std::find_if(group->hooks.begin(), group->hooks.end(),
                         [&](const LifecycleHook& h) { return h.name == hook_name; });
  if (it == group->hooks.end()) {
    return AsgValidationError("No Lifecycle Hook found with name " + hook_name + " for group " +
                              group_name);
  }
  group->hooks.erase(it);
  // Instances waiting on the deleted hook continue, as the user guide documents.
  std::vector<std::string> tokens;
  for (const auto& [token, action] : actions_) {
    if (action.group_name == group_name && action.hook_name == hook_name) tokens.push_back(token);
  }
  for (const std::string& token : tokens) FinishActionLocked(token, ActionResult::kContinue);
  return Status::Ok();
}

Result<AutoScalingEngine::Action*> AutoScalingEngine::FindActionLocked(
    const std::string& group_name, const std::string& hook_name, const std::string& token,
    const std::string& instance_id) {
  if (!token.empty()) {
    auto it = actions_.find(token);
    if (it == actions_.end() || it->second.group_name != group_name ||
        it->second.hook_name != hook_name) {
      return AsgValidationError("No active Lifecycle Action found with token " + token);
    }
    return &it->second;
  }
  if (instance_id.empty()) {
    return AsgValidationError("Either LifecycleActionToken or InstanceId must be specified");
  }
  for (auto& [t, action] : actions_) {
    if (action.group_name == group_name && action.hook_name == hook_name &&
        action.instance_id == instance_id) {
      return &action;
    }
  }
  return AsgValidationError("No active Lifecycle Action found with instance ID " + instance_id);
}

Status AutoScalingEngine::CompleteLifecycleAction(const std::string& group_name,
                                                  const std::string& hook_name,
                                                  const std::string& token,
                                                  const std::string& instance_id,
                                                  const std::string& result) {
  auto parsed = ParseActionResult(result);
  if (!parsed) {
    return AsgValidationError("Invalid LifecycleActionResult: " + result +
                              ". Valid values are CONTINUE and ABANDON");
  }
  Op op(this);
  LIFEBOAT_ASSIGN_OR_RETURN(Action * action,
                            FindActionLocked(group_name, hook_name, token, instance_id));
  FinishActionLocked(std::string(action->token), *parsed);
  return Status::Ok();
}

Status AutoScalingEngine::RecordLifecycleActionHeartbeat(const std::string& group_name,
                                                         const std::string& hook_name,
                                                         const std::string& token,
                                                         const std::string& instance_id) {
  Op op(this);
  LIFEBOAT_ASSIGN_OR_RETURN(Action * action,
                            FindActionLocked(group_name, hook_name, token, instance_id));
  // A heartbeat restarts the heartbeat timeout; the global timeout still caps the wait.
  action->heartbeat_deadline = SimNowLocked() + action->heartbeat_timeout;
  return Status::Ok();
}

std::vector<PendingLifecycleAction> AutoScalingEngine::PendingActions() {
  Op op(this);
  std::vector<PendingLifecycleAction> out;
  for (const auto& [token, a] : actions_) {
    out.push_back({a.token, a.group_name, a.hook_name, a.instance_id, a.transition, a.deadline()});
  }
  return out;
}

std::optional<std::chrono::nanoseconds> AutoScalingEngine::NextDeadline() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<std::chrono::nanoseconds> next;
  for (const auto& [token, a] : actions_) {
    if (!next || a.deadline() < *next) next = a.deadline();
  }
  return next;
}

void AutoScalingEngine::FireDueTimers() { Op op(this); }

void AutoScalingEngine::FireDueLocked() {
  const auto now = clock_->Now();
  for (;;) {
    const Action* due = nullptr;
    for (const auto& [token, a] : actions_) {
      if (a.deadline() <= now && (due == nullptr || a.deadline() < due->deadline())) due = &a;
    }
    if (due == nullptr) break;
    // What follows from a timeout (another hook's action, say) starts at the deadline
    // itself, not at whatever later moment the timer was noticed.
    fire_time_ = due->deadline();
    FinishActionLocked(std::string(due->token), due->default_result);
    fire_time_.reset();
  }
}

void AutoScalingEngine::EnterWaitLocked(InstanceInfo& inst, LifecycleTransition transition) {
  const Group* group = GroupLocked(inst.group_name);
  std::vector<const LifecycleHook*> hooks;
  if (group != nullptr) {
    for (const LifecycleHook& hook : group->hooks) {
      if (hook.transition == transition) hooks.push_back(&hook);
    }
  }
  if (hooks.empty()) {
    // As AWS, an instance without a launch hook is Pending while it boots: InService
    // comes once its user data has run (OnInstanceBooted).
    if (transition == LifecycleTransition::kLaunching && !inst.booted) return;
    ProceedLocked(inst, transition);
    return;
  }
  inst.state = transition == LifecycleTransition::kLaunching ? LifecycleState::kPendingWait
                                                             : LifecycleState::kTerminatingWait;
  const auto now = SimNowLocked();
  for (const LifecycleHook* hook : hooks) {
    Action a;
    a.token = NewRequestId();
    a.group_name = inst.group_name;
    a.hook_name = hook->name;
    a.instance_id = inst.id;
    a.transition = transition;
    a.default_result = hook->default_result;
    a.heartbeat_timeout = std::chrono::seconds(hook->heartbeat_timeout);
    a.heartbeat_deadline = now + a.heartbeat_timeout;
    a.global_deadline = now + std::chrono::seconds(hook->global_timeout());
    LifecycleActionNotice notice;
    notice.account_id = options_.account_id;
    notice.token = a.token;
    notice.group_name = inst.group_name;
    notice.group_arn = group->info.arn;
    notice.hook_name = hook->name;
    notice.instance_id = inst.id;
    notice.transition = transition;
    notice.notification_metadata = hook->notification_metadata;
    notice.time = clock_->WallNow();
    if (!hook->notification_target_arn.empty()) {
      MessageEffect([sink = notifications_, target = hook->notification_target_arn,
                     message = HookNotificationJson(notice)] {
        Status s = sink->Send(target, message);
        if (!s.ok()) spdlog::warn("lifecycle notification to {} failed: {}", target, s.ToString());
      });
    }
    MessageEffect([events = events_, arn = group->info.arn,
                   type = LifecycleActionDetailType(transition),
                   detail = LifecycleActionEventDetail(notice)] {
      events->Put(type, kAutoScalingEventSource, {arn}, detail);
    });
    actions_.emplace(a.token, std::move(a));
  }
}

void AutoScalingEngine::FinishActionLocked(const std::string& token, ActionResult result) {
  auto it = actions_.find(token);
  if (it == actions_.end()) return;
  const Action action = std::move(it->second);
  actions_.erase(it);
  InstanceInfo* inst = InstanceLocked(action.instance_id);
  if (inst == nullptr) return;
  if (result == ActionResult::kAbandon) {
    DropActionsLocked(inst->id);  // ABANDON ends the other hooks' actions too
    if (action.transition == LifecycleTransition::kLaunching) {
      StartTerminationLocked(*inst, "At " + Iso8601Millis(clock_->WallNow()).substr(0, 19) +
                                        "Z instance " + inst->id +
                                        " was taken out of service because launch lifecycle "
                                        "hook " +
                                        action.hook_name + " ended with ABANDON.");
      return;
    }
    const Group* group = GroupLocked(inst->group_name);
    if (group != nullptr && group->info.retention_terminate_hook_abandon == "retain") {
      inst->state = LifecycleState::kTerminatingRetained;
      return;
    }
    ProceedLocked(*inst, LifecycleTransition::kTerminating);
    return;
  }
  if (!HasActionsLocked(inst->id)) ProceedLocked(*inst, action.transition);
}

void AutoScalingEngine::DropActionsLocked(const std::string& instance_id) {
  std::erase_if(actions_,
                [&](const auto& entry) { return entry.second.instance_id == instance_id; });
}

bool AutoScalingEngine::HasActionsLocked(const std::string& instance_id) const {
  return std::any_of(actions_.begin(), actions_.end(),
                     [&](const auto& entry) { return entry.second.instance_id == instance_id; });
}

}  // namespace lifeboat

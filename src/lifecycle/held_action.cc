#include "lifecycle/held_action.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "lifecycle/lifecycle_notice.h"

namespace lifeboat {
namespace {

std::chrono::milliseconds Scaled(int seconds, double time_scale) {
  return std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(seconds * 1000.0 / time_scale)));
}

}  // namespace

std::string HeldAction::Describe() const {
  return ref.group + "/" + ref.hook + " for " + ref.instance_id;
}

Result<std::optional<HeldAction>> ResolveHeldAction(AutoScalingApi& api,
                                                    const LifecycleTarget& target,
                                                    SteadyTime wait_started,
                                                    bool wait_start_known) {
  if (target.time_scale <= 0) return Status::InvalidArgument("time scale must be above 0");
  HeldAction held;
  held.ref.instance_id = target.instance_id;
  held.ref.token = target.token;
  held.wait_started = wait_started;
  held.wait_start_known = wait_start_known;

  held.ref.group = target.group;
  if (held.ref.group.empty() || held.ref.group == kAuto) {
    LIFEBOAT_ASSIGN_OR_RETURN(auto instance, api.DescribeAutoScalingInstance(target.instance_id));
    if (!instance) {
      spdlog::warn("{} is in no Auto Scaling group: no lifecycle action to complete",
                   target.instance_id);
      return std::optional<HeldAction>();
    }
    held.ref.group = instance->group;
  }

  LIFEBOAT_ASSIGN_OR_RETURN(auto hooks, api.DescribeLifecycleHooks(held.ref.group));
  const LifecycleHookInfo* chosen = nullptr;
  int terminating = 0;
  for (const auto& hook : hooks) {
    const bool is_terminate = hook.transition == kTerminatingTransition;
    if (target.hook.empty() || target.hook == kAuto) {
      if (!is_terminate) continue;
      ++terminating;
      chosen = &hook;
    } else if (hook.name == target.hook) {
      chosen = &hook;
    }
  }
  if (terminating > 1) {
    return Status::InvalidArgument("group " + held.ref.group + " has " +
                                   std::to_string(terminating) +
                                   " terminate lifecycle hooks: name the one lifeboat completes");
  }
  if (chosen == nullptr) {
    if (target.hook.empty() || target.hook == kAuto) {
      spdlog::warn("group {} has no terminate lifecycle hook: nothing holds {} for its logs",
                   held.ref.group, target.instance_id);
      return std::optional<HeldAction>();
    }
    return Status::NotFound("group " + held.ref.group + " has no lifecycle hook named " +
                            target.hook);
  }
  held.ref.hook = chosen->name;
  held.default_result = chosen->default_result;
  held.heartbeat_timeout = Scaled(chosen->heartbeat_timeout, target.time_scale);
  // AWS: min(100 x heartbeat timeout, 48 h); older answers may lack the field.
  const int global = chosen->global_timeout > 0 ? chosen->global_timeout
                                                : std::min(100 * chosen->heartbeat_timeout, 172800);
  held.global_timeout = Scaled(global, target.time_scale);
  return std::optional<HeldAction>(std::move(held));
}

}  // namespace lifeboat

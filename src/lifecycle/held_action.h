// HeldAction: one lifecycle action that is holding an instance in Terminating:Wait, with
// the timeouts of its hook, and how lifeboat finds it.
//
// The operator names the group and hook, or leaves them "auto": the group is the one the
// instance belongs to (DescribeAutoScalingInstances), the hook is the group's only
// EC2_INSTANCE_TERMINATING hook. The token is known when a notification carried it (SQS,
// the controller's event); an IMDS watcher knows only the instance id, which Auto Scaling
// accepts as well.
#ifndef LIFEBOAT_LIFECYCLE_HELD_ACTION_H_
#define LIFEBOAT_LIFECYCLE_HELD_ACTION_H_

#include <chrono>
#include <optional>
#include <string>

#include "aws/autoscaling_client.h"
#include "common/status.h"

namespace lifeboat {

using SteadyTime = std::chrono::steady_clock::time_point;

inline constexpr std::string_view kAuto = "auto";

// What configuration or flags say about the action to complete.
struct LifecycleTarget {
  std::string instance_id;
  std::string group{kAuto};
  std::string hook{kAuto};
  std::string token;  // empty: complete by instance id
  // lifeboat local's --time-scale: its hooks' timeouts last 1/time_scale as long. 1 on AWS.
  double time_scale = 1.0;
};

struct HeldAction {
  LifecycleActionRef ref;
  std::chrono::milliseconds heartbeat_timeout{0};  // already divided by the time scale
  std::chrono::milliseconds global_timeout{0};
  std::string default_result;
  SteadyTime wait_started{};  // when the wait began (or the earliest it can have begun)
  // False when wait_started is only when we heard of it (a Run Command started later by
  // someone else): then the first heartbeat goes out at once, since the hook's timer may
  // have run for a while already.
  bool wait_start_known = true;

  SteadyTime global_deadline() const { return wait_started + global_timeout; }
  // "web/log-hook for i-0123..." for logs.
  std::string Describe() const;
};

// Finds the group and hook, and reads the hook's timeouts. nullopt (and a log line saying
// why) when there is nothing to hold: the instance is in no group, or the group has no
// terminate hook. An error when the API fails or "auto" is ambiguous (several terminate
// hooks: the message says to name one).
Result<std::optional<HeldAction>> ResolveHeldAction(AutoScalingApi& api,
                                                    const LifecycleTarget& target,
                                                    SteadyTime wait_started,
                                                    bool wait_start_known = true);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_HELD_ACTION_H_

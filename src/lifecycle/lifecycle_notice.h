// LifecycleNotice: what an Auto Scaling lifecycle notification says, read from any of the
// three shapes it reaches a consumer in:
//   - an EventBridge event ("detail-type": "EC2 Instance-terminate Lifecycle Action",
//     the action in "detail"), as a rule delivers it to Lambda or to an SQS target;
//   - the message Auto Scaling itself sends to a hook's SQS notification target
//     ({"LifecycleTransition", "LifecycleActionToken", "EC2InstanceId", ...}), including
//     its "Event": "autoscaling:TEST_NOTIFICATION" when the hook is created;
//   - either of those wrapped in an SNS envelope ({"Type": "Notification", "Message": "..."}).
// The controller (events, SQS messages) and the agent's SQS watcher share this parser.
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_LIFECYCLE_LIFECYCLE_NOTICE_H_
#define LIFEBOAT_LIFECYCLE_LIFECYCLE_NOTICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace lifeboat {

inline constexpr std::string_view kTerminatingTransition = "autoscaling:EC2_INSTANCE_TERMINATING";
inline constexpr std::string_view kLaunchingTransition = "autoscaling:EC2_INSTANCE_LAUNCHING";

struct LifecycleNotice {
  enum class Kind {
    kAction,            // a lifecycle action waiting for completion
    kTestNotification,  // autoscaling:TEST_NOTIFICATION: nothing waits for it
  };
  Kind kind = Kind::kAction;
  std::string instance_id;
  std::string group;
  std::string hook;
  std::string token;
  std::string transition;   // kTerminatingTransition, kLaunchingTransition
  std::string origin;       // "AutoScalingGroup", "EC2", "WarmPool"; empty when not said
  std::string destination;  // "EC2", "AutoScalingGroup", "WarmPool"; empty when not said
  std::string notification_metadata;
  // When Auto Scaling sent it (the wait began at about this time); nullopt if not said.
  std::optional<std::chrono::system_clock::time_point> time;
  std::string source_shape;  // "eventbridge", "autoscaling" or "sns+..." (for logs)

  bool terminating() const { return kind == Kind::kAction && transition == kTerminatingTransition; }
  // Scale-in into a warm pool: the instance is stopped (or hibernated), not terminated.
  bool to_warm_pool() const { return destination == "WarmPool"; }
};

// kInvalidArgument, naming what is wrong, when `text` is not JSON or not a lifecycle
// notification of any of the shapes above (an action needs instance, group, hook,
// transition and token).
Result<LifecycleNotice> ParseLifecycleNotice(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_LIFECYCLE_NOTICE_H_

// The JSON documents Auto Scaling sends about lifecycle actions, in AWS's shapes and key
// order: the message a hook's notification target (SQS) receives, the
// autoscaling:TEST_NOTIFICATION sent when a hook is put, and EventBridge event details
// ("EC2 Instance-launch Lifecycle Action", "EC2 Instance Launch Successful", ...).
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_ASG_MESSAGES_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_ASG_MESSAGES_H_

#include <chrono>
#include <string>

#include "local/autoscaling/asg_types.h"

namespace lifeboat {

inline constexpr char kAutoScalingEventSource[] = "aws.autoscaling";

struct LifecycleActionNotice {
  std::string account_id;
  std::string token;
  std::string group_name;
  std::string group_arn;
  std::string hook_name;
  std::string instance_id;
  LifecycleTransition transition = LifecycleTransition::kLaunching;
  std::string notification_metadata;  // omitted when empty
  std::chrono::system_clock::time_point time;
};

// "2026-01-01T00:00:00.123Z"
std::string Iso8601Millis(std::chrono::system_clock::time_point t);

// The SQS message body for a lifecycle action: Origin, LifecycleHookName, Destination,
// AccountId, RequestId, LifecycleTransition, AutoScalingGroupName, Service, Time,
// EC2InstanceId, LifecycleActionToken[, NotificationMetadata].
std::string HookNotificationJson(const LifecycleActionNotice& notice);
// {"AccountId", "RequestId", "AutoScalingGroupARN", "AutoScalingGroupName", "Service",
//  "Event": "autoscaling:TEST_NOTIFICATION", "Time"}
std::string TestNotificationJson(const std::string& account_id, const std::string& group_name,
                                 const std::string& group_arn,
                                 std::chrono::system_clock::time_point time);

// "EC2 Instance-launch Lifecycle Action" / "EC2 Instance-terminate Lifecycle Action".
std::string LifecycleActionDetailType(LifecycleTransition transition);
std::string LifecycleActionEventDetail(const LifecycleActionNotice& notice);

// "EC2 Instance Launch Successful" / "EC2 Instance Terminate Successful" and their detail.
std::string InstanceActivityDetailType(LifecycleTransition transition);
std::string InstanceActivityEventDetail(LifecycleTransition transition,
                                        const InstanceInfo& instance, const std::string& group_arn,
                                        const std::string& cause,
                                        std::chrono::system_clock::time_point start,
                                        std::chrono::system_clock::time_point end);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_ASG_MESSAGES_H_

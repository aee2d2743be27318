#include "local/autoscaling/asg_messages.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "local/local_service.h"

namespace lifeboat {

namespace {

using OrderedJson = nlohmann::ordered_json;

bool Launching(LifecycleTransition t) { return t == LifecycleTransition::kLaunching; }
// Launches move an instance from EC2 into the group; terminations the other way.
const char* Origin(LifecycleTransition t) { return Launching(t) ? "EC2" : "AutoScalingGroup"; }
const char* Destination(LifecycleTransition t) { return Launching(t) ? "AutoScalingGroup" : "EC2"; }

}  // namespace

std::string Iso8601Millis(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count() % 1000));
  return buf;
}

std::string HookNotificationJson(const LifecycleActionNotice& n) {
  OrderedJson j;
  j["Origin"] = Origin(n.transition);
  j["LifecycleHookName"] = n.hook_name;
  j["Destination"] = Destination(n.transition);
  j["AccountId"] = n.account_id;
  j["RequestId"] = NewRequestId();
  j["LifecycleTransition"] = std::string(TransitionName(n.transition));
  j["AutoScalingGroupName"] = n.group_name;
  j["Service"] = "AWS Auto Scaling";
  j["Time"] = Iso8601Millis(n.time);
  j["EC2InstanceId"] = n.instance_id;
  j["LifecycleActionToken"] = n.token;
  if (!n.notification_metadata.empty()) j["NotificationMetadata"] = n.notification_metadata;
  return j.dump();
}

std::string TestNotificationJson(const std::string& account_id, const std::string& group_name,
                                 const std::string& group_arn,
                                 std::chrono::system_clock::time_point time) {
  OrderedJson j;
  j["AccountId"] = account_id;
  j["RequestId"] = NewRequestId();
  j["AutoScalingGroupARN"] = group_arn;
  j["AutoScalingGroupName"] = group_name;
  j["Service"] = "AWS Auto Scaling";
  j["Event"] = "autoscaling:TEST_NOTIFICATION";
  j["Time"] = Iso8601Millis(time);
  return j.dump();
}

std::string LifecycleActionDetailType(LifecycleTransition transition) {
  return Launching(transition) ? "EC2 Instance-launch Lifecycle Action"
                               : "EC2 Instance-terminate Lifecycle Action";
}

std::string LifecycleActionEventDetail(const LifecycleActionNotice& n) {
  OrderedJson j;
  j["LifecycleActionToken"] = n.token;
  j["AutoScalingGroupName"] = n.group_name;
  j["LifecycleHookName"] = n.hook_name;
  j["EC2InstanceId"] = n.instance_id;
  j["LifecycleTransition"] = std::string(TransitionName(n.transition));
  if (!n.notification_metadata.empty()) j["NotificationMetadata"] = n.notification_metadata;
  j["Origin"] = Origin(n.transition);
  j["Destination"] = Destination(n.transition);
  return j.dump();
}

std::string InstanceActivityDetailType(LifecycleTransition transition) {
  return Launching(transition) ? "EC2 Instance Launch Successful"
                               : "EC2 Instance Terminate Successful";
}

std::string InstanceActivityEventDetail(LifecycleTransition transition,
                                        const InstanceInfo& instance, const std::string& group_arn,
                                        const std::string& cause,
                                        std::chrono::system_clock::time_point start,
                                        std::chrono::system_clock::time_point end) {
  OrderedJson j;
  j["Origin"] = Origin(transition);
  j["Destination"] = Destination(transition);
  j["Progress"] = 100;
  j["Description"] =
      (Launching(transition) ? "Launching a new EC2 instance: " : "Terminating EC2 instance: ") +
      instance.id;
  j["RequestId"] = NewRequestId();
  j["EndTime"] = Iso8601Millis(end);
  j["AutoScalingGroupARN"] = group_arn;
  j["ActivityId"] = NewRequestId();
  j["StartTime"] = Iso8601Millis(start);
  j["Service"] = "AWS Auto Scaling";
  j["EC2InstanceId"] = instance.id;
  j["StatusCode"] = "InProgress";
  j["StatusMessage"] = "";
  j["AutoScalingGroupName"] = instance.group_name;
  j["Cause"] = cause;
  j["Details"] = OrderedJson{{"Subnet ID", ""}, {"Availability Zone", instance.availability_zone}};
  return j.dump();
}

}  // namespace lifeboat

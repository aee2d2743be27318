// What the Auto Scaling engine does to the rest of `lifeboat local`, behind three small
// interfaces the server wires up: simulated instances (InstanceHost), SQS for hook
// notifications (NotificationSink) and EventBridge (EventSink).
//
// The engine never calls these while holding its own lock, always from one thread at a
// time and in the order the state changes happened, so an implementation may call back
// into the engine (for example run user data that completes a lifecycle action).
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_SIDE_EFFECTS_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_SIDE_EFFECTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "local/autoscaling/launch_templates.h"

namespace lifeboat {

struct InstanceLaunch {
  std::string instance_id;
  std::string group_name;
  std::string region;
  std::string availability_zone;
  std::string private_ip;
  std::string launch_template_id;
  int64_t launch_template_version = 1;
  LaunchTemplateData data;  // data.user_data is base64, as CreateLaunchTemplate received it
};

class InstanceHost {
 public:
  virtual ~InstanceHost() = default;
  // The instance entered Pending: start it (run its user data, as cloud-init would).
  virtual void Launch(const InstanceLaunch& launch) = 0;
  // Whether this host tells the engine when a launched instance has booted
  // (AutoScalingEngine::OnInstanceBooted). If so, an instance without a launch hook stays
  // Pending until then; if not, it goes InService at once.
  virtual bool ReportsBoot() const { return false; }
  // The instance reached Terminated: end every process it has.
  virtual void Terminate(const std::string& instance_id) = 0;
  // What IMDS answers at autoscaling/target-lifecycle-state: "InService" from launch,
  // "Terminated" as soon as the group decides to terminate the instance.
  virtual void SetTargetLifecycleState(const std::string& instance_id, std::string_view state) = 0;
};

class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  // Sends `message` (a JSON document) to the target of a lifecycle hook, an SQS queue ARN
  // ("arn:aws:sqs:us-east-1:000000000000:my-queue"). An error means the target does not
  // exist or refused the message: PutLifecycleHook then fails as AWS's does.
  virtual Status Send(const std::string& target_arn, const std::string& message) = 0;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // One EventBridge event: `detail_type` ("EC2 Instance-terminate Lifecycle Action"),
  // `source` ("aws.autoscaling"), `resources` (the group's ARN) and `detail` (JSON).
  virtual void Put(const std::string& detail_type, const std::string& source,
                   const std::vector<std::string>& resources, const std::string& detail) = 0;
};

// Defaults for pieces that are not wired (yet).
class NoopInstanceHost final : public InstanceHost {
 public:
  void Launch(const InstanceLaunch&) override {}
  void Terminate(const std::string&) override {}
  void SetTargetLifecycleState(const std::string&, std::string_view) override {}
};

class NoopNotificationSink final : public NotificationSink {
 public:
  Status Send(const std::string&, const std::string&) override { return Status::Ok(); }
};

class NoopEventSink final : public EventSink {
 public:
  void Put(const std::string&, const std::string&, const std::vector<std::string>&,
           const std::string&) override {}
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_SIDE_EFFECTS_H_

// The joints between lifeboat local's parts: Auto Scaling starts and ends simulated
// instances (InstanceFleet) and notifies lifecycle hooks through SQS; SSM Run Command runs
// its scripts inside those instances.
#ifndef LIFEBOAT_LOCAL_CLOUD_WIRING_H_
#define LIFEBOAT_LOCAL_CLOUD_WIRING_H_

#include <functional>
#include <mutex>
#include <string>

#include "common/logging.h"
#include "local/autoscaling/side_effects.h"
#include "local/events/event_target_invoker.h"
#include "local/instances/instance_fleet.h"
#include "local/sqs/sqs_service.h"
#include "local/ssm/command_host.h"

namespace lifeboat {

class FleetInstanceHost final : public InstanceHost {
 public:
  explicit FleetInstanceHost(InstanceFleet* fleet) : fleet_(fleet) {}
  // Who hears that an instance booted (the Auto Scaling engine). Cleared (nullptr) before
  // the listener goes away: instances still booting then are not reported.
  void SetBootListener(std::function<void(const std::string&)> listener) {
    std::lock_guard lock(boot_mu_);
    boot_listener_ = std::move(listener);
  }
  bool ReportsBoot() const override { return true; }
  void Launch(const InstanceLaunch& launch) override;
  void Terminate(const std::string& instance_id) override { fleet_->Terminate(instance_id); }
  void SetTargetLifecycleState(const std::string& instance_id, std::string_view state) override {
    fleet_->SetTargetLifecycleState(instance_id, state);
  }

 private:
  void Booted(const std::string& instance_id) {
    std::lock_guard lock(boot_mu_);
    if (boot_listener_) boot_listener_(instance_id);
  }

  InstanceFleet* fleet_;
  std::mutex boot_mu_;
  std::function<void(const std::string&)> boot_listener_;
};

class SqsNotificationSink final : public NotificationSink {
 public:
  explicit SqsNotificationSink(LocalSqs* sqs) : sqs_(sqs) {}
  Status Send(const std::string& arn, const std::string& message) override {
    return sqs_->SendToArn(arn, message);
  }

 private:
  LocalSqs* sqs_;
};

// SSM's view of the simulated instances: scripts run inside them (InstanceFleet::
// RunCommand), and the beginning of their output is read back from the instance's files.
class FleetCommandHost final : public CommandHost {
 public:
  FleetCommandHost(Env* env, InstanceFleet* fleet) : env_(env), fleet_(fleet) {}
  bool Running(const std::string& instance_id) override { return fleet_->Running(instance_id); }
  std::vector<HostInstance> RunningInstances() override;
  Result<HostCommandResult> Run(const HostCommand& command) override;

 private:
  Env* env_;
  InstanceFleet* fleet_;
};

// Where EventBridge rules deliver: SQS queues through LocalSqs, Lambda functions through
// `lambda` (asynchronous invoke). Any other target is an error, which EventBridge retries
// as it would an unavailable one.
class CloudEventTargets final : public EventTargetInvoker {
 public:
  explicit CloudEventTargets(LocalSqs* sqs, EventTargetInvoker* lambda = nullptr)
      : sqs_(sqs), lambda_(lambda) {}
  Status Deliver(const std::string& arn, const std::string& payload) override {
    if (arn.starts_with("arn:aws:sqs:")) return sqs_->SendToArn(arn, payload);
    if (arn.starts_with("arn:aws:lambda:") && lambda_ != nullptr) {
      return lambda_->Deliver(arn, payload);
    }
    return Status::Unavailable("no service of lifeboat local delivers to " + arn);
  }

 private:
  LocalSqs* sqs_;
  EventTargetInvoker* lambda_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_CLOUD_WIRING_H_

// The joints between lifeboat local's parts: Auto Scaling starts and ends simulated
// instances (InstanceFleet) and notifies lifecycle hooks through SQS.
#ifndef LIFEBOAT_LOCAL_CLOUD_WIRING_H_
#define LIFEBOAT_LOCAL_CLOUD_WIRING_H_

#include "common/logging.h"
#include "local/autoscaling/side_effects.h"
#include "local/instances/instance_fleet.h"
#include "local/sqs/sqs_service.h"

namespace lifeboat {

class FleetInstanceHost final : public InstanceHost {
 public:
  explicit FleetInstanceHost(InstanceFleet* fleet) : fleet_(fleet) {}
  void Launch(const InstanceLaunch& launch) override;
  void Terminate(const std::string& instance_id) override { fleet_->Terminate(instance_id); }
  void SetTargetLifecycleState(const std::string& instance_id, std::string_view state) override {
    fleet_->SetTargetLifecycleState(instance_id, state);
  }

 private:
  InstanceFleet* fleet_;
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

// EventBridge arrives with lifeboat local part 2; until then events go nowhere.
class DiscardedEvents final : public EventSink {
 public:
  void Put(const std::string&, const std::string&, const std::vector<std::string>&,
           const std::string&) override {}
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_CLOUD_WIRING_H_

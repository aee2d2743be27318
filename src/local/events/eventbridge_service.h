// LocalEventBridge: the EventBridge of `lifeboat local`, the default event bus only.
//
// It speaks the JSON 1.1 protocol (POST, X-Amz-Target: AWSEvents.<Action>) for PutRule,
// DescribeRule, ListRules, DeleteRule, PutTargets, ListTargetsByRule, RemoveTargets,
// PutEvents and TestEventPattern, with AWS's request and response shapes (botocore's
// events 2015-10-07 model) and errors. Event patterns are compiled and matched by
// src/events, the whole EventBridge pattern language.
//
// It is also the EventSink of Auto Scaling: lifecycle-action and launch/terminate events
// are put on the bus with AWS's envelope (source "aws.autoscaling"). Matched events go to
// their targets through an EventTargetInvoker on a delivery thread, at least once, with
// AWS's retries; neither PutEvents nor the Auto Scaling engine ever waits for a target.
//
// Thread-safe.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_SERVICE_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_SERVICE_H_

#include <string>
#include <vector>

#include "common/env.h"
#include "local/autoscaling/side_effects.h"
#include "local/events/event_delivery.h"
#include "local/events/event_payload.h"
#include "local/events/event_rules.h"
#include "local/events/event_target_invoker.h"
#include "local/local_service.h"

namespace lifeboat {

struct LocalEventBridgeOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  DeliveryRetryPolicy retry;
};

class LocalEventBridge final : public LocalService, public EventSink {
 public:
  // `env` (its clock) and `invoker` must outlive the service.
  LocalEventBridge(Env* env, EventTargetInvoker* invoker, LocalEventBridgeOptions options);

  LocalResponse Handle(const LocalRequest& request) override;

  // EventSink: an AWS service's event (Auto Scaling's) onto the default bus.
  void Put(const std::string& detail_type, const std::string& source,
           const std::vector<std::string>& resources, const std::string& detail) override;

  // Puts one event on the bus: matches the rules and queues deliveries. Returns its id.
  std::string Publish(EventEnvelope event);

  EventRules& rules() { return rules_; }

 private:
  Env* env_;
  LocalEventBridgeOptions options_;
  EventRules rules_;
  EventDelivery delivery_;  // last: its thread stops first
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENTBRIDGE_SERVICE_H_

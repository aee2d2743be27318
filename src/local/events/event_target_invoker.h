// Where EventBridge rules send matched events: the seam between LocalEventBridge and the
// services that receive them (Lambda functions, SQS queues), wired up by LocalCloud.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENT_TARGET_INVOKER_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENT_TARGET_INVOKER_H_

#include <string>

#include "common/status.h"

namespace lifeboat {

class EventTargetInvoker {
 public:
  virtual ~EventTargetInvoker() = default;
  // Delivers the (already transformed by Input/InputPath) payload to a Lambda function ARN
  // (asynchronous invoke) or an SQS queue ARN. An error means "retry later".
  virtual Status Deliver(const std::string& target_arn, const std::string& payload) = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENT_TARGET_INVOKER_H_

// LambdaEventTarget: how EventBridge rules reach Lambda functions in lifeboat local: a
// delivery to a function ARN is an asynchronous (Event) invocation, as AWS makes it. The
// Lambda service's own queue then retries function errors twice; an unknown function is
// an error, which EventBridge retries as it would on AWS.
#ifndef LIFEBOAT_LOCAL_LAMBDA_LAMBDA_EVENT_TARGET_H_
#define LIFEBOAT_LOCAL_LAMBDA_LAMBDA_EVENT_TARGET_H_

#include <string>

#include "local/events/event_target_invoker.h"
#include "local/lambda/lambda_service.h"

namespace lifeboat {

class LambdaEventTarget final : public EventTargetInvoker {
 public:
  // `lambda` must outlive this object.
  explicit LambdaEventTarget(LocalLambda* lambda) : lambda_(lambda) {}
  Status Deliver(const std::string& function_arn, const std::string& payload) override {
    return lambda_->InvokeAsync(function_arn, payload);
  }

 private:
  LocalLambda* lambda_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_LAMBDA_EVENT_TARGET_H_

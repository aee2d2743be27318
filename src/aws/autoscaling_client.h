// AutoScalingClient: the Auto Scaling operations a lifecycle hook needs (Query protocol,
// API version 2011-01-01): complete the action, record a heartbeat, read the hook's
// timeouts, and find the group an instance belongs to.
//
// AutoScalingApi is the seam: the lifecycle logic (src/lifecycle) depends on it, unit tests
// use tests/fakes/fake_autoscaling.h, and AutoScalingClient implements it over an
// AwsTransport (signing name "autoscaling"; retries and clock skew are the transport's).
//
// Errors keep the service's code in service_code(): completing or beating an action that
// is no longer waiting answers "ValidationError" ("No active Lifecycle Action found with
// token ..."), see IsNoActiveLifecycleAction(). Messages start with the operation and the
// group ("CompleteLifecycleAction web/log-hook: ...").
//
// Thread-safe: holds no mutable state.
#ifndef LIFEBOAT_AWS_AUTOSCALING_CLIENT_H_
#define LIFEBOAT_AWS_AUTOSCALING_CLIENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_transport.h"
#include "common/status.h"

namespace lifeboat {

// Names one waiting lifecycle action. Auto Scaling accepts the token, or the instance id
// when the token is not known (a watcher that saw only IMDS); at least one must be set.
struct LifecycleActionRef {
  std::string group;
  std::string hook;
  std::string token;        // LifecycleActionToken; empty: use instance_id
  std::string instance_id;  // sent too when set, as the SDKs allow
};

struct LifecycleHookInfo {
  std::string name;
  std::string group;
  std::string transition;      // "autoscaling:EC2_INSTANCE_TERMINATING", ..._LAUNCHING
  std::string default_result;  // "CONTINUE" or "ABANDON"
  int heartbeat_timeout = 0;   // seconds
  int global_timeout = 0;      // seconds: min(100 x heartbeat_timeout, 172800)
  std::string notification_target_arn;
};

struct AutoScalingInstanceInfo {
  std::string instance_id;
  std::string group;
  std::string lifecycle_state;  // "InService", "Terminating:Wait", ...
};

class AutoScalingApi {
 public:
  virtual ~AutoScalingApi() = default;
  // `result` is "CONTINUE" or "ABANDON".
  virtual Status CompleteLifecycleAction(const LifecycleActionRef& action,
                                         std::string_view result) = 0;
  virtual Status RecordLifecycleActionHeartbeat(const LifecycleActionRef& action) = 0;
  // Every hook of `group` (all pages); kNotFound-free: an unknown group answers
  // ValidationError as AWS does.
  virtual Result<std::vector<LifecycleHookInfo>> DescribeLifecycleHooks(
      std::string_view group) = 0;
  // nullopt when the instance is in no group.
  virtual Result<std::optional<AutoScalingInstanceInfo>> DescribeAutoScalingInstance(
      std::string_view instance_id) = 0;
};

class AutoScalingClient final : public AutoScalingApi {
 public:
  // `endpoint`: scheme://host[:port] of the service (AwsSession::Endpoint). Borrows the
  // transport, which must outlive the client.
  AutoScalingClient(AwsTransport& transport, std::string endpoint);

  Status CompleteLifecycleAction(const LifecycleActionRef& action,
                                 std::string_view result) override;
  Status RecordLifecycleActionHeartbeat(const LifecycleActionRef& action) override;
  Result<std::vector<LifecycleHookInfo>> DescribeLifecycleHooks(std::string_view group) override;
  Result<std::optional<AutoScalingInstanceInfo>> DescribeAutoScalingInstance(
      std::string_view instance_id) override;

 private:
  AwsTransport& transport_;
  const std::string endpoint_;
};

// True for the answer to completing (or beating) an action that is no longer waiting:
// someone else completed it, it timed out, or the instance is gone.
bool IsNoActiveLifecycleAction(const Status& status);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_AUTOSCALING_CLIENT_H_

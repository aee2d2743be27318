// FakeAutoScaling: an in-memory AutoScalingApi for unit tests of the lifecycle logic.
//
// Records every call (failed ones too) with the action it named and the result it sent;
// answers DescribeLifecycleHooks from hooks set per group and DescribeAutoScalingInstance
// from an instance -> group map; and fails the next N calls of an operation with a scripted
// error, e.g. NoActiveLifecycleAction() as AWS answers a stale token. It does not model
// lifecycle state: completing an action twice succeeds unless a test scripts otherwise.
//
// Thread-safe: one mutex guards everything.
#ifndef LIFEBOAT_TESTS_FAKES_FAKE_AUTOSCALING_H_
#define LIFEBOAT_TESTS_FAKES_FAKE_AUTOSCALING_H_

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "aws/autoscaling_client.h"

namespace lifeboat {

class FakeAutoScaling final : public AutoScalingApi {
 public:
  enum class Op { kComplete, kHeartbeat, kDescribeHooks, kDescribeInstance };

  struct Call {
    Op op;
    LifecycleActionRef action;  // for kComplete and kHeartbeat
    std::string result;         // "CONTINUE" or "ABANDON" for kComplete
    std::string subject;        // the group (kDescribeHooks) or instance (kDescribeInstance)
    Status status;              // what the fake answered
  };

  // The error the client returns when the action is no longer waiting (IsNoActive... holds).
  static Status NoActiveLifecycleAction(
      std::string_view token = "00000000-0000-4000-8000-000000000000") {
    return Status(
        StatusCode::kInvalidArgument,
        "ValidationError: No active Lifecycle Action found with token " + std::string(token),
        "ValidationError");
  }

  // A terminate hook as the tests use it: CONTINUE by default, AWS's global timeout.
  static LifecycleHookInfo TerminateHook(std::string group = "web", std::string name = "lifeboat",
                                         int heartbeat_timeout = 300) {
    LifecycleHookInfo hook;
    hook.name = std::move(name);
    hook.group = std::move(group);
    hook.transition = "autoscaling:EC2_INSTANCE_TERMINATING";
    hook.default_result = "CONTINUE";
    hook.heartbeat_timeout = heartbeat_timeout;
    hook.global_timeout = std::min(100 * heartbeat_timeout, 172800);
    return hook;
  }

  void SetHooks(const std::string& group, std::vector<LifecycleHookInfo> hooks) {
    std::lock_guard lock(mu_);
    hooks_[group] = std::move(hooks);
  }
  void SetInstance(const std::string& instance_id, const std::string& group,
                   const std::string& lifecycle_state = "InService") {
    std::lock_guard lock(mu_);
    instances_[instance_id] = {instance_id, group, lifecycle_state};
  }
  // The next `times` calls of `op` fail with `error` (queued after earlier scripted ones).
  void FailNext(Op op, Status error, int times = 1) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) errors_[op].push_back(error);
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<Call> calls(Op op) const {
    std::lock_guard lock(mu_);
    std::vector<Call> out;
    for (const Call& call : calls_) {
      if (call.op == op) out.push_back(call);
    }
    return out;
  }
  std::vector<Call> completions() const { return calls(Op::kComplete); }
  std::vector<Call> heartbeats() const { return calls(Op::kHeartbeat); }

  Status CompleteLifecycleAction(const LifecycleActionRef& action,
                                 std::string_view result) override {
    std::lock_guard lock(mu_);
    return Record({Op::kComplete, action, std::string(result), {}, TakeError(Op::kComplete)});
  }
  Status RecordLifecycleActionHeartbeat(const LifecycleActionRef& action) override {
    std::lock_guard lock(mu_);
    return Record({Op::kHeartbeat, action, {}, {}, TakeError(Op::kHeartbeat)});
  }
  Result<std::vector<LifecycleHookInfo>> DescribeLifecycleHooks(std::string_view group) override {
    std::lock_guard lock(mu_);
    Status s =
        Record({Op::kDescribeHooks, {}, {}, std::string(group), TakeError(Op::kDescribeHooks)});
    if (!s.ok()) return s;
    auto it = hooks_.find(std::string(group));
    if (it == hooks_.end()) {
      return Status(StatusCode::kInvalidArgument,
                    "ValidationError: Group " + std::string(group) + " not found",
                    "ValidationError");
    }
    return it->second;
  }
  Result<std::optional<AutoScalingInstanceInfo>> DescribeAutoScalingInstance(
      std::string_view instance_id) override {
    std::lock_guard lock(mu_);
    Status s = Record({Op::kDescribeInstance,
                       {},
                       {},
                       std::string(instance_id),
                       TakeError(Op::kDescribeInstance)});
    if (!s.ok()) return s;
    auto it = instances_.find(std::string(instance_id));
    if (it == instances_.end()) return std::optional<AutoScalingInstanceInfo>();
    return std::optional<AutoScalingInstanceInfo>(it->second);
  }

 private:
  Status TakeError(Op op) {
    std::deque<Status>& queue = errors_[op];
    if (queue.empty()) return Status::Ok();
    Status error = std::move(queue.front());
    queue.pop_front();
    return error;
  }
  Status Record(Call call) {
    calls_.push_back(std::move(call));
    return calls_.back().status;
  }

  mutable std::mutex mu_;
  std::vector<Call> calls_;
  std::map<std::string, std::vector<LifecycleHookInfo>> hooks_;
  std::map<std::string, AutoScalingInstanceInfo> instances_;
  std::map<Op, std::deque<Status>> errors_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FAKE_AUTOSCALING_H_

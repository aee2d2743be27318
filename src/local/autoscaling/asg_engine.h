// AutoScalingEngine: the groups, instances and lifecycle hooks of `lifeboat local`, with
// the semantics the Amazon EC2 Auto Scaling user guide documents. No HTTP here: the Query
// service (autoscaling_service.h) translates requests into these calls.
//
// Lifecycle. A launched instance goes Pending -> Pending:Wait (while launch hooks wait)
// -> Pending:Proceed -> InService; a terminated one Terminating -> Terminating:Wait ->
// Terminating:Proceed (while the InstanceHost ends its processes) -> Terminated. Without
// hooks for the transition the wait states are skipped. All hooks of a transition start their
// lifecycle action at once (each with its own UUID token, notification and EventBridge event); the
// instance proceeds when every action is complete:
//  - CONTINUE completes one action;
//  - ABANDON on a launch action ends the others and terminates the instance (through the
//    terminate hooks, like any termination); the group then launches a replacement;
//  - ABANDON on a terminate action ends the remaining actions and terminates the instance,
//    or, with InstanceLifecyclePolicy.RetentionTriggers.TerminateHookAbandon = "retain",
//    keeps it in Terminating:Retained until TerminateInstanceInAutoScalingGroup;
//  - an action times out HeartbeatTimeout after it started or after its last heartbeat,
//    and at the latest GlobalTimeout = min(100 x HeartbeatTimeout, 172800 s) after it
//    started; then the hook's DefaultResult applies;
//  - deleting a hook completes its waiting actions with CONTINUE.
//
// Capacity. Instances in Pending*, InService count toward DesiredCapacity; Terminating*
// and Terminating:Retained ones do not, so a replacement launches as soon as an instance
// starts terminating without a decrement. Scale-in policy (documented choice, simpler
// than AWS's AZ-balancing default): instances not protected from scale-in, oldest launch
// first.
//
// Time is the LifecycleClock's simulated time; every operation first applies the timers
// that are due, so results are exact even if the timer thread is late. FireDueTimers() is
// what the timer thread (or a test with a ManualClock) calls.
//
// Thread-safe. Side effects (InstanceHost, NotificationSink, EventSink) run after the
// engine's lock is released, in order (see EffectQueue); the one exception is the
// TEST_NOTIFICATION of PutLifecycleHook, sent on the caller's thread because its failure
// fails the call.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "local/autoscaling/asg_types.h"
#include "local/autoscaling/effect_queue.h"
#include "local/autoscaling/launch_templates.h"
#include "local/autoscaling/lifecycle_clock.h"
#include "local/autoscaling/side_effects.h"

namespace lifeboat {

struct AutoScalingOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
};

// A lifecycle action that is waiting, for tests and introspection.
struct PendingLifecycleAction {
  std::string token;
  std::string group_name;
  std::string hook_name;
  std::string instance_id;
  LifecycleTransition transition = LifecycleTransition::kLaunching;
  std::chrono::nanoseconds deadline{0};  // simulated: the earlier of heartbeat and global
};

class AutoScalingEngine {
 public:
  // Every pointer must outlive the engine.
  AutoScalingEngine(AutoScalingOptions options, const LifecycleClock* clock,
                    const LaunchTemplateStore* templates, InstanceHost* host,
                    NotificationSink* notifications, EventSink* events);
  ~AutoScalingEngine();  // runs the side effects still queued
  AutoScalingEngine(const AutoScalingEngine&) = delete;
  AutoScalingEngine& operator=(const AutoScalingEngine&) = delete;

  // Called, without the lock, after any operation that may have moved the next deadline
  // (the TimerLoop's Wake). Set before the engine is shared.
  void SetScheduleListener(std::function<void()> listener);
  // From now on side effects run on two worker threads (one for the InstanceHost, one for
  // notifications and events) instead of on the caller's thread before it returns.
  void StartEffectThreads();

  // Errors carry Auto Scaling's error code in service_code ("ValidationError", ...).
  Status CreateGroup(const GroupInput& input);
  Status UpdateGroup(const GroupUpdate& update);
  Status SetDesiredCapacity(const std::string& group_name, int desired);
  Result<ScalingActivity> TerminateInstance(const std::string& instance_id, bool decrement);
  Status DeleteGroup(const std::string& group_name, bool force);
  // All groups when `names` is empty; unknown names are skipped, as AWS does.
  std::vector<GroupInfo> DescribeGroups(const std::vector<std::string>& names);
  // Instances that belong to a group (not Terminated); all when `ids` is empty.
  std::vector<InstanceInfo> DescribeGroupInstances(const std::vector<std::string>& ids);
  // Every instance ever launched, Terminated ones included (EC2's DescribeInstances).
  std::vector<InstanceInfo> AllInstances();
  std::optional<InstanceInfo> FindInstance(const std::string& instance_id);

  Status PutLifecycleHook(const LifecycleHookInput& input);
  Result<std::vector<LifecycleHook>> DescribeLifecycleHooks(const std::string& group_name,
                                                            const std::vector<std::string>& names);
  Status DeleteLifecycleHook(const std::string& group_name, const std::string& hook_name);
  // Exactly one of token / instance_id identifies the action (the token wins if both).
  Status CompleteLifecycleAction(const std::string& group_name, const std::string& hook_name,
                                 const std::string& token, const std::string& instance_id,
                                 const std::string& result);
  Status RecordLifecycleActionHeartbeat(const std::string& group_name, const std::string& hook_name,
                                        const std::string& token, const std::string& instance_id);
  std::vector<PendingLifecycleAction> PendingActions();
  // The host reports that the instance's user data has run (InstanceHost::ReportsBoot): a
  // Pending instance with no launch hook goes InService now. Unknown ids are ignored.
  void OnInstanceBooted(const std::string& instance_id);

  // The earliest simulated deadline of a waiting action, if any.
  std::optional<std::chrono::nanoseconds> NextDeadline() const;
  // Applies every timeout that is due at the clock's Now().
  void FireDueTimers();

  const AutoScalingOptions& options() const { return options_; }

 private:
  // One locked operation: fire due timers, (the work), reconcile every group, unlock, run
  // the side effects.
  class Op {
   public:
    explicit Op(AutoScalingEngine* engine);
    ~Op();

   private:
    AutoScalingEngine* engine_;
    std::unique_lock<std::mutex> lock_;
  };
  struct Group {
    GroupInfo info;  // info.instances unused: instances_ is the truth
    std::vector<LifecycleHook> hooks;
  };
  struct Action {
    std::string token;
    std::string group_name;
    std::string hook_name;
    std::string instance_id;
    LifecycleTransition transition;
    ActionResult default_result;
    std::chrono::nanoseconds heartbeat_timeout;
    std::chrono::nanoseconds heartbeat_deadline;
    std::chrono::nanoseconds global_deadline;
    std::chrono::nanoseconds deadline() const {
      return std::min(heartbeat_deadline, global_deadline);
    }
  };

  // --- with mu_ held ---
  void FireDueLocked();
  void ReconcileLocked(Group& group);
  Status LaunchLocked(Group& group);
  void StartTerminationLocked(InstanceInfo& instance, const std::string& cause);
  void EnterWaitLocked(InstanceInfo& instance, LifecycleTransition transition);
  void ProceedLocked(InstanceInfo& instance, LifecycleTransition transition);
  void FinishActionLocked(const std::string& token, ActionResult result);
  void DropActionsLocked(const std::string& instance_id);
  bool HasActionsLocked(const std::string& instance_id) const;
  Result<Action*> FindActionLocked(const std::string& group_name, const std::string& hook_name,
                                   const std::string& token, const std::string& instance_id);
  Group* GroupLocked(const std::string& name);
  Status ApplyHookLocked(Group& group, const LifecycleHookInput& input, bool* target_changed);
  InstanceInfo* InstanceLocked(const std::string& id);
  std::chrono::nanoseconds SimNowLocked() const;  // the clock, or the deadline being fired
  void HostEffect(std::function<void()> effect) { host_effects_.Post(std::move(effect)); }
  void MessageEffect(std::function<void()> effect) { message_effects_.Post(std::move(effect)); }
  // --- without mu_ ---
  void Flush();
  // The host has ended a Terminating:Proceed instance: it is Terminated.
  void OnHostTerminated(const std::string& id);

  const AutoScalingOptions options_;
  const LifecycleClock* clock_;
  const LaunchTemplateStore* templates_;
  InstanceHost* host_;
  NotificationSink* notifications_;
  EventSink* events_;
  std::function<void()> schedule_listener_;

  mutable std::mutex mu_;
  std::map<std::string, Group> groups_;
  std::map<std::string, InstanceInfo> instances_;  // by id, Terminated ones kept for EC2
  std::map<std::string, Action> actions_;          // by token
  uint64_t launches_ = 0;
  std::optional<std::chrono::nanoseconds> fire_time_;
  // Last, so they are stopped (and drained) before anything above goes away.
  EffectQueue host_effects_;
  EffectQueue message_effects_;
};

// The ValidationError for a group that does not exist.
Status GroupNotFound(const std::string& name);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_ASG_ENGINE_H_

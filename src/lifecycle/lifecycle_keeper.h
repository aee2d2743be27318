// LifecycleKeeper: holds one lifecycle action while an instance's logs are shipped, and
// completes it exactly once.
//
// Start() runs a thread that records heartbeats on the HeartbeatSchedule while the work
// makes progress (a caller-supplied counter of bytes moved). When the global deadline
// nears or progress stalls, the keeper itself completes the action with the configured
// failure result, loudly; the caller sees that in completion() and stops waiting for its
// work. Otherwise the caller calls Succeeded() (CONTINUE) or Failed() when its work ends.
//
// Auto Scaling answering a completion or heartbeat with "no active lifecycle action" means
// someone else completed it or it timed out: logged, never retried, and the heartbeats
// stop. Any other error is retried by the transport, then reported as kFailed.
//
// Thread-safe: Complete* may race with the heartbeat thread; exactly one completion call
// reaches Auto Scaling.
#ifndef LIFEBOAT_LIFECYCLE_LIFECYCLE_KEEPER_H_
#define LIFEBOAT_LIFECYCLE_LIFECYCLE_KEEPER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "aws/autoscaling_client.h"
#include "common/env.h"
#include "common/metrics.h"
#include "lifecycle/heartbeat_schedule.h"
#include "lifecycle/held_action.h"

namespace lifeboat {

inline constexpr std::string_view kContinue = "CONTINUE";
inline constexpr std::string_view kAbandon = "ABANDON";

struct KeeperOptions {
  std::string on_failure{kAbandon};  // the result when the logs could not all be stored
  HeartbeatOptions heartbeat;
};

struct Completion {
  enum class State {
    kCompleted,    // Auto Scaling accepted our result
    kAlreadyDone,  // no active action: someone else completed it, or it timed out
    kFailed,       // the call failed (see error)
  };
  State state = State::kCompleted;
  std::string result;  // what we sent: CONTINUE or ABANDON
  std::string reason;  // why that result
  std::string error;   // for kFailed and kAlreadyDone: what Auto Scaling said
  int heartbeats = 0;
  std::chrono::milliseconds held{0};  // from the start of the wait to the completion

  bool released() const { return state != State::kFailed; }
};

// "CONTINUE", "ABANDON" (any case) -> canonical; error naming the value otherwise.
Result<std::string> ParseLifecycleResult(std::string_view text);

// Declares the keeper's metrics so a scrape lists them from the start.
void DescribeLifecycleMetrics(Metrics& metrics);

class LifecycleKeeper {
 public:
  // `api`, `env` and `metrics` (optional) must outlive the keeper. `progress` returns a
  // counter that grows while work moves (bytes read or stored); called from the thread.
  LifecycleKeeper(AutoScalingApi& api, Env& env, HeldAction action, KeeperOptions options,
                  std::function<uint64_t()> progress, Metrics* metrics = nullptr);
  ~LifecycleKeeper();  // stops the thread; completes nothing
  LifecycleKeeper(const LifecycleKeeper&) = delete;
  LifecycleKeeper& operator=(const LifecycleKeeper&) = delete;

  void Start();
  // One decision at `now`: a heartbeat when due, the failure result when it is time to give
  // up. Returns when the next decision is due (nullopt once there is nothing left to do).
  // The thread calls it; tests call it with chosen times.
  std::optional<SteadyTime> Tick(SteadyTime now);

  // CONTINUE: every log is stored. The first completion call reaches Auto Scaling; later
  // ones return its outcome.
  Completion Succeeded() { return Complete(std::string(kContinue), "every log is stored", true); }
  // The configured failure result, logged as an error and counted.
  Completion Failed(std::string reason) {
    return Complete(options_.on_failure, std::move(reason), false);
  }

  // Set once a completion was attempted (by the caller or by the keeper giving up).
  std::optional<Completion> completion() const;
  const HeldAction& action() const { return action_; }
  // Set when a heartbeat was answered "No active Lifecycle Action": it was completed by
  // someone else or timed out, and nothing done for it now changes what happens.
  bool action_ended() const { return action_ended_.load(); }
  int heartbeats() const { return heartbeats_.load(); }

 private:
  void Run();
  Completion Complete(const std::string& result, std::string reason, bool logs_complete);

  AutoScalingApi& api_;
  Env& env_;
  const HeldAction action_;
  const KeeperOptions options_;
  std::function<uint64_t()> progress_;
  std::atomic<bool> action_ended_{false};
  Metrics* metrics_;

  HeartbeatSchedule schedule_;  // used by Tick only (one thread)
  uint64_t last_progress_value_ = 0;
  SteadyTime last_progress_;
  bool beating_ = true;

  std::atomic<int> heartbeats_{0};
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::optional<Completion> completion_;
  std::mutex complete_mu_;  // serialises completions: one call reaches Auto Scaling
  std::thread thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_LIFECYCLE_KEEPER_H_

// HeartbeatSchedule: when to record a lifecycle heartbeat and when to stop holding the
// instance. Pure: every decision takes the time as a parameter.
//
//   beat        every `interval` (default a third of the hook's heartbeat timeout, so a
//               beat lands before half the timeout has passed even when one call is slow);
//   give up     `margin` before the global timeout (min(100 x heartbeat timeout, 48 h) from
//               the start of the wait), because heartbeats cannot extend it: completing
//               with the configured failure result beats Auto Scaling's default result;
//   stall       when no byte moved for `stall_timeout`: holding an instance whose logs
//               do not move only delays the fleet.
#ifndef LIFEBOAT_LIFECYCLE_HEARTBEAT_SCHEDULE_H_
#define LIFEBOAT_LIFECYCLE_HEARTBEAT_SCHEDULE_H_

#include <chrono>

#include "lifecycle/held_action.h"

namespace lifeboat {

struct HeartbeatOptions {
  std::chrono::milliseconds interval{0};  // 0: a third of the heartbeat timeout
  std::chrono::milliseconds stall_timeout{std::chrono::minutes(15)};  // 0: never
};

class HeartbeatSchedule {
 public:
  enum class Step { kWait, kBeat, kGiveUpGlobal, kGiveUpStalled };

  HeartbeatSchedule(const HeldAction& action, const HeartbeatOptions& options);

  Step Decide(SteadyTime now, SteadyTime last_progress) const;
  void Beaten(SteadyTime now) {
    last_beat_ = now;
    beat_at_once_ = false;
  }
  // The next time Decide can answer something other than kWait.
  SteadyTime NextDecision(SteadyTime last_progress) const;

  std::chrono::milliseconds interval() const { return interval_; }
  SteadyTime give_up_at() const { return give_up_at_; }

 private:
  std::chrono::milliseconds interval_;
  std::chrono::milliseconds stall_timeout_;
  SteadyTime give_up_at_;
  SteadyTime last_beat_;
  bool beat_at_once_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_HEARTBEAT_SCHEDULE_H_

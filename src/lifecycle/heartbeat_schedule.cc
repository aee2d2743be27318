#include "lifecycle/heartbeat_schedule.h"

#include <algorithm>

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// Completing takes a call or two; leave that much before the global deadline, but never
// more than a minute of a long hold.
constexpr milliseconds kMaxMargin{60000};

}  // namespace

HeartbeatSchedule::HeartbeatSchedule(const HeldAction& action, const HeartbeatOptions& options)
    : interval_(options.interval.count() > 0
                    ? std::min(options.interval, action.heartbeat_timeout / 2)
                    : action.heartbeat_timeout / 3),
      stall_timeout_(options.stall_timeout),
      give_up_at_(action.global_deadline() - std::min(interval_, kMaxMargin)),
      last_beat_(action.wait_started),
      beat_at_once_(!action.wait_start_known) {
  if (interval_.count() <= 0) interval_ = milliseconds(1);
}

HeartbeatSchedule::Step HeartbeatSchedule::Decide(SteadyTime now, SteadyTime last_progress) const {
  if (now >= give_up_at_) return Step::kGiveUpGlobal;
  if (stall_timeout_.count() > 0 && now - last_progress >= stall_timeout_) {
    return Step::kGiveUpStalled;
  }
  if (beat_at_once_ || now - last_beat_ >= interval_) return Step::kBeat;
  return Step::kWait;
}

SteadyTime HeartbeatSchedule::NextDecision(SteadyTime last_progress) const {
  if (beat_at_once_) return last_beat_;
  SteadyTime next = std::min(give_up_at_, last_beat_ + interval_);
  if (stall_timeout_.count() > 0) next = std::min(next, last_progress + stall_timeout_);
  return next;
}

}  // namespace lifeboat

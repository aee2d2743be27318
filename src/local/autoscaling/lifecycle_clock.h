// The clock that lifecycle timers run on. `lifeboat local --time-scale X` makes simulated
// time pass X times faster than real time, so a 3600 s heartbeat timeout fires after
// 3.6 s at X=1000 and every ratio between timeouts is kept. All hook durations (heartbeat
// and global timeouts) are in simulated seconds; timestamps shown to clients (CreatedTime,
// notification Time) are real wall-clock time, like every other service of `local`.
//
// ScaledClock is the real one; ManualClock only moves when a test advances it, so timing
// tests are deterministic. Both are thread-safe.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_LIFECYCLE_CLOCK_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_LIFECYCLE_CLOCK_H_

#include <atomic>
#include <chrono>

namespace lifeboat {

class LifecycleClock {
 public:
  virtual ~LifecycleClock() = default;
  // Simulated time since the clock's origin.
  virtual std::chrono::nanoseconds Now() const = 0;
  // Wall-clock time, for timestamps.
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  // The steady_clock instant at which Now() reaches `simulated`: what a timer thread
  // waits until.
  virtual std::chrono::steady_clock::time_point SteadyAt(
      std::chrono::nanoseconds simulated) const = 0;
};

class ScaledClock final : public LifecycleClock {
 public:
  // `scale` > 0: simulated seconds per real second.
  explicit ScaledClock(double scale);

  std::chrono::nanoseconds Now() const override;
  std::chrono::system_clock::time_point WallNow() const override;
  std::chrono::steady_clock::time_point SteadyAt(std::chrono::nanoseconds simulated) const override;
  double scale() const { return scale_; }

 private:
  const double scale_;
  const std::chrono::steady_clock::time_point origin_;
};

class ManualClock final : public LifecycleClock {
 public:
  ManualClock();

  std::chrono::nanoseconds Now() const override { return std::chrono::nanoseconds(now_.load()); }
  std::chrono::system_clock::time_point WallNow() const override { return wall_origin_ + Now(); }
  // Never reached by a real waiter: manual time moves only through Advance.
  std::chrono::steady_clock::time_point SteadyAt(std::chrono::nanoseconds) const override {
    return std::chrono::steady_clock::time_point::max();
  }
  void Advance(std::chrono::nanoseconds d) { now_ += d.count(); }

 private:
  std::atomic<int64_t> now_{0};
  const std::chrono::system_clock::time_point wall_origin_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_LIFECYCLE_CLOCK_H_

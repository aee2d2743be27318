// TimerLoop: one thread that sleeps on a condition variable until the next lifecycle
// deadline (converted to real time by the clock), then calls `fire`. No polling: the
// thread wakes at the deadline itself or when Wake() says the schedule changed, so timers
// are as precise as the OS's condition-variable wake-up (well under a millisecond).
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_TIMER_LOOP_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_TIMER_LOOP_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "local/autoscaling/lifecycle_clock.h"

namespace lifeboat {

class TimerLoop {
 public:
  // `next_deadline` gives the earliest pending simulated deadline (or none); `fire` handles
  // every deadline that has passed. Both are called on the loop's thread, never while the
  // loop's own lock is held, so they may call Wake(). `clock` must outlive the loop.
  TimerLoop(const LifecycleClock* clock,
            std::function<std::optional<std::chrono::nanoseconds>()> next_deadline,
            std::function<void()> fire);
  ~TimerLoop();  // stops the thread
  TimerLoop(const TimerLoop&) = delete;
  TimerLoop& operator=(const TimerLoop&) = delete;

  void Start();
  void Stop();
  // The schedule changed (a deadline was added, moved or removed): recompute the wait.
  void Wake();

 private:
  void Run();

  const LifecycleClock* clock_;
  std::function<std::optional<std::chrono::nanoseconds>()> next_deadline_;
  std::function<void()> fire_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool changed_ = false;
  bool stop_ = false;
  std::thread thread_;
  // The loop's own thread: what fire_ changes there is read at the top of the next round,
  // so its Wake() calls must not start another round (that would spin).
  std::thread::id loop_thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_TIMER_LOOP_H_

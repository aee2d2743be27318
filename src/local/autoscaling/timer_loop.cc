#include "local/autoscaling/timer_loop.h"

#include <utility>

namespace lifeboat {

TimerLoop::TimerLoop(const LifecycleClock* clock,
                     std::function<std::optional<std::chrono::nanoseconds>()> next_deadline,
                     std::function<void()> fire)
    : clock_(clock), next_deadline_(std::move(next_deadline)), fire_(std::move(fire)) {}

TimerLoop::~TimerLoop() { Stop(); }

void TimerLoop::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void TimerLoop::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void TimerLoop::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::this_thread::get_id() == loop_thread_) return;
    changed_ = true;
  }
  cv_.notify_all();
}

void TimerLoop::Run() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    loop_thread_ = std::this_thread::get_id();
  }
  for (;;) {
    // Read the schedule before taking our lock; a change after this read sets changed_,
    // which the wait below sees, so no wake-up is lost.
    const std::optional<std::chrono::nanoseconds> next = next_deadline_();
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (stop_) return;
      if (!changed_) {
        auto woken = [this] { return stop_ || changed_; };
        if (next) {
          cv_.wait_until(lock, clock_->SteadyAt(*next), woken);
        } else {
          cv_.wait(lock, woken);
        }
      }
      if (stop_) return;
      changed_ = false;
    }
    fire_();
  }
}

}  // namespace lifeboat

#include "local/lambda/async_invoker.h"

namespace lifeboat {

using Steady = std::chrono::steady_clock;

AsyncInvoker::AsyncInvoker(AsyncInvokerOptions options, Attempt attempt)
    : options_(std::move(options)), attempt_(std::move(attempt)) {
  for (size_t i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { Work(); });
}

bool AsyncInvoker::Enqueue(AsyncEvent event) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  Schedule(std::move(event), Steady::now());
  return true;
}

void AsyncInvoker::Schedule(AsyncEvent event, Steady::time_point when) {
  queue_.emplace(when, std::move(event));
  cv_.notify_all();
}

void AsyncInvoker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
    cv_.notify_all();
  }
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

void AsyncInvoker::Work() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (stopping_) return;
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto due = queue_.begin()->first;
    if (due > Steady::now()) {
      cv_.wait_until(lock, due);
      continue;
    }
    AsyncEvent event = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    lock.unlock();
    AttemptResult result = attempt_(event);
    lock.lock();
    if (stopping_) return;
    if (result == AttemptResult::kThrottled) {
      Schedule(std::move(event), Steady::now() + options_.throttle_delay);
    } else if (result == AttemptResult::kFailed &&
               static_cast<size_t>(event.attempt) < options_.retry_delays.size()) {
      auto delay = options_.retry_delays[static_cast<size_t>(event.attempt)];
      ++event.attempt;
      Schedule(std::move(event), Steady::now() + delay);
    }
  }
}

}  // namespace lifeboat

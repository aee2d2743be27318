// A fake EventTargetInvoker for tests: records deliveries, can fail the first N, and lets a
// test wait (with a deadline) for deliveries made on the delivery thread.
#ifndef LIFEBOAT_LOCAL_EVENTS_FAKE_EVENT_INVOKER_H_
#define LIFEBOAT_LOCAL_EVENTS_FAKE_EVENT_INVOKER_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "local/events/event_target_invoker.h"

namespace lifeboat {

class FakeEventInvoker final : public EventTargetInvoker {
 public:
  explicit FakeEventInvoker(int failures_first = 0) : failures_left_(failures_first) {}

  Status Deliver(const std::string& target_arn, const std::string& payload) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++attempts_;
    if (failures_left_ > 0) {
      --failures_left_;
      return Status::Unavailable("target unavailable (fake)");
    }
    delivered_.emplace_back(target_arn, payload);
    cv_.notify_all();
    return Status::Ok();
  }

  // Waits up to `timeout` for at least `count` deliveries; returns all made so far.
  std::vector<std::pair<std::string, std::string>> WaitFor(
      size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return delivered_.size() >= count; });
    return delivered_;
  }

  int attempts() {
    std::lock_guard<std::mutex> lock(mu_);
    return attempts_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int failures_left_;
  int attempts_ = 0;
  std::vector<std::pair<std::string, std::string>> delivered_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_FAKE_EVENT_INVOKER_H_

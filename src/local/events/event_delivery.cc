#include "local/events/event_delivery.h"

#include "common/logging.h"

namespace lifeboat {

EventDelivery::EventDelivery(EventTargetInvoker* invoker, DeliveryRetryPolicy policy)
    : invoker_(invoker), policy_(policy), backoff_(policy.backoff) {
  thread_ = std::thread([this] { Run(); });
}

EventDelivery::~EventDelivery() {
  size_t dropped = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    dropped = queue_.size();
  }
  cv_.notify_all();
  thread_.join();
  if (dropped > 0) spdlog::warn("EventBridge: {} event deliveries dropped at shutdown", dropped);
}

void EventDelivery::Enqueue(std::string target_arn, std::string payload) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    Job job{std::move(target_arn), std::move(payload), 0, Clock::now()};
    queue_.emplace(std::make_pair(job.first_try, next_sequence_++), std::move(job));
  }
  cv_.notify_one();
}

void EventDelivery::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    if (first->first.first > Clock::now()) {
      cv_.wait_until(lock, first->first.first);
      continue;
    }
    Job job = std::move(first->second);
    queue_.erase(first);
    ++job.attempts;
    lock.unlock();
    Status status = invoker_->Deliver(job.target_arn, job.payload);
    lock.lock();
    if (!status.ok()) RetryLocked(std::move(job), status);
  }
}

void EventDelivery::RetryLocked(Job job, const Status& error) {
  const Clock::time_point now = Clock::now();
  const Clock::time_point due = now + backoff_.Delay(job.attempts - 1);
  if (job.attempts >= policy_.max_attempts || due - job.first_try > policy_.max_age) {
    spdlog::warn("EventBridge: gave up delivering an event to {} after {} attempts: {}",
                 job.target_arn, job.attempts, error.ToString());
    return;
  }
  spdlog::debug("EventBridge: delivery to {} failed (attempt {}): {}", job.target_arn, job.attempts,
                error.ToString());
  queue_.emplace(std::make_pair(due, next_sequence_++), std::move(job));
}

}  // namespace lifeboat

// EventDelivery: at-least-once delivery of matched events to their targets, on a thread of
// its own so that PutEvents (and Auto Scaling's events) never wait for a target.
//
// As EventBridge does, a failed delivery is retried with exponential backoff and jitter
// until it succeeds, for at most `max_attempts` attempts and `max_age` after the event
// arrived (AWS's defaults: 185 attempts, 24 hours); then it is dropped with a warning.
// Deliveries are attempted in the order they fall due, one at a time, never while the
// queue's lock is held.
#ifndef LIFEBOAT_LOCAL_EVENTS_EVENT_DELIVERY_H_
#define LIFEBOAT_LOCAL_EVENTS_EVENT_DELIVERY_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "common/backoff.h"
#include "local/events/event_target_invoker.h"

namespace lifeboat {

struct DeliveryRetryPolicy {
  int max_attempts = 185;
  std::chrono::milliseconds max_age = std::chrono::hours(24);
  // The wait before retry n is uniform in [0, min(cap, base * 2^n)].
  BackoffPolicy backoff{std::chrono::seconds(1), std::chrono::minutes(10)};
};

class EventDelivery {
 public:
  // `invoker` must outlive the delivery; the thread starts here.
  EventDelivery(EventTargetInvoker* invoker, DeliveryRetryPolicy policy);
  ~EventDelivery();  // stops the thread; deliveries still queued are dropped
  EventDelivery(const EventDelivery&) = delete;
  EventDelivery& operator=(const EventDelivery&) = delete;

  // Queues `payload` for `target_arn` and returns at once.
  void Enqueue(std::string target_arn, std::string payload);

 private:
  using Clock = std::chrono::steady_clock;
  struct Job {
    std::string target_arn;
    std::string payload;
    int attempts = 0;
    Clock::time_point first_try;
  };

  void Run();
  // After a failed attempt: schedules the next one, or gives up. Called with mu_ held.
  void RetryLocked(Job job, const Status& error);

  EventTargetInvoker* invoker_;
  DeliveryRetryPolicy policy_;
  Backoff backoff_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Due time (then arrival order) -> job.
  std::map<std::pair<Clock::time_point, uint64_t>, Job> queue_;
  uint64_t next_sequence_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_EVENTS_EVENT_DELIVERY_H_

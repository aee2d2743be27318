#include "local/autoscaling/effect_queue.h"

#include <utility>

namespace lifeboat {

EffectQueue::~EffectQueue() { Stop(); }

void EffectQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  Drain();
}

void EffectQueue::Post(std::function<void()> effect) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(effect));
  }
  cv_.notify_all();
}

void EffectQueue::Drain() {
  // The re-check after letting go of drain_mu_ closes the window in which the draining
  // thread has seen an empty queue but still holds drain_mu_ when another thread posts.
  for (;;) {
    {
      std::unique_lock<std::mutex> drain(drain_mu_, std::try_to_lock);
      if (!drain.owns_lock()) return;
      for (;;) {
        std::function<void()> effect;
        {
          std::lock_guard<std::mutex> lock(mu_);
          if (threaded_ && !stop_) return;
          if (queue_.empty()) break;
          effect = std::move(queue_.front());
          queue_.pop_front();
        }
        effect();
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) return;
  }
}

void EffectQueue::StartThread() {
  std::lock_guard<std::mutex> lock(mu_);
  if (threaded_) return;
  threaded_ = true;
  worker_ = std::thread([this] { RunWorker(); });
}

void EffectQueue::RunWorker() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping with nothing left
    std::function<void()> effect = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    effect();
    lock.lock();
  }
}

}  // namespace lifeboat

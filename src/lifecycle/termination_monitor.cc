#include "lifecycle/termination_monitor.h"

#include <spdlog/spdlog.h>

namespace lifeboat {

TerminationMonitor::TerminationMonitor(std::function<void()> wake) : wake_(std::move(wake)) {}

TerminationMonitor::~TerminationMonitor() {
  Stop();
  for (auto& t : threads_) t.join();
}

void TerminationMonitor::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
}

void TerminationMonitor::Add(std::unique_ptr<TerminationWatch> watch) {
  watches_.push_back(std::move(watch));
}

void TerminationMonitor::Start() {
  for (auto& watch : watches_) {
    spdlog::info("watching for termination: {}", watch->name());
    threads_.emplace_back([this, w = watch.get()] { Run(*w); });
  }
}

void TerminationMonitor::Run(TerminationWatch& watch) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    std::vector<TerminationSignal> signals = watch.Check();
    lock.lock();
    if (!signals.empty()) {
      for (auto& s : signals) {
        spdlog::info("termination signal from {}: {} ({})", s.source, TerminationCauseName(s.cause),
                     s.detail);
        queue_.push_back(std::move(s));
      }
      lock.unlock();
      wake_();
      lock.lock();
    }
    stop_cv_.wait_for(lock, watch.interval(), [this] { return stopping_; });
  }
}

std::vector<TerminationSignal> TerminationMonitor::Take() {
  std::lock_guard lock(mu_);
  std::vector<TerminationSignal> out(std::make_move_iterator(queue_.begin()),
                                     std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

}  // namespace lifeboat

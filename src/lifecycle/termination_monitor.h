// TerminationMonitor: runs each TerminationWatch on a thread of its own (an SQS long poll
// must not delay the IMDS poll) and queues what they report for the agent's loop, which it
// wakes through a callback.
#ifndef LIFEBOAT_LIFECYCLE_TERMINATION_MONITOR_H_
#define LIFEBOAT_LIFECYCLE_TERMINATION_MONITOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "lifecycle/termination_watch.h"

namespace lifeboat {

class TerminationMonitor {
 public:
  // `wake` is called from a watch thread after a signal was queued.
  explicit TerminationMonitor(std::function<void()> wake);
  ~TerminationMonitor();  // Stop(), then joins every thread
  TerminationMonitor(const TerminationMonitor&) = delete;
  TerminationMonitor& operator=(const TerminationMonitor&) = delete;

  void Add(std::unique_ptr<TerminationWatch> watch);
  void Start();
  // Asks the threads to end after their current check. An SQS long poll in flight still
  // takes up to its wait, so the agent calls this as soon as it starts its final drain.
  void Stop();
  // Signals queued since the last call, in the order they were seen.
  std::vector<TerminationSignal> Take();
  bool empty() const { return watches_.empty(); }

 private:
  void Run(TerminationWatch& watch);

  std::function<void()> wake_;
  std::vector<std::unique_ptr<TerminationWatch>> watches_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::deque<TerminationSignal> queue_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LIFECYCLE_TERMINATION_MONITOR_H_

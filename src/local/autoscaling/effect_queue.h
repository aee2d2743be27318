// EffectQueue: side effects of the Auto Scaling engine, run in the order they were posted
// and never under the engine's lock. Until StartThread() they run on the thread that calls
// Drain() (what unit tests want: an operation's effects are done when it returns); after
// it, on a worker thread of their own, so that a slow effect (terminating an instance's
// processes takes a grace period) never stalls API calls or the timer thread.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_EFFECT_QUEUE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_EFFECT_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace lifeboat {

class EffectQueue {
 public:
  EffectQueue() = default;
  ~EffectQueue();  // Stop()
  EffectQueue(const EffectQueue&) = delete;
  EffectQueue& operator=(const EffectQueue&) = delete;

  void Post(std::function<void()> effect);
  // Inline mode: runs queued effects here, unless another thread is already running them
  // (it then runs these too). Threaded mode: nothing to do.
  void Drain();
  void StartThread();
  // Stops the worker after it ran what is queued, then runs (here) whatever those effects
  // posted. Later posts run on the next Drain().
  void Stop();

 private:
  void RunWorker();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool threaded_ = false;
  bool stop_ = false;
  std::mutex drain_mu_;
  std::thread worker_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_EFFECT_QUEUE_H_

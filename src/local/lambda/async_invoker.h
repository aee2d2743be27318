// AsyncInvoker: Lambda's queue for asynchronous (Event) invocations. Events wait in a
// queue and worker threads run them; an attempt that ends in a function error (an
// exception, a timeout, a crash) is retried twice more, after the delays given (AWS: one
// minute, then two), as Lambda does for asynchronous invocations; a throttled attempt
// (every environment busy) is retried every `throttle_delay` without counting as one.
//
// Thread-safe. Stop() (and the destructor) drops what is still queued and joins the
// workers once their current attempt ends; the owner makes attempts end (kills the
// environments) first.
#ifndef LIFEBOAT_LOCAL_LAMBDA_ASYNC_INVOKER_H_
#define LIFEBOAT_LOCAL_LAMBDA_ASYNC_INVOKER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lifeboat {

struct AsyncEvent {
  std::string function_name;
  std::string payload;
  std::string request_id;  // the same for every attempt, as on AWS
  int attempt = 0;         // 0 for the first
};

enum class AttemptResult {
  kDone,       // succeeded, or can never succeed (the function is gone)
  kFailed,     // a function error: retried while retries remain
  kThrottled,  // not run at all: retried later, not counted
};

struct AsyncInvokerOptions {
  size_t workers = 64;
  std::vector<std::chrono::milliseconds> retry_delays = {std::chrono::minutes(1),
                                                         std::chrono::minutes(2)};
  std::chrono::milliseconds throttle_delay{1000};
};

class AsyncInvoker {
 public:
  using Attempt = std::function<AttemptResult(const AsyncEvent&)>;

  AsyncInvoker(AsyncInvokerOptions options, Attempt attempt);
  ~AsyncInvoker() { Stop(); }
  AsyncInvoker(const AsyncInvoker&) = delete;
  AsyncInvoker& operator=(const AsyncInvoker&) = delete;

  // False once stopped.
  bool Enqueue(AsyncEvent event);
  void Stop();

 private:
  void Work();
  void Schedule(AsyncEvent event, std::chrono::steady_clock::time_point when);  // mu_ held

  const AsyncInvokerOptions options_;
  const Attempt attempt_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<std::chrono::steady_clock::time_point, AsyncEvent> queue_;  // by due time
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_LAMBDA_ASYNC_INVOKER_H_

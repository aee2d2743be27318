// Exponential backoff with full jitter (the AWS Architecture Blog's recommendation): the
// n-th wait is uniform in [0, min(cap, base * 2^n)], so many clients retrying after one
// outage spread out instead of arriving together.
#ifndef LIFEBOAT_COMMON_BACKOFF_H_
#define LIFEBOAT_COMMON_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <functional>

namespace lifeboat {

struct BackoffPolicy {
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{20'000};
};

class Backoff {
 public:
  // `uniform` returns a value in [0, 1); the default draws from a thread-local engine.
  explicit Backoff(BackoffPolicy policy, std::function<double()> uniform = {});

  // The wait before retry number `attempt` (0 for the first retry).
  std::chrono::milliseconds Delay(int attempt) const;
  // The upper bound of Delay(attempt): min(cap, base * 2^attempt).
  std::chrono::milliseconds Ceiling(int attempt) const;

 private:
  BackoffPolicy policy_;
  std::function<double()> uniform_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_BACKOFF_H_

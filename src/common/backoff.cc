#include "common/backoff.h"

#include <algorithm>
#include <random>

namespace lifeboat {
namespace {

double ThreadLocalUniform() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

Backoff::Backoff(BackoffPolicy policy, std::function<double()> uniform)
    : policy_(policy), uniform_(uniform ? std::move(uniform) : ThreadLocalUniform) {}

std::chrono::milliseconds Backoff::Ceiling(int attempt) const {
  const int64_t base = std::max<int64_t>(1, policy_.base.count());
  const int shift = std::clamp(attempt, 0, 40);
  // Saturate instead of overflowing: base << 40 exceeds any sane cap anyway.
  const int64_t grown = base > (INT64_MAX >> shift) ? INT64_MAX : base << shift;
  return std::chrono::milliseconds(std::min<int64_t>(grown, policy_.cap.count()));
}

std::chrono::milliseconds Backoff::Delay(int attempt) const {
  const double u = std::clamp(uniform_(), 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(u * static_cast<double>(Ceiling(attempt).count())));
}

}  // namespace lifeboat

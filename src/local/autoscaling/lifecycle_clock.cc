#include "local/autoscaling/lifecycle_clock.h"

#include <algorithm>
#include <cmath>

namespace lifeboat {

ScaledClock::ScaledClock(double scale)
    : scale_(scale > 0 ? scale : 1.0), origin_(std::chrono::steady_clock::now()) {}

std::chrono::nanoseconds ScaledClock::Now() const {
  const auto real = std::chrono::steady_clock::now() - origin_;
  return std::chrono::nanoseconds(
      static_cast<int64_t>(std::llround(static_cast<double>(real.count()) * scale_)));
}

std::chrono::system_clock::time_point ScaledClock::WallNow() const {
  return std::chrono::system_clock::now();
}

std::chrono::steady_clock::time_point ScaledClock::SteadyAt(
    std::chrono::nanoseconds simulated) const {
  const double real_ns = static_cast<double>(simulated.count()) / scale_;
  // Far-future deadlines saturate instead of overflowing the time_point.
  constexpr double kMax = 1e18;
  return origin_ +
         std::chrono::nanoseconds(static_cast<int64_t>(std::min(std::ceil(real_ns), kMax)));
}

ManualClock::ManualClock()
    : wall_origin_(std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))) {}

}  // namespace lifeboat

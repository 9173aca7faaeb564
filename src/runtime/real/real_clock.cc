#include "runtime/real/real_clock.h"

#include <cassert>
#include <cmath>

namespace drydock::runtime {

RealClock::RealClock(double time_scale, TimePoint start)
    : time_scale_(time_scale), start_(start), origin_(std::chrono::steady_clock::now()) {
  assert(time_scale > 0);
}

TimePoint RealClock::WallNow() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

TimePoint RealClock::Now() const { return ClusterTimeAt(std::chrono::steady_clock::now()); }

TimePoint RealClock::ClusterTimeAt(SteadyTime steady) const {
  const auto elapsed = std::chrono::duration<double, std::milli>(steady - origin_);
  // floor keeps it monotonic: a later steady time never maps to an earlier ms.
  const auto scaled = static_cast<int64_t>(std::floor(elapsed.count() * time_scale_));
  return start_ + Duration(scaled);
}

std::chrono::nanoseconds RealClock::RealTimeUntil(TimePoint when) const {
  const TimePoint now = Now();
  if (when <= now) return std::chrono::nanoseconds::zero();
  // Aim at the steady instant where the cluster clock reaches `when` exactly,
  // measured from the origin so rounding does not accumulate.
  const double target_ms = static_cast<double>((when - start_).count()) / time_scale_;
  const auto target = origin_ + std::chrono::nanoseconds(
                                    static_cast<int64_t>(std::ceil(target_ms * 1e6)));
  const auto left = target - std::chrono::steady_clock::now();
  return left > std::chrono::nanoseconds::zero()
             ? std::chrono::duration_cast<std::chrono::nanoseconds>(left)
             : std::chrono::nanoseconds::zero();
}

std::chrono::nanoseconds RealClock::ToRealDuration(Duration cluster) const {
  const double ns = static_cast<double>(cluster.count()) * 1e6 / time_scale_;
  return std::chrono::nanoseconds(static_cast<int64_t>(std::ceil(ns)));
}

}  // namespace drydock::runtime

// Cluster time on the machine's monotonic clock, optionally compressed:
//   cluster time = start + (steady time elapsed since construction) * time_scale
// so with --time-scale 10 every AWS duration passes 10x faster. It never
// jumps back (it does not follow wall-clock changes). Thread-safe.
#pragma once

#include <chrono>

#include "runtime/clock.h"

namespace drydock::runtime {

class RealClock final : public Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // REQUIRES: time_scale > 0. `start` is the cluster time at construction;
  // usually WallNow(), or the cluster time persisted by a previous run.
  RealClock(double time_scale, TimePoint start);

  // The system (wall) clock, UTC, truncated to milliseconds.
  static TimePoint WallNow();

  // drydock::runtime::Clock
  TimePoint Now() const override;

  double time_scale() const { return time_scale_; }
  // Cluster time at a given steady time (exposed for tests and the loop).
  TimePoint ClusterTimeAt(SteadyTime steady) const;
  // Real (steady) time left until the cluster clock reaches `when`, rounded
  // up so that waiting this long never wakes early; zero if already there.
  std::chrono::nanoseconds RealTimeUntil(TimePoint when) const;
  // A span of cluster time as real time (rounded up).
  std::chrono::nanoseconds ToRealDuration(Duration cluster) const;

 private:
  double time_scale_;
  TimePoint start_;
  SteadyTime origin_;
};

}  // namespace drydock::runtime

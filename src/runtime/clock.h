// The Clock seam: every component that needs "now" takes a Clock& in its
// constructor. Time is cluster time (base/time.h): the AWS durations the
// controllers reason in, whatever the runtime maps them to.
#pragma once

#include <memory>

#include "base/time.h"

namespace drydock::runtime {

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  // The current cluster time. Never decreases between two calls.
  // Thread-safe for RealClock; SimClock is loop-affine.
  virtual TimePoint Now() const = 0;
};

using ClockPtr = std::unique_ptr<Clock>;

}  // namespace drydock::runtime

// A virtual clock that moves only when told to (by SimEventLoop, or a test).
#pragma once

#include "runtime/clock.h"

namespace drydock::runtime {

class SimClock final : public Clock {
 public:
  explicit SimClock(TimePoint start) : now_(start) {}

  // drydock::runtime::Clock
  TimePoint Now() const override { return now_; }

  // Moves the clock forward. A `when` in the past is ignored: the clock never
  // goes back.
  void AdvanceTo(TimePoint when) {
    if (when > now_) now_ = when;
  }
  void AdvanceBy(Duration delta) { AdvanceTo(now_ + delta); }

 private:
  TimePoint now_;
};

}  // namespace drydock::runtime

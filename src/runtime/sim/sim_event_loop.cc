#include "runtime/sim/sim_event_loop.h"

#include <cassert>

namespace drydock::runtime {

TimerId SimEventLoop::ScheduleAt(TimePoint when, Callback callback) {
  return core_.AddTimer(when, std::move(callback));
}

TimerId SimEventLoop::ScheduleAfter(Duration delay, Callback callback) {
  assert(delay >= Duration::zero());
  return core_.AddTimer(clock_.Now() + delay, std::move(callback));
}

bool SimEventLoop::Cancel(TimerId id) { return core_.CancelTimer(id); }

void SimEventLoop::Post(Callback callback) { core_.Post(std::move(callback)); }

void SimEventLoop::Turn() { callbacks_run_ += core_.RunTurn(clock_.Now()); }

bool SimEventLoop::TakeStop() {
  if (!stop_requested_) return false;
  stop_requested_ = false;
  return true;
}

void SimEventLoop::Run() {
  while (!TakeStop()) {
    Turn();
    if (stop_requested_ || core_.HasPosted() || core_.HasDueTimer(clock_.Now())) continue;
    const auto next = core_.NextDeadline();
    if (!next) {
      stop_requested_ = false;
      return;
    }
    clock_.AdvanceTo(*next);
  }
}

void SimEventLoop::RunFor(Duration duration) {
  assert(duration >= Duration::zero());
  RunUntil(clock_.Now() + duration);
}

void SimEventLoop::RunUntil(TimePoint when) {
  while (!TakeStop()) {
    Turn();
    if (stop_requested_ || core_.HasPosted() || core_.HasDueTimer(clock_.Now())) continue;
    const auto next = core_.NextDeadline();
    if (!next || *next > when) {
      clock_.AdvanceTo(when);
      return;
    }
    clock_.AdvanceTo(*next);
  }
}

void SimEventLoop::RunUntilIdle() {
  while (!TakeStop()) {
    Turn();
    if (!core_.HasPosted() && !core_.HasDueTimer(clock_.Now())) return;
  }
}

}  // namespace drydock::runtime

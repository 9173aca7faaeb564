// The deterministic event loop of the simulated runtime: the same turn
// contract as RealEventLoop (event_loop.h), but instead of waiting it jumps
// the SimClock to the next timer. Same schedule in, same order out: ties are
// broken by TimerId, posted work is FIFO, nothing depends on real time.
// Single-threaded; every method is loop-affine.
#pragma once

#include <cstdint>

#include "runtime/event_loop.h"
#include "runtime/loop_core.h"
#include "runtime/sim/sim_clock.h"

namespace drydock::runtime {

class SimEventLoop final : public EventLoop {
 public:
  // `clock` must outlive the loop; the loop is the only one advancing it
  // while a Run*() call is active.
  explicit SimEventLoop(SimClock& clock) : clock_(clock) {}

  // drydock::runtime::EventLoop
  TimerId ScheduleAt(TimePoint when, Callback callback) override;
  TimerId ScheduleAfter(Duration delay, Callback callback) override;
  bool Cancel(TimerId id) override;
  void Post(Callback callback) override;
  void Run() override;
  void Stop() override { stop_requested_ = true; }
  void RunFor(Duration duration) override;
  void RunUntilIdle() override;

  // Runs turns until the clock reaches `when` (or Stop()); ends at `when`.
  void RunUntil(TimePoint when);
  // Callbacks run so far; with the clock, a cheap fingerprint of a run.
  uint64_t callbacks_run() const { return callbacks_run_; }
  size_t pending_timers() const { return core_.pending_timers(); }

 private:
  // Runs one turn at the current virtual time.
  void Turn();
  bool TakeStop();

  SimClock& clock_;
  LoopCore core_;
  bool stop_requested_ = false;
  uint64_t callbacks_run_ = 0;
};

}  // namespace drydock::runtime

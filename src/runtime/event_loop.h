// The EventLoop seam: timers and deferred work on one thread.
//
// Contract (shared by RealEventLoop and SimEventLoop), one turn:
//   1. run the timers that were due when the turn started, earliest first,
//      ties broken by scheduling order (TimerId increases);
//   2. run the callbacks posted before this step (a bounded batch: work posted
//      while it runs waits for the next turn);
//   3. compute the next deadline (0 if work is pending);
//   4. real: wait for fds/signals until that deadline; sim: jump the virtual
//      clock to it.
// Every callback runs on the loop's thread, never re-entrantly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "base/time.h"

namespace drydock::runtime {

// 0 is never a valid id; ids increase in scheduling order.
using TimerId = uint64_t;
using Callback = std::function<void()>;

class EventLoop {
 public:
  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  virtual ~EventLoop() = default;

  // Runs `callback` once when the cluster clock reaches `when` (at once, on
  // the next turn, if `when` is in the past). Loop-affine.
  virtual TimerId ScheduleAt(TimePoint when, Callback callback) = 0;
  // Same, `delay` of cluster time from now. REQUIRES: delay >= 0.
  virtual TimerId ScheduleAfter(Duration delay, Callback callback) = 0;
  // Cancels a pending timer. Returns false if it already ran, was cancelled or
  // never existed. Loop-affine.
  virtual bool Cancel(TimerId id) = 0;
  // Runs `callback` on the next turn, after callbacks posted before it.
  // RealEventLoop allows this from any thread; SimEventLoop is loop-affine.
  virtual void Post(Callback callback) = 0;

  // Runs turns until Stop(). SimEventLoop also returns when nothing is left
  // (no timer, no posted work), since nothing outside can add any.
  virtual void Run() = 0;
  // Makes the current Run*() call return after its current turn; if none is
  // running, the next one returns at once.
  virtual void Stop() = 0;
  // Runs turns until `duration` of cluster time has passed (or Stop()). The
  // sim clock ends exactly at start + duration. For tests and the simulator.
  virtual void RunFor(Duration duration) = 0;
  // Runs turns until no timer is due and no work is posted, without waiting
  // for (or, in simulation, advancing) time.
  virtual void RunUntilIdle() = 0;
};

using EventLoopPtr = std::unique_ptr<EventLoop>;

}  // namespace drydock::runtime

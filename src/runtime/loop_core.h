// The half of the event-loop contract that both loops share: timers ordered
// by (deadline, id) and a FIFO of posted work, and steps 1-2 of a turn
// (event_loop.h). RealEventLoop adds polling, SimEventLoop adds the virtual
// clock jump. Not thread-safe; owned by one loop.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "runtime/event_loop.h"

namespace drydock::runtime {

class LoopCore {
 public:
  TimerId AddTimer(TimePoint when, Callback callback);
  bool CancelTimer(TimerId id);
  void Post(Callback callback);

  // Runs the timers due at `now` that existed when the call began, earliest
  // first, then the work posted before the posted-work step began. Returns
  // how many callbacks ran.
  size_t RunTurn(TimePoint now);

  bool HasPosted() const { return !posted_.empty(); }
  bool HasDueTimer(TimePoint now) const;
  std::optional<TimePoint> NextDeadline() const;
  size_t pending_timers() const { return timers_.size(); }

 private:
  using Key = std::pair<TimePoint, TimerId>;

  size_t RunDueTimers(TimePoint now);
  size_t RunPosted();

  TimerId next_id_ = 1;
  std::map<Key, Callback> timers_;
  std::unordered_map<TimerId, TimePoint> deadlines_;
  std::deque<Callback> posted_;
};

}  // namespace drydock::runtime

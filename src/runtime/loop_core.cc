#include "runtime/loop_core.h"

namespace drydock::runtime {

TimerId LoopCore::AddTimer(TimePoint when, Callback callback) {
  const TimerId id = next_id_++;
  timers_.emplace(Key{when, id}, std::move(callback));
  deadlines_.emplace(id, when);
  return id;
}

bool LoopCore::CancelTimer(TimerId id) {
  auto it = deadlines_.find(id);
  if (it == deadlines_.end()) return false;
  timers_.erase(Key{it->second, id});
  deadlines_.erase(it);
  return true;
}

void LoopCore::Post(Callback callback) { posted_.push_back(std::move(callback)); }

size_t LoopCore::RunTurn(TimePoint now) {
  size_t ran = RunDueTimers(now);
  return ran + RunPosted();
}

size_t LoopCore::RunDueTimers(TimePoint now) {
  // Timers added by these callbacks wait for the next turn, even if due, so
  // a timer that re-arms itself at "now" cannot starve the loop.
  const TimerId limit = next_id_;
  size_t ran = 0;
  for (auto it = timers_.begin(); it != timers_.end() && it->first.first <= now;) {
    if (it->first.second >= limit) {
      ++it;
      continue;
    }
    Callback callback = std::move(it->second);
    deadlines_.erase(it->first.second);
    timers_.erase(it);
    callback();
    ++ran;
    // The callback may have cancelled or added timers; restart from the top.
    it = timers_.begin();
  }
  return ran;
}

size_t LoopCore::RunPosted() {
  std::deque<Callback> batch;
  batch.swap(posted_);
  for (Callback& callback : batch) callback();
  return batch.size();
}

bool LoopCore::HasDueTimer(TimePoint now) const {
  return !timers_.empty() && timers_.begin()->first.first <= now;
}

std::optional<TimePoint> LoopCore::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

}  // namespace drydock::runtime

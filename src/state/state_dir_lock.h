// The control plane's single-instance lock on a state directory:
// flock(LOCK_EX | LOCK_NB) on <state-dir>/control.lock, held for the control
// plane's whole life. The kernel drops a flock when the last descriptor of
// the open file goes away, so a control plane that crashes (even kill -9)
// never blocks the next `drydock up`. The descriptor is O_CLOEXEC so task
// processes started by exec do not inherit (and keep holding) the lock.
// The file also records the holder's pid, for messages only: the lock, not
// the pid, says whether a control plane runs.
#pragma once

#include <optional>

#include "base/status.h"
#include "state/state_dir.h"

namespace drydock::state {

class ControlLock {
 public:
  // Takes the lock and writes this process's pid into control.lock. When
  // another open file holds it (another process, or another Acquire in this
  // one) fails with kAlreadyExists: "a drydock control plane (pid 1234) is
  // already running on /x/.drydock".
  static Result<ControlLock> Acquire(const StateDir& dir);

  ControlLock(ControlLock&& other) noexcept;
  ControlLock& operator=(ControlLock&& other) noexcept;
  ControlLock(const ControlLock&) = delete;
  ControlLock& operator=(const ControlLock&) = delete;
  ~ControlLock() { Release(); }

  // Clears the recorded pid and drops the lock. Idempotent.
  void Release();
  bool held() const { return fd_ >= 0; }

 private:
  explicit ControlLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Whether a control plane holds the lock, without taking it: nullopt when
// none does, else the holder's recorded pid (0 when it has not written it
// yet). It holds a shared lock for an instant; Acquire retries briefly so
// that a probe running at the same moment does not make it fail.
Result<std::optional<int>> ProbeControlLock(const StateDir& dir);

}  // namespace drydock::state

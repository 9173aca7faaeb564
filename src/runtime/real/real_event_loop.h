// The production event loop: the shared turn contract (event_loop.h) on top of
// epoll. Timers are in cluster time and are converted to real time through the
// RealClock's time scale when computing the epoll timeout. fds and signals
// (via signalfd) are dispatched in step 4 of a turn.
//
// Threading: the loop belongs to the thread that created it or last entered
// Run*(). Every method is loop-affine except Post() and Stop(), which any
// thread may call (they wake the loop through an eventfd).
#pragma once

#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "base/status.h"
#include "runtime/event_loop.h"
#include "runtime/loop_core.h"
#include "runtime/real/real_clock.h"

namespace drydock::runtime {

class RealEventLoop final : public EventLoop {
 public:
  // Creates the epoll and wake fds. Fails only if the kernel refuses.
  // `clock` must outlive the loop.
  static Result<std::unique_ptr<RealEventLoop>> Create(const RealClock& clock);
  // Unblocks the signals WatchSignal() blocked (discarding pending ones) and
  // closes the loop's own fds; watched fds stay open (the caller owns them).
  ~RealEventLoop() override;

  // drydock::runtime::EventLoop
  TimerId ScheduleAt(TimePoint when, Callback callback) override;
  TimerId ScheduleAfter(Duration delay, Callback callback) override;
  bool Cancel(TimerId id) override;
  void Post(Callback callback) override;
  void Run() override;
  void Stop() override;
  void RunFor(Duration duration) override;
  void RunUntilIdle() override;

  // Calls `callback` on the loop while `fd` is readable (level-triggered).
  // The caller keeps ownership of fd and must Unwatch() it before closing it.
  // kAlreadyExists if fd already has a read watcher.
  Status WatchReadable(int fd, Callback callback);
  // Same for writability.
  Status WatchWritable(int fd, Callback callback);
  // Removes both watchers of fd; safe from inside that fd's callback.
  void Unwatch(int fd);
  // Delivers `signo` through the loop instead of asynchronously: blocks it in
  // the calling thread (REQUIRES: call before starting other threads, which
  // inherit the mask) and calls `callback` once per delivered signal.
  Status WatchSignal(int signo, Callback callback);

  const RealClock& clock() const { return clock_; }

 private:
  struct FdWatcher {
    int fd = -1;
    Callback on_readable;
    Callback on_writable;
  };

  RealEventLoop(const RealClock& clock, int epoll_fd, int wake_fd);
  Status UpdateEpoll(int fd, const FdWatcher& watcher, bool existed);
  // Steps 1-2 of a turn; returns the number of callbacks run.
  size_t RunReady();
  // Step 3: epoll timeout in ms (-1 = no deadline), at most until `limit`.
  int ComputeTimeout(std::optional<TimePoint> limit);
  // Step 4: waits and dispatches; returns the number of callbacks run.
  size_t Poll(int timeout_ms);
  void Dispatch(int fd, uint32_t events, size_t& ran);
  void DrainWake();
  size_t DrainSignals();
  bool TakeStop();
  bool HasInbox();
  void MoveInboxToCore();
  void Wake();
  void BecomeOwner() { owner_ = std::this_thread::get_id(); }

  const RealClock& clock_;
  const int epoll_fd_;
  const int wake_fd_;
  int signal_fd_ = -1;
  sigset_t signal_mask_;
  sigset_t previously_blocked_;
  std::map<int, Callback> signal_callbacks_;
  LoopCore core_;
  std::map<int, std::shared_ptr<FdWatcher>> watchers_;
  std::mutex inbox_mutex_;
  std::vector<Callback> inbox_;  // Post() from any thread lands here
  std::atomic<bool> stop_requested_{false};
  // The thread running the loop; its Post() calls skip the inbox.
  std::atomic<std::thread::id> owner_;
};

}  // namespace drydock::runtime

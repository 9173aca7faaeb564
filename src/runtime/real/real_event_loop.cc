#include "runtime/real/real_event_loop.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <climits>
#include <cstring>

#include "base/strings.h"

namespace drydock::runtime {
namespace {

constexpr int kMaxEventsPerTurn = 64;

}  // namespace

Result<std::unique_ptr<RealEventLoop>> RealEventLoop::Create(const RealClock& clock) {
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return IoError(ErrnoMessage("epoll_create1"));
  const int wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    Status status = IoError(ErrnoMessage("eventfd"));
    close(epoll_fd);
    return status;
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event) != 0) {
    Status status = IoError(ErrnoMessage("epoll_ctl(eventfd)"));
    close(wake_fd);
    close(epoll_fd);
    return status;
  }
  return std::unique_ptr<RealEventLoop>(new RealEventLoop(clock, epoll_fd, wake_fd));
}

RealEventLoop::RealEventLoop(const RealClock& clock, int epoll_fd, int wake_fd)
    : clock_(clock), epoll_fd_(epoll_fd), wake_fd_(wake_fd), owner_(std::this_thread::get_id()) {
  sigemptyset(&signal_mask_);
  sigemptyset(&previously_blocked_);
}

RealEventLoop::~RealEventLoop() {
  if (signal_fd_ >= 0) {
    signal_callbacks_.clear();
    (void)DrainSignals();  // discards: no callbacks left
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int signo = 1; signo < NSIG; ++signo) {
      if (sigismember(&signal_mask_, signo) == 1 && sigismember(&previously_blocked_, signo) != 1) {
        sigaddset(&unblock, signo);
      }
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nullptr);
    close(signal_fd_);
  }
  close(wake_fd_);
  close(epoll_fd_);
}

TimerId RealEventLoop::ScheduleAt(TimePoint when, Callback callback) {
  return core_.AddTimer(when, std::move(callback));
}

TimerId RealEventLoop::ScheduleAfter(Duration delay, Callback callback) {
  assert(delay >= Duration::zero());
  return core_.AddTimer(clock_.Now() + delay, std::move(callback));
}

bool RealEventLoop::Cancel(TimerId id) { return core_.CancelTimer(id); }

void RealEventLoop::Post(Callback callback) {
  if (owner_.load() == std::this_thread::get_id()) {
    core_.Post(std::move(callback));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    inbox_.push_back(std::move(callback));
  }
  Wake();
}

void RealEventLoop::Stop() {
  stop_requested_ = true;
  Wake();
}

void RealEventLoop::Wake() {
  const uint64_t one = 1;
  // A full counter (EAGAIN) already means "wake up".
  [[maybe_unused]] ssize_t written = write(wake_fd_, &one, sizeof one);
}

void RealEventLoop::Run() {
  BecomeOwner();
  while (!TakeStop()) {
    RunReady();
    Poll(ComputeTimeout(std::nullopt));
  }
}

void RealEventLoop::RunFor(Duration duration) {
  BecomeOwner();
  const TimePoint end = clock_.Now() + duration;
  while (!TakeStop()) {
    RunReady();
    if (clock_.Now() >= end) return;
    Poll(ComputeTimeout(end));
  }
}

void RealEventLoop::RunUntilIdle() {
  BecomeOwner();
  while (!TakeStop()) {
    size_t ran = RunReady();
    ran += Poll(0);
    if (ran == 0 && !core_.HasPosted() && !HasInbox() && !core_.HasDueTimer(clock_.Now())) return;
  }
}

bool RealEventLoop::TakeStop() { return stop_requested_.exchange(false); }

bool RealEventLoop::HasInbox() {
  std::lock_guard<std::mutex> lock(inbox_mutex_);
  return !inbox_.empty();
}

void RealEventLoop::MoveInboxToCore() {
  std::vector<Callback> batch;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    batch.swap(inbox_);
  }
  for (Callback& callback : batch) core_.Post(std::move(callback));
}

size_t RealEventLoop::RunReady() {
  MoveInboxToCore();
  return core_.RunTurn(clock_.Now());
}

int RealEventLoop::ComputeTimeout(std::optional<TimePoint> limit) {
  if (core_.HasPosted() || HasInbox()) return 0;
  std::optional<TimePoint> deadline = core_.NextDeadline();
  if (limit && (!deadline || *limit < *deadline)) deadline = limit;
  if (!deadline) return -1;
  const auto wait = clock_.RealTimeUntil(*deadline);
  // Round up: waking early would spin until the deadline.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return ms > INT_MAX / 2 ? INT_MAX / 2 : static_cast<int>(ms);
}

size_t RealEventLoop::Poll(int timeout_ms) {
  epoll_event events[kMaxEventsPerTurn];
  const int count = epoll_wait(epoll_fd_, events, kMaxEventsPerTurn, timeout_ms);
  if (count <= 0) return 0;  // timeout, or EINTR (a debugger); the next turn retries
  size_t ran = 0;
  for (int i = 0; i < count; ++i) {
    const int fd = events[i].data.fd;
    if (fd == wake_fd_) {
      DrainWake();
    } else if (fd == signal_fd_) {
      ran += DrainSignals();
    } else {
      Dispatch(fd, events[i].events, ran);
    }
  }
  return ran;
}

void RealEventLoop::Dispatch(int fd, uint32_t events, size_t& ran) {
  auto it = watchers_.find(fd);
  if (it == watchers_.end()) return;
  // Hold a reference: the callback may Unwatch() (and so destroy) its watcher.
  std::shared_ptr<FdWatcher> watcher = it->second;
  const uint32_t failure = EPOLLERR | EPOLLHUP;
  if ((events & (EPOLLIN | failure)) != 0 && watcher->on_readable) {
    watcher->on_readable();
    ++ran;
  }
  it = watchers_.find(fd);
  if (it == watchers_.end() || it->second != watcher) return;
  if ((events & (EPOLLOUT | failure)) != 0 && watcher->on_writable) {
    watcher->on_writable();
    ++ran;
  }
}

void RealEventLoop::DrainWake() {
  uint64_t value = 0;
  [[maybe_unused]] ssize_t got = read(wake_fd_, &value, sizeof value);
}

size_t RealEventLoop::DrainSignals() {
  size_t ran = 0;
  signalfd_siginfo info{};
  while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    auto it = signal_callbacks_.find(static_cast<int>(info.ssi_signo));
    if (it == signal_callbacks_.end()) continue;
    it->second();
    ++ran;
  }
  return ran;
}

Status RealEventLoop::WatchReadable(int fd, Callback callback) {
  auto [it, inserted] = watchers_.try_emplace(fd, std::make_shared<FdWatcher>());
  if (it->second->on_readable) return Status(StatusCode::kAlreadyExists, "fd already watched for reading");
  FdWatcher next = *it->second;
  next.fd = fd;
  next.on_readable = std::move(callback);
  Status status = UpdateEpoll(fd, next, !inserted);
  if (!status.ok()) {
    if (inserted) watchers_.erase(it);
    return status;
  }
  *it->second = std::move(next);
  return Status::Ok();
}

Status RealEventLoop::WatchWritable(int fd, Callback callback) {
  auto [it, inserted] = watchers_.try_emplace(fd, std::make_shared<FdWatcher>());
  if (it->second->on_writable) return Status(StatusCode::kAlreadyExists, "fd already watched for writing");
  FdWatcher next = *it->second;
  next.fd = fd;
  next.on_writable = std::move(callback);
  Status status = UpdateEpoll(fd, next, !inserted);
  if (!status.ok()) {
    if (inserted) watchers_.erase(it);
    return status;
  }
  *it->second = std::move(next);
  return Status::Ok();
}

Status RealEventLoop::UpdateEpoll(int fd, const FdWatcher& watcher, bool existed) {
  epoll_event event{};
  event.events = (watcher.on_readable ? EPOLLIN : 0u) | (watcher.on_writable ? EPOLLOUT : 0u);
  event.data.fd = fd;
  if (epoll_ctl(epoll_fd_, existed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) != 0) {
    return IoError(ErrnoMessage("cannot watch fd " + std::to_string(fd) + ": epoll_ctl"));
  }
  return Status::Ok();
}

void RealEventLoop::Unwatch(int fd) {
  if (watchers_.erase(fd) == 0) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

Status RealEventLoop::WatchSignal(int signo, Callback callback) {
  if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP) {
    return InvalidArgument("signal " + std::to_string(signo) + " cannot be watched");
  }
  sigset_t one, old;
  sigemptyset(&one);
  sigaddset(&one, signo);
  if (pthread_sigmask(SIG_BLOCK, &one, &old) != 0) return IoError("pthread_sigmask failed");
  if (sigismember(&signal_mask_, signo) != 1 && sigismember(&old, signo) == 1) {
    sigaddset(&previously_blocked_, signo);
  }
  sigaddset(&signal_mask_, signo);
  const int fd = signalfd(signal_fd_, &signal_mask_, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return IoError(ErrnoMessage("signalfd"));
  if (signal_fd_ < 0) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      close(fd);
      return IoError(ErrnoMessage("epoll_ctl(signalfd)"));
    }
    signal_fd_ = fd;
  }
  signal_callbacks_[signo] = std::move(callback);
  return Status::Ok();
}

}  // namespace drydock::runtime

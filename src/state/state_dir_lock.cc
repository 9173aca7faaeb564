#include "state/state_dir_lock.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <utility>

namespace drydock::state {
namespace {

// A probe holds its shared lock for two system calls; yielding this many
// times outlasts it by far, while a real holder makes Acquire fail in well
// under a millisecond.
constexpr int kAcquireAttempts = 1000;

// The pid recorded in the lock file, 0 when none is.
int ReadHolderPid(int fd) {
  char text[32] = {};
  ssize_t size = pread(fd, text, sizeof(text) - 1, 0);
  if (size <= 0) return 0;
  int pid = 0;
  auto [end, error] = std::from_chars(text, text + size, pid);
  return error == std::errc() && end != text && pid > 0 ? pid : 0;
}

Status WritePid(int fd, const std::string& path) {
  std::string text = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    return IoError("cannot write the control plane's pid to " + path + ": " +
                   std::strerror(errno));
  }
  return Status::Ok();
}

Status AlreadyRunning(const StateDir& dir, int pid) {
  std::string who = pid > 0 ? "a drydock control plane (pid " + std::to_string(pid) + ")"
                            : "a drydock control plane";
  return {StatusCode::kAlreadyExists, who + " is already running on " + dir.path()};
}

// flock(LOCK_EX | LOCK_NB), retried past a concurrent probe. Returns true
// when taken, false when another holder keeps it.
Result<bool> TryLockExclusive(int fd, const std::string& path) {
  for (int attempt = 0; attempt < kAcquireAttempts; ++attempt) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return IoError("cannot lock " + path + ": " + std::strerror(errno));
    }
    sched_yield();
  }
  return false;
}

}  // namespace

Result<ControlLock> ControlLock::Acquire(const StateDir& dir) {
  const std::string path = dir.LockPath();
  Result<int> fd = OpenPrivateFile(path);
  if (!fd.ok()) return fd.status();
  Result<bool> taken = TryLockExclusive(*fd, path);
  if (!taken.ok() || !*taken) {
    // Not ours: close without Release(), which would clear the holder's pid.
    int pid = taken.ok() ? ReadHolderPid(*fd) : 0;
    close(*fd);
    if (!taken.ok()) return taken.status();
    return AlreadyRunning(dir, pid);
  }
  ControlLock lock(*fd);  // from here on, Release() on every return
  DRYDOCK_RETURN_IF_ERROR(WritePid(*fd, path));
  return lock;
}

ControlLock::ControlLock(ControlLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

ControlLock& ControlLock::operator=(ControlLock&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void ControlLock::Release() {
  if (fd_ < 0) return;
  // Clear the pid first so that nobody reads a stale one; closing the only
  // descriptor of the open file drops the flock.
  if (ftruncate(fd_, 0) != 0) {
    // Best effort: the pid is only for messages, and the lock goes anyway.
  }
  close(fd_);
  fd_ = -1;
}

Result<std::optional<int>> ProbeControlLock(const StateDir& dir) {
  const std::string path = dir.LockPath();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<int>();
    return IoError("cannot open " + path + ": " + std::strerror(errno));
  }
  std::optional<int> holder;
  if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
    flock(fd, LOCK_UN);
  } else if (errno == EWOULDBLOCK) {
    holder = ReadHolderPid(fd);
  } else {
    int error = errno;
    close(fd);
    return IoError("cannot probe " + path + ": " + std::strerror(error));
  }
  close(fd);
  return holder;
}

}  // namespace drydock::state

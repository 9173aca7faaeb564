// Closes a file descriptor on scope exit. Negative descriptors (a failed
// open) are held and never closed, so `ScopedFd fd(open(...))` is safe
// before checking the result.
#pragma once

#include <unistd.h>

#include <utility>

namespace drydock {

class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Gives the descriptor up: the caller closes it.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace drydock

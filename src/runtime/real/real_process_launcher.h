// Runs each task under its own shim (shim.h) and watches the shims.
//
// Launch: the spec goes to a memfd, the shim is spawned with posix_spawn in a
// new session (setsid) with a clean signal mask, and Launch waits (at most
// Options::start_timeout) for its start report. The shim's exit is noticed
// through a pidfd on the loop (Linux >= 5.3) or, failing that, by polling
// /proc; the task's status is then read from exit.json. Adopt: the same
// watch, set up for a shim started by an earlier control plane.
//
// Loop-affine. Destroying the launcher stops watching; shims and tasks keep
// running and can be adopted.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "runtime/process_launcher.h"
#include "runtime/real/real_event_loop.h"

namespace drydock::runtime {

class RealProcessLauncher final : public ProcessLauncher {
 public:
  struct Options {
    // The command that runs RunShim(); "--spec-fd 3 --report-fd 4" is
    // appended. In drydock: DefaultShimCommand().
    std::vector<std::string> shim_command;
    // Watch shims with pidfds; false (or an old kernel) polls /proc instead.
    bool use_pidfd = true;
    // How often the /proc fallback looks (real time).
    std::chrono::milliseconds poll_interval{100};
    // How long Launch waits for the shim to report that the task started.
    std::chrono::milliseconds start_timeout{10000};
  };

  // {this executable (/proc/self/exe resolved), "shim"}.
  static std::vector<std::string> DefaultShimCommand();

  // `loop` must outlive the launcher. REQUIRES: !options.shim_command.empty().
  RealProcessLauncher(RealEventLoop& loop, Options options);
  ~RealProcessLauncher() override;

  // drydock::runtime::ProcessLauncher
  Result<ProcessHandle> Launch(const ProcessSpec& spec, ExitCallback on_exit) override;
  Adoption Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                 ExitCallback on_exit) override;
  Adoption AdoptByStatusPath(const std::string& status_path, ExitCallback on_exit) override;
  Status Signal(const ProcessHandle& handle, int signal) override;
  bool IsAlive(const ProcessHandle& handle) override;

  // Shims currently watched.
  size_t watched_count() const { return watches_.size(); }

 private:
  struct Watch {
    ProcessHandle handle;
    int pidfd = -1;  // -1: watched by polling /proc
    bool is_child = false;
    ExitCallback on_exit;  // may be empty: reap only
  };

  Result<int> SpawnShim(const ProcessSpec& spec, int& report_fd);
  Result<std::string> AwaitReport(int report_fd, int shim_pid);
  Status StartWatching(const ProcessHandle& handle, int pidfd, bool is_child, ExitCallback on_exit);
  void OnShimExited(int pid);
  void PollShims();
  void EnsurePolling();
  Adoption FinishedAdoption(const std::string& status_path, const std::string& gone_reason);

  RealEventLoop& loop_;
  Options options_;
  std::map<int, Watch> watches_;  // by shim pid
  TimerId poll_timer_ = 0;
};

}  // namespace drydock::runtime

// The ProcessLauncher seam: starts ECS task processes, signals them, reports
// their exit, and re-attaches to them after a control-plane restart.
//
// Real implementation (real/real_process_launcher.h): each task runs under a
// small supervisor, the "shim", in its own session, so the task survives a
// kill -9 of the control plane; see docs/runtime.md. Simulated
// implementation: sim/sim_process_launcher.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace drydock::runtime {

// Task-size limits, as in an ECS task definition. 0 means "no limit".
struct ResourceLimits {
  int cpu_units = 0;   // 1024 units = 1 vCPU
  int memory_mib = 0;  // hard limit
};

struct ProcessSpec {
  // Names the task's cgroup (drydock/<task_id>). 1..128 chars of [A-Za-z0-9._-].
  std::string task_id;
  // argv[0] is a path (absolute, or relative to working_dir) or a bare name
  // looked up in env's PATH (or /usr/local/bin:/usr/bin:/bin without one).
  std::vector<std::string> argv;
  // The task's whole environment, in this order; nothing is inherited.
  std::vector<std::pair<std::string, std::string>> env;
  std::string working_dir;  // absolute, must exist
  // Log files, appended to and created 0600; one "<time> <stream> <F|P> <text>"
  // line per output line (runtime/log_format.h). May be the same file.
  std::string stdout_path;
  std::string stderr_path;
  // Where the exit status is written atomically (exit.json). Must not exist.
  std::string status_path;
  ResourceLimits limits;
};

// Identifies a running supervised task across control-plane restarts. Store
// pid, start_ticks and status_path durably; they are what Adopt() needs.
struct ProcessHandle {
  int pid = 0;               // the supervisor (shim); signals go through it
  uint64_t start_ticks = 0;  // /proc/<pid>/stat field 22; defeats pid reuse
  int task_pid = 0;          // the task process itself; 0 when unknown (adopted)
  std::string status_path;
  // "" when the limits are enforced (or none were asked for), else
  // "limits not enforced: <reason>". Empty for adopted handles.
  std::string limits_note;
};

// How a task ended.
struct ExitStatus {
  enum class Kind {
    kExited,         // exit_code is set
    kSignaled,       // signal is set
    kFailedToStart,  // message says why (e.g. exec failed)
    kLost,           // the supervisor vanished without a status; message says why
  };
  Kind kind = Kind::kLost;
  int exit_code = 0;
  int signal = 0;
  // Wall-clock (UTC) time the supervisor saw the exit; epoch 0 when unknown.
  TimePoint time{};
  std::string message;

  // ECS's container exitCode: the code, or 128 + signal (Docker's
  // convention); nullopt for kFailedToStart and kLost.
  std::optional<int> ContainerExitCode() const;
  // "exited with code 1", "killed by signal 15 (SIGTERM)", "failed to start: ...".
  std::string Describe() const;
};

// The result of re-attaching to a task recorded before a restart.
struct Adoption {
  enum class Outcome {
    kRunning,  // handle is valid and on_exit will be called
    kExited,   // exit holds the recorded status; on_exit will not be called
    kGone,     // no such process and no status; reason says what was found
  };
  Outcome outcome = Outcome::kGone;
  ProcessHandle handle;
  ExitStatus exit;
  std::string reason;
};

class ProcessLauncher {
 public:
  // Runs once on the owning event loop when the task has ended.
  using ExitCallback = std::function<void(const ExitStatus&)>;

  ProcessLauncher() = default;
  ProcessLauncher(const ProcessLauncher&) = delete;
  ProcessLauncher& operator=(const ProcessLauncher&) = delete;
  // Stops watching; supervised tasks keep running (they are adoptable).
  virtual ~ProcessLauncher() = default;

  // Starts the task. On success on_exit will be called exactly once (unless
  // the launcher is destroyed first). Errors: kInvalidArgument for a bad
  // spec, kFailedPrecondition if the program cannot be executed (message
  // names it and the OS error), kIo/kUnavailable if the supervisor failed.
  // Loop-affine.
  virtual Result<ProcessHandle> Launch(const ProcessSpec& spec, ExitCallback on_exit) = 0;

  // Re-attaches to a task started by an earlier control plane. A pid whose
  // start_ticks differ is someone else's process (pid reuse): not adopted.
  // Loop-affine.
  virtual Adoption Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                         ExitCallback on_exit) = 0;

  // Same, when only the status path was recorded (the control plane may die
  // between starting a task and recording its pid): finds the supervisor
  // through the identity it leaves beside the status file. kGone when no
  // supervisor was ever started for this path.
  virtual Adoption AdoptByStatusPath(const std::string& status_path, ExitCallback on_exit) = 0;

  // Sends a signal to the task. SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and
  // SIGUSR2 are forwarded to the task's main process (as `docker kill -s`);
  // SIGKILL kills the task's whole process group and cgroup. Other signals:
  // kInvalidArgument. kNotFound if the task is no longer running.
  virtual Status Signal(const ProcessHandle& handle, int signal) = 0;

  // True while the task runs (its supervisor is alive and no status exists).
  virtual bool IsAlive(const ProcessHandle& handle) = 0;
};

using ProcessLauncherPtr = std::unique_ptr<ProcessLauncher>;

// Checks a spec's fields (shared by real and simulated launchers so both
// refuse the same specs). Does not touch the file system.
Status ValidateProcessSpec(const ProcessSpec& spec);

// "SIGTERM" for 15, "signal 42" for unnamed ones.
std::string SignalName(int signal);

}  // namespace drydock::runtime

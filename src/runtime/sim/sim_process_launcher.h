// Simulated task processes for the simulator and for controller tests. A
// process is a record with a behaviour; it "runs" on the SimEventLoop and
// exits when its behaviour or a command says so. Deterministic: pids count
// up from 1000, start_ticks derive from the virtual start time, exits are
// delivered through the loop like real ones. Loop-affine.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/event_loop.h"
#include "runtime/process_launcher.h"

namespace drydock::runtime {

// What a simulated process does. The default runs until told otherwise and
// dies of SIGTERM at once.
struct SimBehavior {
  // Non-empty: Launch fails with kFailedPrecondition and this message.
  std::string fail_to_start;
  // Set: the process exits by itself this long after starting ...
  std::optional<Duration> exit_after;
  // ... with this code.
  int exit_code = 0;
  // Hangs on SIGTERM/SIGINT/SIGHUP/SIGQUIT: only SIGKILL (or a command) ends it.
  bool ignore_sigterm = false;
  // How long the process takes to shut down after SIGTERM.
  Duration sigterm_delay{0};
  // Set: the process handles SIGTERM and exits with this code; unset: it is
  // killed by the signal.
  std::optional<int> sigterm_exit_code;

  // Common behaviours.
  static SimBehavior ExitAfter(Duration after, int code) {
    SimBehavior behavior;
    behavior.exit_after = after;
    behavior.exit_code = code;
    return behavior;
  }
  static SimBehavior FailToStart(std::string message) {
    SimBehavior behavior;
    behavior.fail_to_start = std::move(message);
    return behavior;
  }
  static SimBehavior HangOnSigterm() {
    SimBehavior behavior;
    behavior.ignore_sigterm = true;
    return behavior;
  }
  static SimBehavior GracefulShutdown(Duration delay, int code) {
    SimBehavior behavior;
    behavior.sigterm_delay = delay;
    behavior.sigterm_exit_code = code;
    return behavior;
  }
};

// One simulated process, for inspection by tests.
struct SimProcess {
  ProcessHandle handle;
  ProcessSpec spec;
  SimBehavior behavior;
  TimePoint started{};
  std::optional<ExitStatus> exit;     // set once it has ended
  std::vector<int> signals_received;  // in order
};

class SimProcessLauncher final : public ProcessLauncher {
 public:
  using BehaviorPolicy = std::function<SimBehavior(const ProcessSpec&)>;

  // `loop` and `clock` must outlive the launcher.
  SimProcessLauncher(EventLoop& loop, const Clock& clock) : loop_(loop), clock_(clock) {}

  // drydock::runtime::ProcessLauncher
  Result<ProcessHandle> Launch(const ProcessSpec& spec, ExitCallback on_exit) override;
  Adoption Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                 ExitCallback on_exit) override;
  Adoption AdoptByStatusPath(const std::string& status_path, ExitCallback on_exit) override;
  Status Signal(const ProcessHandle& handle, int signal) override;
  bool IsAlive(const ProcessHandle& handle) override;

  // Behaviour selection, most specific first: a one-shot behaviour for the
  // next launch of a task id, then the policy, then the default.
  void SetNextBehavior(const std::string& task_id, SimBehavior behavior);
  void SetBehaviorPolicy(BehaviorPolicy policy) { policy_ = std::move(policy); }
  void SetDefaultBehavior(SimBehavior behavior) { default_behavior_ = std::move(behavior); }

  // Commands (fault injection). kNotFound if pid is not running.
  // The process exits now with `exit_code`.
  Status ExitProcess(int pid, int exit_code);
  // The process dies of `signal` now (a crash, an OOM kill: SIGKILL).
  Status CrashProcess(int pid, int signal);
  // The process exits with `exit_code` at virtual time `when` (if still running).
  void ScheduleExit(int pid, TimePoint when, int exit_code);
  // A control-plane crash: every exit callback is dropped, processes keep
  // running and keep their statuses; Adopt() re-attaches.
  void SimulateControlPlaneCrash();

  const SimProcess* Find(int pid) const;
  const std::map<int, SimProcess>& processes() const { return processes_; }
  int running_count() const;

 private:
  SimBehavior ChooseBehavior(const ProcessSpec& spec);
  SimProcess* FindRunning(int pid);
  void Finish(SimProcess& process, ExitStatus status);
  void HandleTerminate(SimProcess& process, int signal);

  EventLoop& loop_;
  const Clock& clock_;
  int next_pid_ = 1000;
  std::map<int, SimProcess> processes_;
  std::map<int, ExitCallback> callbacks_;
  std::map<std::string, ExitStatus> statuses_;  // by status path
  std::map<std::string, SimBehavior> next_behaviors_;
  BehaviorPolicy policy_;
  SimBehavior default_behavior_;
  // Timers capture a weak reference so that they do nothing once the
  // launcher is gone (the loop may outlive it).
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace drydock::runtime

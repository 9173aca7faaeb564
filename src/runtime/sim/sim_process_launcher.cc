#include "runtime/sim/sim_process_launcher.h"

#include <csignal>

namespace drydock::runtime {
namespace {

bool IsTerminateSignal(int signal) {
  return signal == SIGTERM || signal == SIGINT || signal == SIGHUP || signal == SIGQUIT;
}

bool IsSupportedSignal(int signal) {
  return IsTerminateSignal(signal) || signal == SIGKILL || signal == SIGUSR1 || signal == SIGUSR2;
}

}  // namespace

Result<ProcessHandle> SimProcessLauncher::Launch(const ProcessSpec& spec, ExitCallback on_exit) {
  DRYDOCK_RETURN_IF_ERROR(ValidateProcessSpec(spec));
  if (statuses_.count(spec.status_path) > 0) {
    return Status(StatusCode::kFailedPrecondition,
                  "status file " + spec.status_path + " already exists; use a fresh path per launch");
  }
  SimBehavior behavior = ChooseBehavior(spec);
  if (!behavior.fail_to_start.empty()) {
    ExitStatus failed{ExitStatus::Kind::kFailedToStart, 0, 0, clock_.Now(), behavior.fail_to_start};
    statuses_[spec.status_path] = failed;
    return Status(StatusCode::kFailedPrecondition,
                  "cannot start task " + spec.task_id + ": " + behavior.fail_to_start);
  }
  const int pid = next_pid_++;
  SimProcess& process = processes_[pid];
  process.handle.pid = pid;
  process.handle.task_pid = pid;
  // Like /proc/<pid>/stat field 22: clock ticks (100 Hz) since an epoch.
  process.handle.start_ticks = static_cast<uint64_t>(clock_.Now().time_since_epoch().count() / 10);
  process.handle.status_path = spec.status_path;
  process.spec = spec;
  process.behavior = behavior;
  process.started = clock_.Now();
  if (on_exit) callbacks_[pid] = std::move(on_exit);
  if (behavior.exit_after) {
    std::weak_ptr<int> alive = alive_;
    loop_.ScheduleAfter(*behavior.exit_after, [this, alive, pid, code = behavior.exit_code] {
      if (!alive.expired()) (void)ExitProcess(pid, code);
    });
  }
  return process.handle;
}

Adoption SimProcessLauncher::Adopt(int pid, uint64_t start_ticks, const std::string& status_path,
                                   ExitCallback on_exit) {
  Adoption adoption;
  if (auto it = statuses_.find(status_path); it != statuses_.end()) {
    adoption.outcome = Adoption::Outcome::kExited;
    adoption.exit = it->second;
    return adoption;
  }
  SimProcess* process = FindRunning(pid);
  if (process != nullptr && process->handle.start_ticks == start_ticks &&
      process->handle.status_path == status_path) {
    adoption.outcome = Adoption::Outcome::kRunning;
    adoption.handle = process->handle;
    if (on_exit) callbacks_[pid] = std::move(on_exit);
    return adoption;
  }
  adoption.outcome = Adoption::Outcome::kGone;
  adoption.reason = "no process " + std::to_string(pid) + " with start ticks " +
                    std::to_string(start_ticks) + " and no status file " + status_path;
  return adoption;
}

Adoption SimProcessLauncher::AdoptByStatusPath(const std::string& status_path,
                                               ExitCallback on_exit) {
  for (const auto& [pid, process] : processes_) {
    if (process.handle.status_path == status_path) {
      return Adopt(pid, process.handle.start_ticks, status_path, std::move(on_exit));
    }
  }
  return Adopt(0, 0, status_path, std::move(on_exit));  // exited (failed start) or gone
}

Status SimProcessLauncher::Signal(const ProcessHandle& handle, int signal) {
  if (!IsSupportedSignal(signal)) {
    return InvalidArgument(SignalName(signal) + " cannot be sent to a task; use SIGTERM or SIGKILL");
  }
  SimProcess* process = FindRunning(handle.pid);
  if (process == nullptr || process->handle.start_ticks != handle.start_ticks) {
    return NotFound("task process " + std::to_string(handle.pid) + " is not running");
  }
  process->signals_received.push_back(signal);
  if (signal == SIGKILL) {
    Finish(*process, ExitStatus{ExitStatus::Kind::kSignaled, 0, SIGKILL, clock_.Now(), ""});
  } else if (IsTerminateSignal(signal)) {
    HandleTerminate(*process, signal);
  }
  return Status::Ok();
}

void SimProcessLauncher::HandleTerminate(SimProcess& process, int signal) {
  if (process.behavior.ignore_sigterm) return;
  const int pid = process.handle.pid;
  const std::optional<int> code = process.behavior.sigterm_exit_code;
  std::weak_ptr<int> alive = alive_;
  loop_.ScheduleAfter(process.behavior.sigterm_delay, [this, alive, pid, signal, code] {
    if (alive.expired()) return;
    if (code) {
      (void)ExitProcess(pid, *code);
    } else {
      (void)CrashProcess(pid, signal);
    }
  });
}

bool SimProcessLauncher::IsAlive(const ProcessHandle& handle) {
  const SimProcess* process = FindRunning(handle.pid);
  return process != nullptr && process->handle.start_ticks == handle.start_ticks;
}

void SimProcessLauncher::SetNextBehavior(const std::string& task_id, SimBehavior behavior) {
  next_behaviors_[task_id] = std::move(behavior);
}

Status SimProcessLauncher::ExitProcess(int pid, int exit_code) {
  SimProcess* process = FindRunning(pid);
  if (process == nullptr) return NotFound("task process " + std::to_string(pid) + " is not running");
  Finish(*process, ExitStatus{ExitStatus::Kind::kExited, exit_code, 0, clock_.Now(), ""});
  return Status::Ok();
}

Status SimProcessLauncher::CrashProcess(int pid, int signal) {
  SimProcess* process = FindRunning(pid);
  if (process == nullptr) return NotFound("task process " + std::to_string(pid) + " is not running");
  Finish(*process, ExitStatus{ExitStatus::Kind::kSignaled, 0, signal, clock_.Now(), ""});
  return Status::Ok();
}

void SimProcessLauncher::ScheduleExit(int pid, TimePoint when, int exit_code) {
  std::weak_ptr<int> alive = alive_;
  loop_.ScheduleAt(when, [this, alive, pid, exit_code] {
    if (!alive.expired()) (void)ExitProcess(pid, exit_code);
  });
}

void SimProcessLauncher::SimulateControlPlaneCrash() { callbacks_.clear(); }

const SimProcess* SimProcessLauncher::Find(int pid) const {
  auto it = processes_.find(pid);
  return it == processes_.end() ? nullptr : &it->second;
}

int SimProcessLauncher::running_count() const {
  int count = 0;
  for (const auto& [pid, process] : processes_) count += process.exit ? 0 : 1;
  return count;
}

SimBehavior SimProcessLauncher::ChooseBehavior(const ProcessSpec& spec) {
  if (auto it = next_behaviors_.find(spec.task_id); it != next_behaviors_.end()) {
    SimBehavior behavior = std::move(it->second);
    next_behaviors_.erase(it);
    return behavior;
  }
  if (policy_) return policy_(spec);
  return default_behavior_;
}

SimProcess* SimProcessLauncher::FindRunning(int pid) {
  auto it = processes_.find(pid);
  if (it == processes_.end() || it->second.exit) return nullptr;
  return &it->second;
}

void SimProcessLauncher::Finish(SimProcess& process, ExitStatus status) {
  process.exit = status;
  statuses_[process.handle.status_path] = status;
  auto it = callbacks_.find(process.handle.pid);
  if (it == callbacks_.end()) return;
  ExitCallback callback = std::move(it->second);
  callbacks_.erase(it);
  // Delivered on the next turn, as the real launcher does.
  loop_.Post([callback = std::move(callback), status] { callback(status); });
}

}  // namespace drydock::runtime

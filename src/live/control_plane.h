// The live control plane: the loop that runs the pure controllers against the
// store and carries their plans out with a runtime (real, or simulated in
// tests). Nomad's reconcile -> plan -> apply shape:
//
//   every tick (1 s of cluster time), and after every process exit:
//     ReconcileAutoScalingGroup -> apply -> ReconcileServices -> apply
//     -> push targets to the load balancer, read their health back
//     -> PlanTaskSteps -> launch / signal / move tasks (the task agent)
//     -> push targets again if the steps changed them
//     -> DiffSnapshots(stored, working) -> Store::Apply (one transaction)
//
// The working Snapshot is the truth in memory; the store holds the last
// persisted copy, so a crash loses at most one round, and a restart adopts
// the task processes recorded there (runtime::ProcessLauncher::Adopt).
//
// Everything touching time, processes and ports comes in through
// ControlPlaneRuntime, so the same class runs with the real runtime
// (`drydock up`) and with SimEventLoop + SimProcessLauncher in unit tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/status.h"
#include "config/spec/settings.h"
#include "control/actions.h"
#include "control/asg/asg_policy.h"
#include "control/deployments/update_service.h"
#include "control/lifecycle/task_lifecycle.h"
#include "control/scheduler/scheduler_policy.h"
#include "live/account_services.h"
#include "live/load_balancer_link.h"
#include "runtime/clock.h"
#include "runtime/event_loop.h"
#include "runtime/process_launcher.h"
#include "state/model.h"
#include "state/store.h"

namespace drydock::live {

struct ControlPlaneRuntime {
  runtime::Clock* clock = nullptr;  // cluster time
  runtime::EventLoop* loop = nullptr;
  runtime::ProcessLauncher* launcher = nullptr;
  state::Store* store = nullptr;
  // Wall-clock time (task log lines carry it); the retention sweep uses it.
  std::function<TimePoint()> wall_now;
  // Whether a TCP port on 127.0.0.1 can be bound now.
  std::function<bool(int port)> port_free;
  // The load balancer (the `drydock proxy` process); nullptr: none, tasks
  // pass ACTIVATING and DEACTIVATING at once.
  LoadBalancerLink* load_balancer = nullptr;
  // Secrets Manager and IAM (the vaults and execution roles); nullptr: none,
  // and a task whose container has secrets fails to start.
  AccountServices* account = nullptr;
};

struct ControlPlaneOptions {
  config::Settings settings;
  // Bring the recorded cluster in line with `settings` at Start
  // (live/configure.h). `drydock down` turns it off: it stops what is
  // recorded, whatever the file says now.
  bool apply_settings = true;
  // The file's text `settings` came from. A restart with the text applied
  // last does not apply it again (what `drydock deploy` changed since stays);
  // empty: always apply.
  std::string config_text;
  std::string config_dir;  // relative commands (./run.sh) resolve against it
  std::string tasks_dir;   // <state-dir>/tasks: one private directory per task
  std::string logs_dir;    // <state-dir>/logs: log groups and streams
  // What a service without a `command` runs: drydock's stand-in app.
  std::vector<std::string> stand_in_command;
  uint64_t seed = 0;
  double time_scale = 1;  // cluster seconds per wall second (log retention)
  Duration tick = Seconds(1);
  control::LifecycleTiming lifecycle;
  control::AsgPolicy asg;              // from settings unless a test tunes it
  control::SchedulerPolicy scheduler;  // from settings
  // Receives one line per event ("<time> <service> <message>") and per
  // notable runtime fact, for the foreground `drydock up`.
  std::function<void(const std::string&)> report;
};

class ControlPlane {
 public:
  enum class Phase { kStarting, kRunning, kStopping, kStopped };

  // Fills asg/scheduler policies from options.settings.
  static ControlPlaneOptions DefaultOptions(const config::Settings& settings);

  ControlPlane(ControlPlaneRuntime runtime, ControlPlaneOptions options);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // Loads the store, applies the settings to it (a new cluster when it is
  // empty; see apply_settings), adopts the task processes it records and schedules the first
  // round. Loop-affine, like everything below.
  Status Start();

  // `drydock down`: stops every task (SIGTERM, the stop timeout, SIGKILL),
  // then terminates the instances, persists, and calls `done` once. No new
  // task starts meanwhile. Repeated calls add their callbacks.
  void Shutdown(std::function<void()> done);

  // ECS StopTask: the task (an id, an ARN, or an id prefix of at least 8
  // digits naming one task) is stopped with stop code UserInitiated and
  // `reason` ("Task stopped by user" when empty): DEACTIVATING, its target
  // drains, then SIGTERM. The service scheduler replaces it. Returns the task
  // id; kNotFound for no such task, kFailedPrecondition if it already stops.
  Result<std::string> StopTask(const std::string& task, const std::string& reason);

  // ECS UpdateService (control/deployments/update_service.h): registers the
  // revision, creates the deployment and starts rolling it out at once.
  Result<control::UpdateServiceResult> Deploy(const control::UpdateServiceRequest& request);

  // `drydock up FILE` on a running cluster: brings the cluster in line with
  // `settings` (live/configure.h; changed services get a new revision, which
  // the scheduler deploys) and runs with them from now on. The file (its
  // absolute path and text) is recorded as the one applied; relative commands
  // resolve against its directory. Returns one line per change.
  Result<std::vector<std::string>> Reconfigure(const config::Settings& settings,
                                               const std::string& config_path,
                                               const std::string& config_text);

  Phase phase() const { return phase_; }
  const state::Snapshot& snapshot() const { return working_; }
  const std::string& last_error() const { return last_error_; }
  // What the load balancer last said about the tasks' targets.
  const control::TargetView& target_view() const { return target_view_; }

  // One round now (tests drive it; the tick timer calls it too).
  void Round();

 private:
  struct Process {
    runtime::ProcessHandle handle;
    bool killed = false;
  };

  void ScheduleTick();
  void RoundSoon();  // a round as soon as the loop is free
  Status RecordAppliedConfig(const std::string& config_text);
  Status ApplyPlan(const control::Plan& plan);
  void RunTaskSteps();
  // Pushes the targets of working_ when they differ from the last push; with
  // `read_health`, also refreshes target_view_ from the load balancer.
  void SyncLoadBalancer(bool read_health);
  void Launch(state::Task& task);
  // The task ends at PENDING, never having run: stop code TaskFailedToStart,
  // `reason` as its stoppedReason, and a service event.
  void StopBeforeStart(state::Task& task, const std::string& reason);
  // Each service's vault and execution role, when settings are applied.
  Status EnsureAccount(const config::Settings& settings, std::vector<std::string>* changes);
  // The task's secrets, or its ResourceInitializationError stop reason.
  Result<SecretEnvironment> ResolveSecrets(const state::Task& task);
  Result<runtime::ProcessSpec> BuildSpec(const state::Task& task, int host_port,
                                         const SecretEnvironment& secrets) const;
  int PickHostPort();
  void Signal(const state::Task& task, int signal);
  void OnExit(const std::string& task_id, const runtime::ExitStatus& exit);
  void Adopt();
  void SweepLogRetention();
  void ShutdownStep();
  void SetStatus(state::Task& task, state::TaskStatus status);
  void Persist();
  void Report(const std::string& line);
  void Fail(const Status& status);
  std::string TaskDir(const std::string& task_id) const;
  runtime::ProcessLauncher::ExitCallback ExitCallbackFor(const std::string& task_id);

  ControlPlaneRuntime runtime_;
  ControlPlaneOptions options_;
  Phase phase_ = Phase::kStarting;
  state::Snapshot stored_;   // what the store holds
  state::Snapshot working_;  // the truth in memory
  Random asg_random_{0};
  Random scheduler_random_{0};
  Random port_random_{0};
  std::map<std::string, TimePoint> status_since_;  // task id -> entered lastStatus
  std::map<std::string, Process> processes_;       // task id -> its live process
  std::vector<std::function<void()>> on_stopped_;
  runtime::TimerId tick_timer_ = 0;
  TimePoint next_retention_sweep_{};
  bool limits_note_reported_ = false;
  std::optional<alb::LoadBalancerSpec> load_balancer_base_;  // listener + groups, no targets
  std::string pushed_config_;  // the last configuration the load balancer took
  control::TargetView target_view_;
  std::string load_balancer_problem_;  // the last one reported, to report changes only
  std::string last_error_;
  // Guards callbacks scheduled on the loop against a destroyed ControlPlane.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The latest time recorded anywhere in `snapshot` (epoch 0 when empty): a
// restarted control plane's clock starts no earlier, so time never goes back.
TimePoint LatestRecordedTime(const state::Snapshot& snapshot);

}  // namespace drydock::live

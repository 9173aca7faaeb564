#include "live/control_plane.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "base/strings.h"
#include "control/apply_plan.h"
#include "control/asg/asg_controller.h"
#include "control/events.h"
#include "control/scheduler/service_scheduler.h"
#include "live/configure.h"
#include "logs/log_paths.h"
#include "logs/retention.h"
#include "state/diff.h"

namespace drydock::live {
namespace {

using state::TaskStatus;

// ECS's ephemeral host-port range for dynamic ports (rulebook section 3).
// Every simulated instance shares this machine's loopback, so ports are
// unique across the cluster, not only per instance.
constexpr int kFirstHostPort = 49153;
constexpr int kLastHostPort = 65535;
constexpr int kPortAttempts = 200;
// ECS returns the newest 100 events per service; older ones stay in the store.
constexpr size_t kEventsKeptInMemory = 100;
// How much longer than its deregistration delay a task waits in DEACTIVATING
// for a load balancer that does not report the drain.
constexpr Duration kDrainMargin = Seconds(10);
// Wall time a task's process gets to start answering health checks before
// the scheduler acts on failed ones (SchedulerPolicy::health_check_grace).
// Generous: a sanitizer build of drydock's stand-in on a loaded 2-core
// machine took over 7 s from launch to listening.
constexpr Duration kStartupAllowance = Seconds(10);
constexpr char kMetaGeneration[] = "generation";
// Fingerprint (base/strings.h Fnv1a64Hex) of the configuration file applied last.
constexpr char kMetaAppliedConfig[] = "applied_config";
constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

void KeepNewestEvents(std::vector<state::ServiceEvent>& events) {
  std::map<std::string, size_t> seen;
  std::vector<state::ServiceEvent> kept;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (seen[it->service]++ < kEventsKeptInMemory) kept.push_back(std::move(*it));
  }
  std::reverse(kept.begin(), kept.end());
  events = std::move(kept);
}

Status MakePrivateDirectory(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return {StatusCode::kIo, "cannot create " + path + ": " + std::strerror(errno)};
  }
  return Status::Ok();
}

}  // namespace

ControlPlaneOptions ControlPlane::DefaultOptions(const config::Settings& settings) {
  ControlPlaneOptions options;
  options.settings = settings;
  options.asg = control::AsgPolicyFromSettings(settings);
  options.scheduler = control::SchedulerPolicyFromSettings(settings);
  return options;
}

ControlPlane::ControlPlane(ControlPlaneRuntime runtime, ControlPlaneOptions options)
    : runtime_(std::move(runtime)), options_(std::move(options)) {
  // A process starts in wall time whatever the time scale: give it
  // kStartupAllowance of wall time before failed checks stop its task.
  options_.scheduler.health_check_grace =
      std::max(options_.scheduler.health_check_grace,
               std::chrono::duration_cast<Duration>(kStartupAllowance * options_.time_scale));
}

ControlPlane::~ControlPlane() {
  *alive_ = false;
  if (tick_timer_ != 0) runtime_.loop->Cancel(tick_timer_);
}

Status ControlPlane::Start() {
  Result<state::Snapshot> loaded = runtime_.store->Load();
  if (!loaded.ok()) return loaded.status();
  stored_ = *loaded;
  working_ = std::move(*loaded);
  // The file is applied when it differs from the one applied last, so that a
  // restart with the same file keeps what `drydock deploy` changed since.
  bool apply = options_.apply_settings;
  if (apply && !stored_.identity.cluster_name.empty() && !options_.config_text.empty()) {
    Result<std::optional<std::string>> applied = runtime_.store->GetMeta(kMetaAppliedConfig);
    if (!applied.ok()) return applied.status();
    apply = *applied != Fnv1a64Hex(options_.config_text);
  }
  if (apply) {
    std::vector<std::string> changes;
    Result<state::Snapshot> configured =
        ConfigureCluster(std::move(working_), options_.settings, runtime_.clock->Now(), &changes);
    if (!configured.ok()) return configured.status();
    working_ = std::move(*configured);
    DRYDOCK_RETURN_IF_ERROR(EnsureAccount(options_.settings, &changes));
    if (!stored_.identity.cluster_name.empty()) {
      for (const std::string& change : changes) Report("configuration: " + change);
    }
  }
  // Each start draws from fresh streams, so ids never repeat a previous run's.
  Result<std::optional<std::string>> generation = runtime_.store->GetMeta(kMetaGeneration);
  if (!generation.ok()) return generation.status();
  // A value this binary did not write (edited by hand) restarts the count.
  const std::optional<uint64_t> previous =
      generation->has_value() ? ParseUint(**generation) : std::nullopt;
  const std::string next = std::to_string(previous.value_or(0) + 1);
  DRYDOCK_RETURN_IF_ERROR(runtime_.store->SetMeta(kMetaGeneration, next));
  const Random root(options_.seed);
  asg_random_ = root.Stream("asg/" + next);
  scheduler_random_ = root.Stream("scheduler/" + next);
  port_random_ = root.Stream("ports/" + next);

  if (runtime_.load_balancer != nullptr) {
    Result<alb::LoadBalancerSpec> base = LoadBalancerSpecFor(options_.settings);
    if (!base.ok()) return base.status();
    load_balancer_base_ = std::move(*base);
    target_view_.enabled = true;  // nothing registered until the load balancer says so
  }
  const TimePoint now = runtime_.clock->Now();
  for (const state::Task& task : working_.tasks) status_since_[task.task_id] = now;
  Adopt();
  Persist();
  if (!last_error_.empty()) return Status(StatusCode::kIo, last_error_);
  if (apply) DRYDOCK_RETURN_IF_ERROR(RecordAppliedConfig(options_.config_text));
  phase_ = Phase::kRunning;
  next_retention_sweep_ = now;
  RoundSoon();
  ScheduleTick();
  return Status::Ok();
}

void ControlPlane::ScheduleTick() {
  tick_timer_ = runtime_.loop->ScheduleAfter(options_.tick, [alive = alive_, this] {
    if (!*alive) return;
    tick_timer_ = 0;
    Round();
    if (phase_ != Phase::kStopped) ScheduleTick();
  });
}

void ControlPlane::Round() {
  if (phase_ == Phase::kStopped) return;
  if (phase_ == Phase::kStopping) {
    ShutdownStep();
    if (phase_ == Phase::kStopped) return;  // the last task had stopped: everything is down
  } else {
    const TimePoint now = runtime_.clock->Now();
    Status status = ApplyPlan(
        control::ReconcileAutoScalingGroup(working_, now, options_.asg, asg_random_));
    if (status.ok()) {
      status = ApplyPlan(
          control::ReconcileServices(working_, now, options_.scheduler, scheduler_random_,
                                     target_view_));
    }
    if (!status.ok()) Fail(status);
  }
  SyncLoadBalancer(/*read_health=*/true);
  RunTaskSteps();
  SyncLoadBalancer(/*read_health=*/false);
  if (runtime_.clock->Now() >= next_retention_sweep_) SweepLogRetention();
  Persist();
  if (phase_ == Phase::kStopping) ShutdownStep();  // finishes once the last task stopped
}

Status ControlPlane::ApplyPlan(const control::Plan& plan) {
  const TimePoint now = runtime_.clock->Now();
  for (const control::Action& action : plan.actions) {
    DRYDOCK_RETURN_IF_ERROR(control::ApplyAction(action, now, working_));
    const std::string task_id = control::TaskIdOf(action);
    if (!task_id.empty()) status_since_[task_id] = now;
  }
  return Status::Ok();
}

void ControlPlane::SetStatus(state::Task& task, TaskStatus status) {
  const TimePoint now = runtime_.clock->Now();
  control::SetTaskStatus(task, status, now);
  status_since_[task.task_id] = now;
}

void ControlPlane::RunTaskSteps() {
  using Kind = control::TaskStep::Kind;
  const std::vector<control::TaskStep> steps = control::PlanTaskSteps(
      working_, runtime_.clock->Now(), status_since_, options_.lifecycle, target_view_);
  // Per service: targets registered and deregistered this round, for ECS's events.
  std::map<std::string, std::pair<int, int>> targets_moved;
  for (const control::TaskStep& step : steps) {
    state::Task* task = control::FindMutableTask(working_, step.task_id);
    if (task == nullptr) continue;
    switch (step.kind) {
      case Kind::kSetStatus:
        if (target_view_.enabled && step.status == TaskStatus::kRunning &&
            task->last_status == TaskStatus::kActivating) {
          ++targets_moved[task->service].first;
        }
        // A RUNNING task's target was registered (the view may already have
        // forgotten it: a drain with nothing in flight ends at once).
        if (target_view_.enabled && step.status == TaskStatus::kDeactivating &&
            (task->last_status == TaskStatus::kRunning ||
             target_view_.known.count(task->task_id) > 0)) {
          ++targets_moved[task->service].second;
        }
        SetStatus(*task, step.status);
        break;
      case Kind::kLaunch:
        Launch(*task);
        break;
      case Kind::kTerminate:
        SetStatus(*task, TaskStatus::kStopping);
        Signal(*task, SIGTERM);
        break;
      case Kind::kKill: {
        auto process = processes_.find(task->task_id);
        if (process == processes_.end() || process->second.killed) break;
        process->second.killed = true;
        Report("task " + task->task_id + " (" + task->service +
               ") did not stop within its stop timeout: SIGKILL");
        Signal(*task, SIGKILL);
        break;
      }
    }
  }
  control::Plan events;
  for (const auto& [service, moved] : targets_moved) {
    const std::string prefix = "(service " + service + ") ";
    const std::string group =
        " targets in (target-group " +
        working_.identity.TargetGroupArn(alb::TargetGroupName(service)) + ")";
    if (moved.first > 0) {
      events.Add(control::EmitEvent{
          service, prefix + "registered " + std::to_string(moved.first) + group});
    }
    if (moved.second > 0) {
      const std::string count = std::to_string(moved.second);
      events.Add(control::EmitEvent{
          service, prefix + "has begun draining connections on " + count + " tasks."});
      events.Add(control::EmitEvent{service, prefix + "deregistered " + count + group});
    }
  }
  if (Status status = ApplyPlan(events); !status.ok()) Fail(status);
}

void ControlPlane::SyncLoadBalancer(bool read_health) {
  // Once stopped, the load balancer was told to stop too: a push would start it again.
  if (!load_balancer_base_ || phase_ == Phase::kStopped) return;
  alb::ProxyConfig config;
  config.time_scale = options_.time_scale;
  config.spec = WithTargets(*load_balancer_base_, working_);
  std::string encoded = alb::EncodeProxyConfig(config);
  // Pushed every round, changed or not (it is idempotent), so a load
  // balancer that restarted and forgot everything is told again at once;
  // after the task steps, only when they changed the targets.
  if (!read_health && encoded == pushed_config_) return;
  std::string problem;
  if (Status pushed = runtime_.load_balancer->Push(config); pushed.ok()) {
    pushed_config_ = std::move(encoded);
  } else {
    problem = pushed.message();
  }
  if (read_health && problem.empty()) {
    Result<std::vector<alb::TargetGroupReport>> groups = runtime_.load_balancer->Targets();
    if (groups.ok()) {
      target_view_ = TargetViewOf(*groups, options_.settings, working_.identity, kDrainMargin);
    } else {
      problem = groups.status().message();  // keep the last view; drains are bounded
    }
  }
  // Only a full exchange (push and read) can say the problem is over.
  if (problem != load_balancer_problem_ && (read_health || !problem.empty())) {
    Report(problem.empty() ? "load balancer: ready" : "load balancer: " + problem);
    load_balancer_problem_ = std::move(problem);
  }
}

std::string ControlPlane::TaskDir(const std::string& task_id) const {
  return options_.tasks_dir + "/" + task_id;
}

int ControlPlane::PickHostPort() {
  std::set<int> used;
  for (const state::Task& task : working_.tasks) {
    if (task.last_status != TaskStatus::kStopped && task.host_port != 0) used.insert(task.host_port);
  }
  const uint64_t range = kLastHostPort - kFirstHostPort + 1;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    const int port = kFirstHostPort + static_cast<int>(port_random_.Below(range));
    if (used.count(port) == 0 && runtime_.port_free(port)) return port;
  }
  return 0;
}

Status ControlPlane::EnsureAccount(const config::Settings& settings,
                                   std::vector<std::string>* changes) {
  if (runtime_.account == nullptr) return Status::Ok();
  Result<std::vector<std::string>> made =
      runtime_.account->EnsureServiceResources(settings, runtime_.clock->Now());
  if (!made.ok()) return made.status();
  changes->insert(changes->end(), made->begin(), made->end());
  return Status::Ok();
}

Result<SecretEnvironment> ControlPlane::ResolveSecrets(const state::Task& task) {
  const state::TaskDefinition* definition = working_.FindTaskDefinition(task.task_definition);
  if (definition == nullptr || definition->container.secrets.empty()) return SecretEnvironment{};
  if (runtime_.account == nullptr) {
    return FailedPrecondition(
        "ResourceInitializationError: unable to pull secrets or registry auth: this control "
        "plane runs without Secrets Manager");
  }
  return runtime_.account->ResolveSecrets(*definition, working_.identity, task.task_id,
                                          runtime_.clock->Now());
}

Result<runtime::ProcessSpec> ControlPlane::BuildSpec(const state::Task& task, int host_port,
                                                     const SecretEnvironment& secrets) const {
  const state::TaskDefinition* definition = working_.FindTaskDefinition(task.task_definition);
  const state::Instance* instance = working_.FindInstance(task.instance_id);
  if (definition == nullptr || instance == nullptr) {
    return Internal("task " + task.task_id + " names an unknown task definition or instance");
  }
  const state::ContainerDefinition& container = definition->container;
  runtime::ProcessSpec spec;
  spec.task_id = task.task_id;
  spec.argv = container.command.empty() ? options_.stand_in_command : container.command;
  if (spec.argv.empty()) return InvalidArgument("service " + task.service + " has no command");
  std::string& program = spec.argv[0];
  if (program.find('/') != std::string::npos && program[0] != '/') {
    program = options_.config_dir + "/" + program;
  }
  // The service's environment first; what drydock itself provides wins, as
  // the ECS agent's own variables do.
  std::map<std::string, std::string> env = container.environment;
  for (const auto& [name, value] : secrets) env[name] = value;
  env["PATH"] = env.count("PATH") ? env["PATH"] : kDefaultPath;
  env["HOME"] = TaskDir(task.task_id);
  env["PORT"] = std::to_string(host_port);
  env["AWS_REGION"] = env["AWS_DEFAULT_REGION"] = working_.identity.region;
  env["ECS_CLUSTER"] = working_.identity.cluster_name;
  env["ECS_SERVICE_NAME"] = task.service;
  env["ECS_TASK_ARN"] = working_.identity.TaskArn(task.task_id);
  env["ECS_TASK_DEFINITION"] = task.task_definition;
  env["ECS_CONTAINER_NAME"] = container.name;
  env["ECS_CONTAINER_INSTANCE_ARN"] = instance->container_instance_arn;
  env["EC2_INSTANCE_ID"] = instance->instance_id;
  env["ECS_AVAILABILITY_ZONE"] = instance->availability_zone;
  spec.env.assign(env.begin(), env.end());
  spec.working_dir = TaskDir(task.task_id);
  Result<std::string> log_path =
      logs::StreamFilePath(options_.logs_dir, logs::LogGroupName(task.service),
                           logs::LogStreamName(container.name, task.task_id));
  if (!log_path.ok()) return log_path.status();
  spec.stdout_path = spec.stderr_path = *log_path;
  spec.status_path = spec.working_dir + "/exit.json";
  spec.limits = {definition->cpu_units, definition->memory_mib};
  return spec;
}

void ControlPlane::Launch(state::Task& task) {
  // As the ECS agent does, the secrets first: a task that cannot read them
  // stops before its process exists (the circuit breaker counts it).
  Result<SecretEnvironment> secrets = ResolveSecrets(task);
  if (!secrets.ok()) {
    StopBeforeStart(task, secrets.status().message());
    return;
  }
  const int port = PickHostPort();
  Result<runtime::ProcessSpec> spec = port == 0
      ? Result<runtime::ProcessSpec>(Status(StatusCode::kUnavailable,
                                            "no free host port in 49153-65535"))
      : BuildSpec(task, port, *secrets);
  Status prepared = spec.ok() ? MakePrivateDirectory(spec->working_dir) : spec.status();
  if (prepared.ok()) prepared = logs::EnsureStreamDirectory(spec->stdout_path);
  Result<runtime::ProcessHandle> handle =
      prepared.ok() ? runtime_.launcher->Launch(*spec, ExitCallbackFor(task.task_id))
                    : Result<runtime::ProcessHandle>(prepared);
  if (!handle.ok()) {
    StopBeforeStart(task, "CannotStartContainerError: " + handle.status().message());
    return;
  }
  if (!handle->limits_note.empty() && !limits_note_reported_) {
    limits_note_reported_ = true;
    Report("task " + task.task_id + ": " + handle->limits_note);
  }
  task.pid = handle->pid;
  task.pid_start_ticks = static_cast<int64_t>(handle->start_ticks);
  task.host_port = port;
  processes_[task.task_id] = {*handle, false};
  SetStatus(task, TaskStatus::kActivating);
}

void ControlPlane::StopBeforeStart(state::Task& task, const std::string& reason) {
  task.stop_code = state::StopCode::kTaskFailedToStart;
  task.stopped_reason = reason;
  SetStatus(task, TaskStatus::kStopped);
  Report("task " + task.task_id + " (" + task.service + ") failed to start: " + reason);
  control::Plan event;
  event.Add(control::EmitEvent{task.service,
                               control::TaskFailedToStartEvent(task.service, task.task_id,
                                                               reason)});
  if (Status status = ApplyPlan(event); !status.ok()) Fail(status);
}

void ControlPlane::Signal(const state::Task& task, int signal) {
  auto process = processes_.find(task.task_id);
  if (process == processes_.end()) {
    // Nothing runs (lost while the control plane was down): nothing to stop.
    OnExit(task.task_id, runtime::ExitStatus{runtime::ExitStatus::Kind::kLost, 0, 0, {},
                                             "no process to signal"});
    return;
  }
  const Status sent = runtime_.launcher->Signal(process->second.handle, signal);
  // kNotFound: the process is already gone and its exit callback will come.
  if (!sent.ok() && sent.code() != StatusCode::kNotFound) {
    Report("cannot send " + runtime::SignalName(signal) + " to task " + task.task_id + ": " +
           sent.message());
  }
}

runtime::ProcessLauncher::ExitCallback ControlPlane::ExitCallbackFor(const std::string& task_id) {
  return [alive = alive_, this, task_id](const runtime::ExitStatus& exit) {
    if (!*alive) return;
    OnExit(task_id, exit);
    Round();  // record and replace at once: the store never holds a half-recorded exit
  };
}

void ControlPlane::OnExit(const std::string& task_id, const runtime::ExitStatus& exit) {
  processes_.erase(task_id);
  state::Task* task = control::FindMutableTask(working_, task_id);
  if (task == nullptr || task->last_status == TaskStatus::kStopped) return;
  task->exit_code = exit.ContainerExitCode();
  if (task->desired_status == TaskStatus::kRunning) {
    if (exit.kind == runtime::ExitStatus::Kind::kFailedToStart) {
      task->stop_code = state::StopCode::kTaskFailedToStart;
      task->stopped_reason = "CannotStartContainerError: " + exit.message;
    } else if (task->stop_code == state::StopCode::kNone) {
      task->stop_code = state::StopCode::kEssentialContainerExited;
      task->stopped_reason = control::kEssentialContainerExitedReason;
    }
    Report("task " + task_id + " (" + task->service + ") " + exit.Describe());
    SetStatus(*task, TaskStatus::kStopped);  // the scheduler replaces it
    return;
  }
  const state::TaskDefinition* definition = working_.FindTaskDefinition(task->task_definition);
  const bool eni = definition != nullptr && definition->network_mode == state::NetworkMode::kAwsvpc;
  SetStatus(*task, eni ? TaskStatus::kDeprovisioning : TaskStatus::kStopped);
}

void ControlPlane::Adopt() {
  for (state::Task& task : working_.tasks) {
    if (task.last_status == TaskStatus::kProvisioning || task.last_status == TaskStatus::kStopped) {
      continue;
    }
    const std::string status_path = TaskDir(task.task_id) + "/exit.json";
    const runtime::Adoption adoption =
        task.pid != 0
            ? runtime_.launcher->Adopt(task.pid, static_cast<uint64_t>(task.pid_start_ticks),
                                       status_path, ExitCallbackFor(task.task_id))
            : runtime_.launcher->AdoptByStatusPath(status_path, ExitCallbackFor(task.task_id));
    switch (adoption.outcome) {
      case runtime::Adoption::Outcome::kRunning:
        processes_[task.task_id] = {adoption.handle, false};
        if (task.pid == 0) {  // launched, but the control plane died before recording it
          task.pid = adoption.handle.pid;
          task.pid_start_ticks = static_cast<int64_t>(adoption.handle.start_ticks);
          SetStatus(task, TaskStatus::kActivating);
        }
        Report("adopted task " + task.task_id + " (" + task.service + "), pid " +
               std::to_string(task.pid));
        break;
      case runtime::Adoption::Outcome::kExited:
        OnExit(task.task_id, adoption.exit);
        break;
      case runtime::Adoption::Outcome::kGone:
        if (task.pid == 0 && task.last_status == TaskStatus::kPending) break;  // launch again
        OnExit(task.task_id,
               runtime::ExitStatus{runtime::ExitStatus::Kind::kLost, 0, 0, {},
                                   "process lost while the control plane was down: " +
                                       adoption.reason});
        break;
    }
  }
}

void ControlPlane::SweepLogRetention() {
  const TimePoint now = runtime_.clock->Now();
  next_retention_sweep_ = now + std::chrono::hours(1);
  // Retention is AWS time; log lines carry wall time.
  const auto retention = std::chrono::duration_cast<Duration>(
      std::chrono::hours(24 * options_.settings.log_retention_in_days) / options_.time_scale);
  const TimePoint cutoff = runtime_.wall_now() - retention;
  for (const state::Service& service : working_.services) {
    std::set<std::string> open_streams;
    for (const state::Task& task : working_.tasks) {
      if (task.service == service.name && task.last_status != TaskStatus::kStopped) {
        const state::TaskDefinition* definition = working_.FindTaskDefinition(task.task_definition);
        if (definition != nullptr) {
          open_streams.insert(logs::LogStreamName(definition->container.name, task.task_id));
        }
      }
    }
    const auto swept = logs::ApplyRetention(options_.logs_dir, logs::LogGroupName(service.name),
                                            cutoff, open_streams);
    if (!swept.ok()) Report("log retention for " + service.name + ": " + swept.status().message());
  }
}

Result<std::string> ControlPlane::StopTask(const std::string& task, const std::string& reason) {
  const std::string wanted = task.substr(task.rfind('/') + 1);  // an ARN ends in the id
  const state::Task* found = nullptr;
  for (const state::Task& candidate : working_.tasks) {
    if (wanted.size() < 8 || candidate.task_id.compare(0, wanted.size(), wanted) != 0) continue;
    if (found != nullptr) {
      return InvalidArgument("\"" + task + "\" names more than one task; give more digits");
    }
    found = &candidate;
  }
  if (found == nullptr) return NotFound("no task \"" + task + "\" in this cluster");
  if (found->desired_status != TaskStatus::kRunning || phase_ != Phase::kRunning) {
    return Status(StatusCode::kFailedPrecondition, "task " + found->task_id + " is already stopping");
  }
  const std::string id = found->task_id;
  const std::string service = found->service;
  control::Plan plan;
  plan.Add(control::StopTask{id, state::StopCode::kUserInitiated,
                             reason.empty() ? "Task stopped by user" : reason});
  DRYDOCK_RETURN_IF_ERROR(ApplyPlan(plan));
  Report("task " + id + " (" + service + "): stop requested");
  RoundSoon();
  return id;
}

Result<control::UpdateServiceResult> ControlPlane::Deploy(
    const control::UpdateServiceRequest& request) {
  if (phase_ != Phase::kRunning) {
    return Status(StatusCode::kFailedPrecondition, "the cluster is stopping");
  }
  Result<control::UpdateServiceResult> update =
      control::UpdateService(working_, request, scheduler_random_);
  if (!update.ok()) return update.status();
  DRYDOCK_RETURN_IF_ERROR(ApplyPlan(update->plan));
  Report("service " + request.service + ": deployment " + update->deployment_id + " of " +
         update->task_definition + " started");
  RoundSoon();
  return update;
}

Status ControlPlane::RecordAppliedConfig(const std::string& config_text) {
  if (config_text.empty()) return Status::Ok();
  return runtime_.store->SetMeta(kMetaAppliedConfig, Fnv1a64Hex(config_text));
}

Result<std::vector<std::string>> ControlPlane::Reconfigure(const config::Settings& settings,
                                                           const std::string& config_path,
                                                           const std::string& config_text) {
  if (phase_ != Phase::kRunning) {
    return Status(StatusCode::kFailedPrecondition, "the cluster is stopping");
  }
  std::optional<alb::LoadBalancerSpec> base;
  if (runtime_.load_balancer != nullptr) {
    Result<alb::LoadBalancerSpec> spec = LoadBalancerSpecFor(settings);
    if (!spec.ok()) return spec.status();
    base = std::move(*spec);
  }
  std::vector<std::string> changes;
  Result<state::Snapshot> configured =
      ConfigureCluster(working_, settings, runtime_.clock->Now(), &changes);
  if (!configured.ok()) return configured.status();
  DRYDOCK_RETURN_IF_ERROR(EnsureAccount(settings, &changes));
  working_ = std::move(*configured);
  for (const std::string& change : changes) Report("configuration: " + change);
  // Policies follow the file; what a test tuned by hand (tick, lifecycle) stays.
  options_.settings = settings;
  options_.asg = control::AsgPolicyFromSettings(settings);
  const Duration grace = options_.scheduler.health_check_grace;
  options_.scheduler = control::SchedulerPolicyFromSettings(settings);
  options_.scheduler.health_check_grace = grace;
  if (base) load_balancer_base_ = std::move(base);
  options_.config_text = config_text;
  if (!config_path.empty()) {
    options_.config_dir = std::filesystem::path(config_path).parent_path().string();
    DRYDOCK_RETURN_IF_ERROR(runtime_.store->SetMeta(state::kMetaConfigPath, config_path));
  }
  Persist();
  if (!last_error_.empty()) return Status(StatusCode::kIo, last_error_);
  DRYDOCK_RETURN_IF_ERROR(RecordAppliedConfig(config_text));
  RoundSoon();
  return changes;
}

void ControlPlane::RoundSoon() {
  runtime_.loop->Post([alive = alive_, this] {
    if (*alive) Round();
  });
}

void ControlPlane::Shutdown(std::function<void()> done) {
  if (phase_ == Phase::kStopped) {
    if (done) done();
    return;
  }
  if (done) on_stopped_.push_back(std::move(done));
  if (phase_ == Phase::kStopping) return;
  phase_ = Phase::kStopping;
  RoundSoon();
}

void ControlPlane::ShutdownStep() {
  if (phase_ != Phase::kStopping) return;
  control::Plan stops;
  bool all_stopped = true;
  for (const state::Task& task : working_.tasks) {
    if (task.desired_status == TaskStatus::kRunning) {
      stops.Add(control::StopTask{task.task_id, state::StopCode::kUserInitiated,
                                  "Task stopped by drydock down"});
    }
    all_stopped = all_stopped && task.last_status == TaskStatus::kStopped;
  }
  if (!stops.empty()) {
    if (Status status = ApplyPlan(stops); !status.ok()) Fail(status);
    all_stopped = false;
  }
  if (!all_stopped || !processes_.empty()) return;
  control::Plan terminate;
  int terminated = 0;
  for (const state::Instance& instance : working_.instances) {
    if (instance.state == state::InstanceState::kTerminated) continue;
    terminate.Add(control::TerminateInstance{instance.instance_id, "drydock down"});
    terminate.Add(control::SetInstanceState{instance.instance_id,
                                            state::InstanceState::kTerminated});
    ++terminated;
  }
  terminate.Add(control::EmitEvent{
      "", "drydock down: every task stopped; terminated " + std::to_string(terminated) +
              " instance(s)"});
  if (Status status = ApplyPlan(terminate); !status.ok()) Fail(status);
  Persist();
  if (runtime_.load_balancer != nullptr) runtime_.load_balancer->Stop();
  phase_ = Phase::kStopped;
  if (tick_timer_ != 0) runtime_.loop->Cancel(tick_timer_);
  tick_timer_ = 0;
  std::vector<std::function<void()>> callbacks = std::move(on_stopped_);
  for (auto& callback : callbacks) callback();
}

void ControlPlane::Persist() {
  const state::Changes changes = state::DiffSnapshots(stored_, working_);
  if (changes.empty()) return;
  Result<state::AppliedChanges> applied = runtime_.store->Apply(changes);
  if (!applied.ok()) {
    Fail(applied.status());  // the same difference is retried next round
    return;
  }
  size_t next = 0;
  for (state::ServiceEvent& event : working_.events) {
    if (event.id != 0 || next >= applied->event_ids.size()) continue;
    event.id = applied->event_ids[next++];
    Report(FormatTime(event.created_at) + " " + (event.service.empty() ? "-" : event.service) +
           " " + event.message);
  }
  KeepNewestEvents(working_.events);
  stored_ = working_;
}

void ControlPlane::Report(const std::string& line) {
  if (options_.report) options_.report(line);
}

void ControlPlane::Fail(const Status& status) {
  last_error_ = status.message();
  Report("error: " + status.message());
}

TimePoint LatestRecordedTime(const state::Snapshot& snapshot) {
  TimePoint latest{};
  auto see = [&](TimePoint t) { latest = std::max(latest, t); };
  for (const state::Instance& i : snapshot.instances) see(i.state_changed_at);
  for (const state::Service& s : snapshot.services) see(s.created_at);
  for (const state::ServiceEvent& e : snapshot.events) see(e.created_at);
  for (const state::Task& t : snapshot.tasks) {
    see(t.created_at);
    for (const auto& when : {t.started_at, t.stopping_at, t.stopped_at}) {
      if (when) see(*when);
    }
  }
  return latest;
}

}  // namespace drydock::live

#include "control/harness/sim_cluster.h"

#include <algorithm>
#include <set>

namespace drydock::control {
namespace {

using state::TaskStatus;

// ECS's default ephemeral range for dynamic host ports (rulebook section 3).
constexpr int kFirstDynamicPort = 49153;
constexpr int kLastDynamicPort = 65535;

state::NetworkMode ParseNetworkMode(const std::string& mode) {
  if (mode == "bridge") return state::NetworkMode::kBridge;
  if (mode == "host") return state::NetworkMode::kHost;
  return state::NetworkMode::kAwsvpc;
}

Status Unknown(const char* what, const std::string& id) {
  return Internal(std::string("plan names unknown ") + what + " " + id);
}

}  // namespace

TimePoint SimEpoch() {
  return std::chrono::time_point_cast<Duration>(
      std::chrono::sys_days{std::chrono::year{2026} / 1 / 1});
}

state::Snapshot SnapshotFromSettings(const config::Settings& settings, TimePoint now) {
  state::Snapshot snapshot;
  snapshot.identity.cluster_name = settings.cluster_name;
  snapshot.identity.region = settings.region;
  snapshot.group = {settings.cluster_name + "-asg", settings.asg_min_size, settings.asg_max_size,
                    settings.asg_desired_capacity};
  for (const config::ServiceSettings& service : settings.services) {
    state::TaskDefinition definition;
    definition.family = service.name;
    definition.cpu_units = service.cpu;
    definition.memory_mib = service.memory;
    definition.network_mode = ParseNetworkMode(settings.network_mode);
    definition.container = {service.name,        service.image,          service.command,
                            service.environment, service.container_port, service.stop_timeout};
    snapshot.services.push_back({service.name, definition.FamilyRevision(), service.desired_count,
                                 state::ServiceStatus::kActive, now});
    snapshot.task_definitions.push_back(std::move(definition));
  }
  return snapshot;
}

SimCluster::SimCluster(state::Snapshot initial, TimePoint start, SimTiming timing)
    : snapshot_(std::move(initial)), now_(start), timing_(timing) {
  for (const state::ServiceEvent& event : snapshot_.events) {
    next_event_id_ = std::max(next_event_id_, event.id + 1);
  }
  for (const state::Task& task : snapshot_.tasks) status_since_[task.task_id] = now_;
}

Status SimCluster::Apply(const Plan& plan) {
  for (const Action& action : plan.actions) DRYDOCK_RETURN_IF_ERROR(ApplyOne(action));
  return Status::Ok();
}

state::Instance* SimCluster::FindInstance(const std::string& instance_id) {
  for (state::Instance& instance : snapshot_.instances) {
    if (instance.instance_id == instance_id) return &instance;
  }
  return nullptr;
}

state::Task* SimCluster::FindTask(const std::string& task_id) {
  for (state::Task& task : snapshot_.tasks) {
    if (task.task_id == task_id) return &task;
  }
  return nullptr;
}

Status SimCluster::ApplyOne(const Action& action) {
  if (const auto* a = std::get_if<LaunchInstance>(&action)) return Launch(*a);
  if (const auto* a = std::get_if<StartTask>(&action)) return Start(*a);
  if (const auto* a = std::get_if<StopTask>(&action)) return Stop(*a);
  if (const auto* a = std::get_if<EmitEvent>(&action)) {
    snapshot_.events.push_back({next_event_id_++, now_, a->service, a->message});
    return Status::Ok();
  }
  if (const auto* a = std::get_if<PlaceTask>(&action)) {
    state::Task* task = FindTask(a->task_id);
    if (task == nullptr) return Unknown("task", a->task_id);
    task->instance_id = a->instance_id;
    task->availability_zone = a->availability_zone;
    status_since_[task->task_id] = now_;
    return Status::Ok();
  }
  return ChangeInstance(action);
}

Status SimCluster::Launch(const LaunchInstance& launch) {
  if (FindInstance(launch.instance_id) != nullptr) {
    return Internal("plan launches existing instance " + launch.instance_id);
  }
  state::Instance instance;
  instance.instance_id = launch.instance_id;
  instance.instance_type = launch.instance_type;
  instance.availability_zone = launch.availability_zone;
  instance.lifecycle = launch.lifecycle;
  instance.launch_time = instance.state_changed_at = now_;
  instance.protected_from_scale_in = launch.protected_from_scale_in;
  snapshot_.instances.push_back(std::move(instance));
  return Status::Ok();
}

// SetInstanceState, TerminateInstance, SetScaleInProtection,
// RegisterContainerInstance: changes to one existing instance.
Status SimCluster::ChangeInstance(const Action& action) {
  const std::string id = std::visit(
      [](const auto& a) -> std::string {
        if constexpr (requires { a.instance_id; }) {
          return a.instance_id;
        } else {
          return "";  // not an instance action: ApplyOne handled it
        }
      },
      action);
  state::Instance* instance = FindInstance(id);
  if (instance == nullptr) return Unknown("instance", id);
  if (const auto* a = std::get_if<SetInstanceState>(&action)) {
    instance->state = a->state;
    instance->state_changed_at = now_;
  } else if (std::holds_alternative<TerminateInstance>(action)) {
    instance->state = state::InstanceState::kShuttingDown;
    instance->state_changed_at = now_;
    if (!instance->container_instance_arn.empty()) {
      instance->container_status = state::ContainerInstanceStatus::kInactive;
    }
  } else if (const auto* p = std::get_if<SetScaleInProtection>(&action)) {
    instance->protected_from_scale_in = p->protected_from_scale_in;
  } else if (const auto* r = std::get_if<RegisterContainerInstance>(&action)) {
    instance->container_instance_arn = r->container_instance_arn;
    instance->container_status = state::ContainerInstanceStatus::kActive;
    instance->registered = r->registered;
  }
  return Status::Ok();
}

Status SimCluster::Start(const StartTask& start) {
  if (FindTask(start.task_id) != nullptr) {
    return Internal("plan starts existing task " + start.task_id);
  }
  state::Task task;
  task.task_id = start.task_id;
  task.service = start.service;
  task.task_definition = start.task_definition;
  task.instance_id = start.instance_id;
  task.availability_zone = start.availability_zone;
  task.created_at = now_;
  status_since_[task.task_id] = now_;
  snapshot_.tasks.push_back(std::move(task));
  return Status::Ok();
}

Status SimCluster::Stop(const StopTask& stop) {
  state::Task* task = FindTask(stop.task_id);
  if (task == nullptr) return Unknown("task", stop.task_id);
  task->desired_status = TaskStatus::kStopped;
  if (task->stop_code == state::StopCode::kNone) {  // the first cause wins
    task->stop_code = stop.stop_code;
    task->stopped_reason = stop.reason;
  }
  if (task->last_status == TaskStatus::kStopped) return Status::Ok();
  if (task->instance_id.empty()) {  // nothing runs yet: stopped at once
    task->last_status = TaskStatus::kStopped;
    task->stopped_at = now_;
  } else {
    task->last_status = TaskStatus::kStopping;
    task->stopping_at = now_;
  }
  status_since_[task->task_id] = now_;
  return Status::Ok();
}

int SimCluster::DynamicHostPort(const std::string& instance_id) const {
  std::set<int> used;
  for (const state::Task& task : snapshot_.tasks) {
    if (task.instance_id == instance_id && task.last_status != TaskStatus::kStopped) {
      used.insert(task.host_port);
    }
  }
  for (int port = kFirstDynamicPort; port <= kLastDynamicPort; ++port) {
    if (used.count(port) == 0) return port;
  }
  return 0;
}

void SimCluster::AdvanceTask(state::Task& task) {
  const Duration elapsed = now_ - status_since_[task.task_id];
  auto move = [&](TaskStatus next) {
    task.last_status = next;
    status_since_[task.task_id] = now_;
  };
  if (task.desired_status == TaskStatus::kStopped) {
    if (task.last_status == TaskStatus::kStopping && elapsed >= timing_.stopping) {
      move(TaskStatus::kStopped);
      task.stopped_at = now_;
    }
    return;
  }
  if (task.instance_id.empty()) return;
  if (task.last_status == TaskStatus::kProvisioning && elapsed >= timing_.provisioning) {
    move(TaskStatus::kPending);
  } else if (task.last_status == TaskStatus::kPending && elapsed >= timing_.pending) {
    const state::TaskDefinition* definition = snapshot_.FindTaskDefinition(task.task_definition);
    const bool bridge =
        definition != nullptr && definition->network_mode == state::NetworkMode::kBridge;
    task.host_port = bridge ? DynamicHostPort(task.instance_id)
                            : (definition ? definition->container.container_port : 0);
    move(TaskStatus::kRunning);
    task.started_at = now_;
  }
}

void SimCluster::Advance(Duration step) {
  now_ += step;
  for (state::Task& task : snapshot_.tasks) AdvanceTask(task);
}

bool SimCluster::Quiescent() const {
  for (const state::Instance& instance : snapshot_.instances) {
    const bool settled = instance.state == state::InstanceState::kTerminated ||
                         (instance.state == state::InstanceState::kRunning &&
                          !instance.container_instance_arn.empty());
    if (!settled) return false;
  }
  for (const state::Task& task : snapshot_.tasks) {
    const bool running =
        task.last_status == TaskStatus::kRunning && task.desired_status == TaskStatus::kRunning;
    const bool stopped =
        task.last_status == TaskStatus::kStopped && task.desired_status == TaskStatus::kStopped;
    const bool waiting = task.last_status == TaskStatus::kProvisioning && task.instance_id.empty();
    if (!running && !stopped && !waiting) return false;
  }
  return true;
}

Status SimCluster::ExitTask(const std::string& task_id, int exit_code) {
  state::Task* task = FindTask(task_id);
  if (task == nullptr) return NotFound("no task " + task_id);
  task->last_status = TaskStatus::kStopped;
  task->exit_code = exit_code;
  task->stopped_at = now_;
  status_since_[task_id] = now_;
  return Status::Ok();
}

Status SimCluster::SetContainerInstanceStatus(const std::string& instance_id,
                                              state::ContainerInstanceStatus status) {
  state::Instance* instance = FindInstance(instance_id);
  if (instance == nullptr) return NotFound("no instance " + instance_id);
  instance->container_status = status;
  return Status::Ok();
}

void SimCluster::SetDesiredCapacity(int desired_capacity) {
  snapshot_.group.desired_capacity = desired_capacity;
}

Status SimCluster::SetDesiredCount(const std::string& service, int desired_count) {
  for (state::Service& s : snapshot_.services) {
    if (s.name != service) continue;
    s.desired_count = desired_count;
    return Status::Ok();
  }
  return NotFound("no service " + service);
}

std::string SimCluster::EventLog() const {
  std::string log;
  for (const state::ServiceEvent& event : snapshot_.events) {
    log += FormatTime(event.created_at) + " " + (event.service.empty() ? "-" : event.service) +
           " " + event.message + "\n";
  }
  return log;
}

}  // namespace drydock::control

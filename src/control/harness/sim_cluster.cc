#include "control/harness/sim_cluster.h"

#include <algorithm>
#include <set>

#include "control/apply_plan.h"

namespace drydock::control {
namespace {

using state::TaskStatus;

// ECS's default ephemeral range for dynamic host ports (rulebook section 3).
constexpr int kFirstDynamicPort = 49153;
constexpr int kLastDynamicPort = 65535;


}  // namespace

TimePoint SimEpoch() {
  return std::chrono::time_point_cast<Duration>(
      std::chrono::sys_days{std::chrono::year{2026} / 1 / 1});
}

SimCluster::SimCluster(state::Snapshot initial, TimePoint start, SimTiming timing)
    : snapshot_(std::move(initial)), now_(start), timing_(timing) {
  for (const state::ServiceEvent& event : snapshot_.events) {
    next_event_id_ = std::max(next_event_id_, event.id + 1);
  }
  for (const state::Task& task : snapshot_.tasks) status_since_[task.task_id] = now_;
}

Status SimCluster::Apply(const Plan& plan) {
  for (const Action& action : plan.actions) {
    DRYDOCK_RETURN_IF_ERROR(ApplyAction(action, now_, snapshot_));
    if (std::holds_alternative<EmitEvent>(action)) snapshot_.events.back().id = next_event_id_++;
    const std::string task_id = TaskIdOf(action);
    if (!task_id.empty()) status_since_[task_id] = now_;
  }
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
    if (task.last_status < TaskStatus::kStopping) {  // SIGTERM sent
      move(TaskStatus::kStopping);
      task.stopping_at = now_;
    } else if (task.last_status == TaskStatus::kStopping && elapsed >= timing_.stopping) {
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
  state::Task* task = FindMutableTask(snapshot_, task_id);
  if (task == nullptr) return NotFound("no task " + task_id);
  task->last_status = TaskStatus::kStopped;
  task->exit_code = exit_code;
  task->stopped_at = now_;
  status_since_[task_id] = now_;
  return Status::Ok();
}

Status SimCluster::SetContainerInstanceStatus(const std::string& instance_id,
                                              state::ContainerInstanceStatus status) {
  state::Instance* instance = FindMutableInstance(snapshot_, instance_id);
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

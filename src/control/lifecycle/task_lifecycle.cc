#include "control/lifecycle/task_lifecycle.h"

namespace drydock::control {
namespace {

using state::TaskStatus;
using Kind = TaskStep::Kind;

bool UsesEni(const state::Snapshot& snapshot, const state::Task& task) {
  const state::TaskDefinition* definition = snapshot.FindTaskDefinition(task.task_definition);
  return definition != nullptr && definition->network_mode == state::NetworkMode::kAwsvpc;
}

Duration StopTimeout(const state::Snapshot& snapshot, const state::Task& task) {
  const state::TaskDefinition* definition = snapshot.FindTaskDefinition(task.task_definition);
  return Seconds(definition != nullptr ? definition->container.stop_timeout_seconds : 30);
}

}  // namespace

std::vector<TaskStep> PlanTaskSteps(const state::Snapshot& snapshot, TimePoint now,
                                    const std::map<std::string, TimePoint>& status_since,
                                    const LifecycleTiming& timing,
                                    const TargetView& targets) {
  std::vector<TaskStep> steps;
  for (const state::Task& task : snapshot.tasks) {
    if (task.last_status == TaskStatus::kStopped || task.instance_id.empty()) continue;
    const auto since = status_since.find(task.task_id);
    const Duration elapsed = since == status_since.end() ? Duration{0} : now - since->second;
    const bool eni = UsesEni(snapshot, task);
    auto set = [&](TaskStatus status) { steps.push_back({Kind::kSetStatus, task.task_id, status}); };
    if (task.desired_status == TaskStatus::kRunning) {
      switch (task.last_status) {
        case TaskStatus::kProvisioning:
          if (!eni || elapsed >= timing.eni_attach) set(TaskStatus::kPending);
          break;
        case TaskStatus::kPending:
          steps.push_back({Kind::kLaunch, task.task_id});
          break;
        case TaskStatus::kActivating:
          if (!targets.enabled || targets.registered.count(task.task_id) > 0) {
            set(TaskStatus::kRunning);
          }
          break;
        default:
          break;  // RUNNING; a process that ends is recorded by the agent
      }
      continue;
    }
    switch (task.last_status) {
      case TaskStatus::kPending:
        if (task.pid == 0) set(TaskStatus::kStopped);  // never launched
        break;
      case TaskStatus::kActivating:
      case TaskStatus::kRunning:
        set(TaskStatus::kDeactivating);
        break;
      case TaskStatus::kDeactivating: {
        const auto bound = targets.drain_bound.find(task.service);
        const Duration limit =
            bound == targets.drain_bound.end() ? targets.default_drain_bound : bound->second;
        const bool drained = !targets.enabled || targets.known.count(task.task_id) == 0 ||
                             elapsed >= limit;
        if (drained) steps.push_back({Kind::kTerminate, task.task_id});
        break;
      }
      case TaskStatus::kStopping:
        if (task.stopping_at && now - *task.stopping_at >= StopTimeout(snapshot, task)) {
          steps.push_back({Kind::kKill, task.task_id});
        }
        break;
      case TaskStatus::kDeprovisioning:
        if (!eni || elapsed >= timing.eni_detach) set(TaskStatus::kStopped);
        break;
      default:
        break;
    }
  }
  return steps;
}

void SetTaskStatus(state::Task& task, TaskStatus status, TimePoint now) {
  task.last_status = status;
  if (status == TaskStatus::kRunning && !task.started_at) task.started_at = now;
  if (status == TaskStatus::kStopping && !task.stopping_at) task.stopping_at = now;
  if (status == TaskStatus::kStopped && !task.stopped_at) task.stopped_at = now;
}

std::string Describe(const TaskStep& step) {
  switch (step.kind) {
    case Kind::kSetStatus:
      return "task " + step.task_id + " -> " + state::TaskStatusName(step.status);
    case Kind::kLaunch:
      return "task " + step.task_id + " launch";
    case Kind::kTerminate:
      return "task " + step.task_id + " SIGTERM";
    case Kind::kKill:
      return "task " + step.task_id + " SIGKILL";
  }
  return "task " + step.task_id;
}

}  // namespace drydock::control

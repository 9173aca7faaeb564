#include "describe/tallies.h"

namespace drydock::describe {

bool IsPending(const state::Task& task) {
  using state::TaskStatus;
  return task.desired_status == TaskStatus::kRunning &&
         (task.last_status == TaskStatus::kProvisioning ||
          task.last_status == TaskStatus::kPending || task.last_status == TaskStatus::kActivating);
}

TaskCounts CountTasks(const state::Snapshot& snapshot, const std::string& service,
                      const std::string& instance_id) {
  TaskCounts counts;
  for (const state::Task& task : snapshot.tasks) {
    if (!service.empty() && task.service != service) continue;
    if (!instance_id.empty() && task.instance_id != instance_id) continue;
    counts.running += task.last_status == state::TaskStatus::kRunning ? 1 : 0;
    counts.pending += IsPending(task) ? 1 : 0;
  }
  return counts;
}

state::Resources ReservedResources(const state::Snapshot& snapshot,
                                   const std::string& instance_id) {
  state::Resources reserved;
  for (const state::Task& task : snapshot.tasks) {
    if (task.instance_id != instance_id || task.last_status == state::TaskStatus::kStopped) {
      continue;
    }
    if (const state::TaskDefinition* definition =
            snapshot.FindTaskDefinition(task.task_definition)) {
      reserved.cpu_units += definition->cpu_units;
      reserved.memory_mib += definition->memory_mib;
    }
  }
  return reserved;
}

}  // namespace drydock::describe

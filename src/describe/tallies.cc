#include "describe/tallies.h"

#include <algorithm>

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

DeploymentCounts CountDeploymentTasks(const state::Snapshot& snapshot,
                                      const state::Deployment& deployment) {
  DeploymentCounts counts;
  int still_running = 0;  // desiredStatus RUNNING
  for (const state::Task& task : snapshot.tasks) {
    if (task.started_by.empty() || task.started_by != deployment.id) continue;
    if (task.desired_status != state::TaskStatus::kRunning) continue;
    ++still_running;
    counts.running += task.last_status == state::TaskStatus::kRunning ? 1 : 0;
    counts.pending += IsPending(task) ? 1 : 0;
  }
  if (deployment.status == state::DeploymentStatus::kPrimary) {
    const state::Service* service = snapshot.FindService(deployment.service);
    counts.desired = service ? service->desired_count : 0;
  } else {
    counts.desired = still_running;
  }
  return counts;
}

namespace {

// `service`'s deployments that `keep` accepts, newest first: by created_at,
// later in the snapshot (created later) first among equal times.
template <typename Keep>
std::vector<const state::Deployment*> NewestFirst(const state::Snapshot& snapshot,
                                                  const std::string& service, Keep keep) {
  std::vector<const state::Deployment*> out;
  for (auto it = snapshot.deployments.rbegin(); it != snapshot.deployments.rend(); ++it) {
    if (it->service == service && keep(*it)) out.push_back(&*it);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->created_at > b->created_at; });
  return out;
}

}  // namespace

std::vector<const state::Deployment*> ListedDeployments(const state::Snapshot& snapshot,
                                                        const std::string& service) {
  return NewestFirst(snapshot, service, [](const state::Deployment& deployment) {
    return deployment.status != state::DeploymentStatus::kInactive;
  });
}

std::vector<const state::Deployment*> InactiveDeployments(const state::Snapshot& snapshot,
                                                          const std::string& service,
                                                          size_t limit) {
  std::vector<const state::Deployment*> out =
      NewestFirst(snapshot, service, [](const state::Deployment& deployment) {
        return deployment.status == state::DeploymentStatus::kInactive;
      });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace drydock::describe

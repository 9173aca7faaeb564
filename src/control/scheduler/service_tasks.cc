#include "control/scheduler/service_tasks.h"

#include <algorithm>
#include <tuple>

namespace drydock::control {
namespace {

bool OnLiveInstance(const state::Instance* instance) {
  if (instance == nullptr || instance->state != state::InstanceState::kRunning) return false;
  return instance->container_status == state::ContainerInstanceStatus::kActive ||
         instance->container_status == state::ContainerInstanceStatus::kDraining;
}

std::vector<const state::Task*> SortedTasksOf(const state::Snapshot& snapshot,
                                              const std::string& service) {
  std::vector<const state::Task*> tasks;
  for (const state::Task& task : snapshot.tasks) {
    if (task.service == service && task.desired_status == state::TaskStatus::kRunning) {
      tasks.push_back(&task);
    }
  }
  std::sort(tasks.begin(), tasks.end(), [](const state::Task* a, const state::Task* b) {
    return std::tie(a->created_at, a->task_id) < std::tie(b->created_at, b->task_id);
  });
  return tasks;
}

}  // namespace

ServiceTasks ClassifyTasks(const state::Snapshot& snapshot, const std::string& service) {
  ServiceTasks out;
  for (const state::Task& task : snapshot.tasks) {
    out.stopping += task.service == service && task.desired_status == state::TaskStatus::kStopped &&
                    task.last_status != state::TaskStatus::kStopped;
  }
  for (const state::Task* task : SortedTasksOf(snapshot, service)) {
    if (task->last_status == state::TaskStatus::kStopped) {
      out.exited.push_back(task);
    } else if (task->instance_id.empty()) {
      out.unplaced.push_back(task);
    } else {
      const state::Instance* instance = snapshot.FindInstance(task->instance_id);
      if (!OnLiveInstance(instance)) {
        out.orphaned.push_back(task);
      } else if (instance->container_status == state::ContainerInstanceStatus::kDraining) {
        out.draining.push_back(task);
      } else {
        out.active.push_back(task);
      }
    }
  }
  return out;
}

int CountRunning(const std::vector<const state::Task*>& tasks) {
  return static_cast<int>(std::count_if(tasks.begin(), tasks.end(), [](const state::Task* t) {
    return t->last_status == state::TaskStatus::kRunning;
  }));
}

}  // namespace drydock::control

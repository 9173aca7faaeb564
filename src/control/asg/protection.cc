#include "control/asg/protection.h"

namespace drydock::control {

bool HoldsTasks(const state::Snapshot& snapshot, const std::string& instance_id) {
  for (const state::Task& task : snapshot.tasks) {
    if (task.instance_id == instance_id && task.last_status != state::TaskStatus::kStopped) {
      return true;
    }
  }
  return false;
}

Plan ManageTerminationProtection(const state::Snapshot& snapshot) {
  Plan plan;
  for (const state::Instance& instance : snapshot.instances) {
    const bool registered = instance.container_status == state::ContainerInstanceStatus::kActive ||
                            instance.container_status == state::ContainerInstanceStatus::kDraining;
    if (instance.state != state::InstanceState::kRunning || !registered) continue;
    const bool wanted = HoldsTasks(snapshot, instance.instance_id);
    if (wanted != instance.protected_from_scale_in) {
      plan.Add(SetScaleInProtection{instance.instance_id, wanted});
    }
  }
  return plan;
}

}  // namespace drydock::control

#include "control/asg/instance_lifecycle.h"

#include <set>

#include "aws/instance_types.h"
#include "control/ids.h"

namespace drydock::control {
namespace {

std::set<std::string> ContainerInstanceIds(const state::Snapshot& snapshot) {
  std::set<std::string> ids;
  for (const state::Instance& instance : snapshot.instances) {
    if (!instance.container_instance_arn.empty())
      ids.insert(ArnId(instance.container_instance_arn));
  }
  return ids;
}

}  // namespace

bool RegisteredResources(const std::string& instance_type, state::Resources* out) {
  const aws::InstanceType* type = aws::FindInstanceType(instance_type);
  if (type == nullptr) return false;
  out->cpu_units = type->registered_cpu_units();
  out->memory_mib = type->registered_memory_mib;
  out->enis = type->awsvpc_task_slots();
  return true;
}

Plan AdvanceInstanceLifecycles(const state::Snapshot& snapshot, TimePoint now,
                               const AsgPolicy& policy, Random& random) {
  Plan plan;
  std::set<std::string> taken = ContainerInstanceIds(snapshot);
  for (const state::Instance& instance : snapshot.instances) {
    const Duration in_state = now - instance.state_changed_at;
    switch (instance.state) {
      case state::InstanceState::kPending:
        if (now - instance.launch_time >= policy.startup_delay) {
          plan.Add(SetInstanceState{instance.instance_id, state::InstanceState::kRunning});
        }
        break;
      case state::InstanceState::kRunning: {
        state::Resources registered;
        // An unknown type never registers; validation rejects such types.
        if (instance.container_instance_arn.empty() &&
            in_state >= policy.agent_registration_delay &&
            RegisteredResources(instance.instance_type, &registered)) {
          const std::string id = NewContainerInstanceId(random, &taken);
          plan.Add(RegisterContainerInstance{
              instance.instance_id, snapshot.identity.ContainerInstanceArn(id), registered});
        }
        break;
      }
      case state::InstanceState::kShuttingDown:
        if (in_state >= policy.shutdown_delay) {
          plan.Add(SetInstanceState{instance.instance_id, state::InstanceState::kTerminated});
        }
        break;
      case state::InstanceState::kTerminated: break;
    }
  }
  return plan;
}

}  // namespace drydock::control

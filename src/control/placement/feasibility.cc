#include "control/placement/feasibility.h"

#include "aws/ecs_rules.h"

namespace drydock::control {

std::vector<PlacementFailure> ResourceFailures(const InstanceView& instance,
                                               const TaskNeeds& needs) {
  std::vector<PlacementFailure> failures;
  if (instance.remaining.cpu_units < needs.cpu_units) {
    failures.push_back(PlacementFailure::kInsufficientCpu);
  }
  if (instance.remaining.memory_mib < needs.memory_mib) {
    failures.push_back(PlacementFailure::kInsufficientMemory);
  }
  if (needs.host_port > 0 && (instance.used_ports.count(needs.host_port) > 0 ||
                              aws::IsReservedHostPort(needs.host_port))) {
    failures.push_back(PlacementFailure::kPortInUse);
  }
  if (needs.uses_eni && instance.remaining.enis < 1) {
    failures.push_back(PlacementFailure::kNoEni);
  }
  return failures;
}

}  // namespace drydock::control

// Placement stage 1 (rulebook section 3, "Pipeline"): does the task's
// resource demand fit the instance? CPU units, memory, static host ports
// (host mode; the agent's reserved ports included), and one ENI per task in
// awsvpc mode.
#pragma once

#include <vector>

#include "control/events.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

// Every resource check the instance fails, in ECS's filter order: CPU,
// memory, ports, ENIs. Empty when the task fits.
std::vector<PlacementFailure> ResourceFailures(const InstanceView& instance,
                                               const TaskNeeds& needs);

}  // namespace drydock::control

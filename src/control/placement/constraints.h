// Placement stage 2 (rulebook section 3, "Constraints"): binding rules.
// distinctInstance: no other task of the same service (desired RUNNING) on
// the instance. memberOf: the instance's attributes satisfy the expression.
#pragma once

#include <string>
#include <vector>

#include "control/placement/cluster_view.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

// How many of `constraints` the instance fails for a task of `service`.
int ConstraintFailures(const InstanceView& instance,
                       const std::vector<PlacementConstraint>& constraints,
                       const std::string& service);

}  // namespace drydock::control

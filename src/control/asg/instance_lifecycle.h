// EC2 instance states and ECS agent registration over time (rulebook
// section 1 for the ASG, section 3 for registered resources):
//   pending --startup_delay--> running --agent_registration_delay--> ACTIVE
//   shutting-down --shutdown_delay--> terminated
#pragma once

#include "base/random.h"
#include "base/time.h"
#include "control/actions.h"
#include "control/asg/asg_policy.h"
#include "state/model.h"

namespace drydock::control {

// The registered resources of a type: CPU = vCPU x 1024, memory = the
// catalog's registered MiB (never the nominal size), ENIs = max ENIs - 1 (the
// primary ENI is the instance's own; no trunking). False for unknown types.
bool RegisteredResources(const std::string& instance_type, state::Resources* out);

// SetInstanceState / RegisterContainerInstance actions for every instance
// whose delay has elapsed at `now`. Container-instance ids come from `random`.
Plan AdvanceInstanceLifecycles(const state::Snapshot& snapshot, TimePoint now,
                               const AsgPolicy& policy, Random& random);

}  // namespace drydock::control

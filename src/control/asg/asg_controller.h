// The Auto Scaling group controller: brings the group to its desired capacity
// (rulebook section 1) and plays the parts of EC2 and the ECS agent that
// drydock simulates (instance states, container-instance registration).
//
//   snapshot + now + Random("asg")
//     -> instance lifecycles (pending -> running -> registered; terminated)
//     -> managed termination protection (if enabled)
//     -> launches (fewest-instances AZ, mixed-instances purchase option, type)
//        or terminations (termination order, skipping protected instances)
//     -> Plan
#pragma once

#include "base/random.h"
#include "base/time.h"
#include "control/actions.h"
#include "control/asg/asg_policy.h"
#include "state/model.h"

namespace drydock::control {

// Pure: reads `snapshot`, draws ids and tie-breaks from `random`, never
// mutates anything. The group's capacity is snapshot.group.desired_capacity
// (whoever changes it keeps it within min/max). Launches and terminations
// also emit cluster-level Auto Scaling activity events.
Plan ReconcileAutoScalingGroup(const state::Snapshot& snapshot, TimePoint now,
                               const AsgPolicy& policy, Random& random);

}  // namespace drydock::control

// Which instance the Auto Scaling group launches next (rulebook section 1,
// "Allocation order"): AZ balance first, then the purchase option the mixed
// instances distribution requires at the new size, then the instance type.
#pragma once

#include <string>
#include <vector>

#include "base/random.h"
#include "control/actions.h"
#include "control/asg/asg_policy.h"
#include "control/asg/group_members.h"

namespace drydock::control {

// The enabled AZ with the fewest in-service instances; ties go to the first in
// `policy.availability_zones` (a stable order). REQUIRES: zones non-empty.
std::string LeastPopulatedZone(const std::vector<GroupMember>& members, const AsgPolicy& policy);

// On-Demand when the group, grown by one, needs more On-Demand instances than
// it has (MixForGroupSize: base first, the share above it rounded up in
// favour of On-Demand), else Spot.
state::Lifecycle NextLifecycle(const std::vector<GroupMember>& members, const AsgPolicy& policy);

// The Spot type per the allocation strategy. Drydock has no capacity signal,
// so price-capacity-optimized and lowest-price take the cheapest Spot price
// (seeded tie-break), capacity-optimized a seeded uniform choice, and
// capacity-optimized-prioritized the first listed type. Unknown types are
// skipped; "" when no Spot type is known.
std::string ChooseSpotType(const AsgPolicy& policy, Random& random);

// The next launch; instance_id is left empty for the caller to assign.
LaunchInstance ChooseLaunch(const std::vector<GroupMember>& members, const AsgPolicy& policy,
                            Random& random);

}  // namespace drydock::control

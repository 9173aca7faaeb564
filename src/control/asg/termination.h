// Which instance the Auto Scaling group terminates on scale-in (rulebook
// section 1, "Termination order on scale-in", default policy):
//   1. the purchase option that must shrink so that the group, one smaller,
//      matches MixForGroupSize;
//   2. among AZs holding an unprotected instance of that option, the AZ with
//      the most instances of it (ties: most instances overall, then seeded);
//   3. instances misaligned with the allocation strategy first (an On-Demand
//      instance not of the On-Demand type, a Spot instance of a type no longer
//      listed);
//   4. the oldest launch, then a seeded tie-break.
// Scale-in-protected instances are never chosen.
#pragma once

#include <string>
#include <vector>

#include "base/random.h"
#include "control/asg/asg_policy.h"
#include "control/asg/group_members.h"

namespace drydock::control {

// The instance to terminate to shrink `members` by one; "" when every
// instance is protected (the desired capacity stays lowered and nothing
// terminates until protection is removed).
std::string ChooseInstanceToTerminate(const std::vector<GroupMember>& members,
                                      const AsgPolicy& policy, Random& random);

}  // namespace drydock::control

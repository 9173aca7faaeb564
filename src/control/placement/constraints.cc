#include "control/placement/constraints.h"

namespace drydock::control {

int ConstraintFailures(const InstanceView& instance,
                       const std::vector<PlacementConstraint>& constraints,
                       const std::string& service) {
  int failures = 0;
  for (const PlacementConstraint& constraint : constraints) {
    switch (constraint.type) {
      case PlacementConstraint::Type::kDistinctInstance:
        failures += instance.TasksOf(service) > 0;
        break;
      case PlacementConstraint::Type::kMemberOf:
        failures += !MatchesMemberOf(constraint.member_of, instance.attributes);
        break;
    }
  }
  return failures;
}

}  // namespace drydock::control

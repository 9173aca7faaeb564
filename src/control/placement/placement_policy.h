// A service's placement strategies and constraints (rulebook section 3) and
// what one task needs from an instance.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "control/placement/member_of.h"
#include "state/model.h"

namespace drydock::control {

// ECS placementStrategy: spread (field "instanceId", "host" or
// "attribute:NAME"), binpack (field "cpu" or "memory"), random (no field).
struct PlacementStrategy {
  enum class Type { kSpread, kBinpack, kRandom };
  Type type = Type::kSpread;
  std::string field;
};

// ECS placementConstraint: distinctInstance, or memberOf with an expression.
struct PlacementConstraint {
  enum class Type { kDistinctInstance, kMemberOf };
  Type type = Type::kDistinctInstance;
  std::string expression;        // memberOf only, as written
  MemberOfExpression member_of;  // memberOf only, parsed
};

struct PlacementPolicy {
  std::vector<PlacementStrategy> strategies;     // applied in order, best effort
  std::vector<PlacementConstraint> constraints;  // binding
};

// ECS limits (rulebook section 3): at most 5 strategies, 10 constraints.
inline constexpr size_t kMaxPlacementStrategies = 5;
inline constexpr size_t kMaxPlacementConstraints = 10;

// The service default when no strategy is given (CreateService): spread by
// attribute:ecs.availability-zone, then by instanceId.
PlacementPolicy DefaultServicePlacement();

// From the API's spellings ("spread", "attribute:ecs.availability-zone").
Result<PlacementStrategy> MakeStrategy(std::string_view type, std::string_view field);
Result<PlacementConstraint> MakeConstraint(std::string_view type, std::string_view expression);

// What one task asks of an instance (rulebook section 3, "Resources" and
// "Ports"). host_port > 0 only in host mode, where the container port is a
// static host port; awsvpc tasks take one ENI each instead; bridge tasks get
// a dynamic host port from the runtime and reserve none at placement.
struct TaskNeeds {
  int cpu_units = 0;
  int memory_mib = 0;
  bool uses_eni = false;
  int host_port = 0;
};

TaskNeeds NeedsOf(const state::TaskDefinition& definition);

}  // namespace drydock::control

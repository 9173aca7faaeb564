// The instance types a configuration can launch, and the capacity figures
// the capacity and placement rules compare tasks with.
#pragma once

#include <string>
#include <vector>

#include "aws/instance_types.h"
#include "aws/placement_math.h"
#include "config/spec/settings.h"

namespace drydock::validate {

// instance_type followed by spot_instance_types: the known ones, each once,
// in configuration order. Unknown names are reported by the capacity rules.
std::vector<const aws::InstanceType*> ConfiguredInstanceTypes(const config::Settings& settings);

// True when the purchase mix lets the group hold Spot instances: a group
// maximum above the On-Demand base and a percentage above the base below 100
// (whether any Spot types are listed is checked separately).
bool SpotCanBeUsed(const config::Settings& settings);

// The smallest instance per dimension (CPU units, registered memory, awsvpc
// task slots): what ECS's estimator guards with (rulebook section 2) and what
// drydock sizes capacity warnings with. REQUIRES: !types.empty().
struct SmallestInstance {
  aws::InstanceShape shape;
  std::string name;  // "t3.medium", or "the smallest of t3.small/t2.medium"
};
SmallestInstance Smallest(const std::vector<const aws::InstanceType*>& types);

// The cheapest catalog type (On-Demand price) that registers at least
// `cpu_units` and `memory_mib`; nullptr when none does.
const aws::InstanceType* CheapestFitting(int cpu_units, int memory_mib);

}  // namespace drydock::validate

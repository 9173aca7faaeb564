// The EC2 instance types drydock knows: what ECS registers for each and how
// many ENIs it has. Figures and their sources: docs/instance-types.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drydock::aws {

struct InstanceType {
  std::string_view name;        // "t3.medium"
  int vcpus;
  int memory_mib;               // nominal memory
  int registered_memory_mib;    // what the ECS agent registers (nominal less OS/kernel)
  int max_enis;                 // ENIs per instance (awsvpc tasks use max_enis - 1)
  double on_demand_usd_per_hour;  // us-east-1, Linux, see docs/pricing.md
  double spot_usd_per_hour;       // us-east-1 typical Spot price, see docs/pricing.md

  int registered_cpu_units() const { return vcpus * 1024; }
  // Tasks in awsvpc mode need one ENI each; the primary ENI is the instance's.
  int awsvpc_task_slots() const { return max_enis - 1; }
  // "t3" for "t3.medium".
  std::string_view family() const { return name.substr(0, name.find('.')); }
};

// nullptr when the type is unknown.
const InstanceType* FindInstanceType(std::string_view name);

// All known type names, for "did you mean" suggestions.
std::vector<std::string> InstanceTypeNames();

}  // namespace drydock::aws

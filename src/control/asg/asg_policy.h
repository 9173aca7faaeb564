// The Auto Scaling group's launch configuration as the controller reads it:
// the mixed-instances policy (rulebook section 1), the AZs, managed
// termination protection (section 2) and the simulated start-up delays.
// Desired/min/max capacity are state (Snapshot::group), not policy.
#pragma once

#include <string>
#include <vector>

#include "base/time.h"
#include "config/spec/settings.h"

namespace drydock::control {

struct AsgPolicy {
  std::vector<std::string> availability_zones;  // enabled AZs, in launch-tie order
  std::string on_demand_instance_type;          // the first override (`instance_type`)
  std::vector<std::string> spot_instance_types;
  // price-capacity-optimized | lowest-price | capacity-optimized |
  // capacity-optimized-prioritized (rulebook section 1).
  std::string spot_allocation_strategy = "price-capacity-optimized";
  int on_demand_base_capacity = 0;
  int on_demand_percentage_above_base = 100;
  bool managed_termination_protection = false;

  // AWS time from launch to EC2 "running", from "running" to the ECS agent's
  // registration, and from termination to "terminated".
  Duration startup_delay = Seconds(30);
  Duration agent_registration_delay = Seconds(10);
  Duration shutdown_delay = Seconds(30);
};

// "us-east-1" + 2 -> {"us-east-1a", "us-east-1b"}. REQUIRES: 0 < count <= 26.
std::vector<std::string> AvailabilityZoneNames(const std::string& region, int count);

AsgPolicy AsgPolicyFromSettings(const config::Settings& settings);

}  // namespace drydock::control

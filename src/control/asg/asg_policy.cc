#include "control/asg/asg_policy.h"

namespace drydock::control {

std::vector<std::string> AvailabilityZoneNames(const std::string& region, int count) {
  std::vector<std::string> zones;
  for (int i = 0; i < count && i < 26; ++i) zones.push_back(region + static_cast<char>('a' + i));
  return zones;
}

AsgPolicy AsgPolicyFromSettings(const config::Settings& settings) {
  AsgPolicy policy;
  policy.availability_zones =
      AvailabilityZoneNames(settings.region, settings.availability_zone_count);
  policy.on_demand_instance_type = settings.instance_type;
  policy.spot_instance_types = settings.spot_instance_types;
  policy.spot_allocation_strategy = settings.spot_allocation_strategy;
  policy.on_demand_base_capacity = settings.on_demand_base_capacity;
  policy.on_demand_percentage_above_base = settings.on_demand_percentage_above_base;
  policy.managed_termination_protection = settings.managed_termination_protection;
  return policy;
}

}  // namespace drydock::control

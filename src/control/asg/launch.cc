#include "control/asg/launch.h"

#include "aws/asg_mix.h"
#include "aws/instance_types.h"

namespace drydock::control {
namespace {

std::string CheapestSpotType(const AsgPolicy& policy, Random& random) {
  std::vector<std::string> cheapest;
  double best_price = 0;
  for (const std::string& name : policy.spot_instance_types) {
    const aws::InstanceType* type = aws::FindInstanceType(name);
    if (type == nullptr) continue;
    if (cheapest.empty() || type->spot_usd_per_hour < best_price) {
      cheapest = {name};
      best_price = type->spot_usd_per_hour;
    } else if (type->spot_usd_per_hour == best_price) {
      cheapest.push_back(name);
    }
  }
  if (cheapest.empty()) return "";
  if (cheapest.size() == 1) return cheapest.front();
  return cheapest[random.Below(cheapest.size())];
}

std::vector<std::string> KnownSpotTypes(const AsgPolicy& policy) {
  std::vector<std::string> known;
  for (const std::string& name : policy.spot_instance_types) {
    if (aws::FindInstanceType(name) != nullptr) known.push_back(name);
  }
  return known;
}

}  // namespace

std::string LeastPopulatedZone(const std::vector<GroupMember>& members, const AsgPolicy& policy) {
  std::string best;
  int best_count = 0;
  for (const std::string& zone : policy.availability_zones) {
    int count = 0;
    for (const GroupMember& member : members) count += member.availability_zone == zone;
    if (best.empty() || count < best_count) {
      best = zone;
      best_count = count;
    }
  }
  return best;
}

state::Lifecycle NextLifecycle(const std::vector<GroupMember>& members, const AsgPolicy& policy) {
  const int size = static_cast<int>(members.size()) + 1;
  const aws::PurchaseMix mix = aws::MixForGroupSize(size, policy.on_demand_base_capacity,
                                                    policy.on_demand_percentage_above_base);
  const int on_demand = CountLifecycle(members, state::Lifecycle::kOnDemand);
  return on_demand < mix.on_demand ? state::Lifecycle::kOnDemand : state::Lifecycle::kSpot;
}

std::string ChooseSpotType(const AsgPolicy& policy, Random& random) {
  const std::string& strategy = policy.spot_allocation_strategy;
  if (strategy == "capacity-optimized" || strategy == "capacity-optimized-prioritized") {
    const std::vector<std::string> known = KnownSpotTypes(policy);
    if (known.empty()) return "";
    if (strategy == "capacity-optimized-prioritized" || known.size() == 1) return known.front();
    return known[random.Below(known.size())];
  }
  return CheapestSpotType(policy, random);  // price-capacity-optimized, lowest-price
}

LaunchInstance ChooseLaunch(const std::vector<GroupMember>& members, const AsgPolicy& policy,
                            Random& random) {
  LaunchInstance launch;
  launch.availability_zone = LeastPopulatedZone(members, policy);
  launch.lifecycle = NextLifecycle(members, policy);
  if (launch.lifecycle == state::Lifecycle::kSpot) {
    launch.instance_type = ChooseSpotType(policy, random);
  }
  // No known Spot type: the group still launches, On-Demand (validation
  // rejects a Spot share without Spot types, so this is a safety net).
  if (launch.instance_type.empty()) {
    launch.lifecycle = state::Lifecycle::kOnDemand;
    launch.instance_type = policy.on_demand_instance_type;
  }
  launch.protected_from_scale_in = policy.managed_termination_protection;
  return launch;
}

}  // namespace drydock::control

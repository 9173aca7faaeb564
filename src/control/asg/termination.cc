#include "control/asg/termination.h"

#include <algorithm>
#include <map>

#include "aws/asg_mix.h"

namespace drydock::control {
namespace {

using state::Lifecycle;

Lifecycle LifecycleToShrink(const std::vector<GroupMember>& members, const AsgPolicy& policy) {
  const aws::PurchaseMix target =
      aws::MixForGroupSize(static_cast<int>(members.size()) - 1, policy.on_demand_base_capacity,
                           policy.on_demand_percentage_above_base);
  return CountLifecycle(members, Lifecycle::kOnDemand) > target.on_demand ? Lifecycle::kOnDemand
                                                                          : Lifecycle::kSpot;
}

std::vector<const GroupMember*> Unprotected(const std::vector<GroupMember>& members,
                                            Lifecycle lifecycle) {
  std::vector<const GroupMember*> out;
  for (const GroupMember& member : members) {
    if (!member.protected_from_scale_in && member.lifecycle == lifecycle) out.push_back(&member);
  }
  return out;
}

// Step 2: the AZ with the most instances of `lifecycle` among those that have
// a candidate.
std::string ZoneToShrink(const std::vector<GroupMember>& members, Lifecycle lifecycle,
                         const std::vector<const GroupMember*>& candidates, Random& random) {
  std::map<std::string, std::pair<int, int>> counts;  // zone -> (of lifecycle, overall)
  for (const GroupMember* candidate : candidates) counts[candidate->availability_zone];
  for (const GroupMember& member : members) {
    auto it = counts.find(member.availability_zone);
    if (it == counts.end()) continue;
    it->second.first += member.lifecycle == lifecycle;
    it->second.second += 1;
  }
  std::vector<std::string> best;
  std::pair<int, int> best_count{-1, -1};
  for (const auto& [zone, count] : counts) {
    if (count > best_count) {
      best = {zone};
      best_count = count;
    } else if (count == best_count) {
      best.push_back(zone);
    }
  }
  return best.size() == 1 ? best.front() : best[random.Below(best.size())];
}

bool Misaligned(const GroupMember& member, const AsgPolicy& policy) {
  if (member.lifecycle == Lifecycle::kOnDemand) {
    return member.instance_type != policy.on_demand_instance_type;
  }
  const auto& types = policy.spot_instance_types;
  return std::find(types.begin(), types.end(), member.instance_type) == types.end();
}

}  // namespace

std::string ChooseInstanceToTerminate(const std::vector<GroupMember>& members,
                                      const AsgPolicy& policy, Random& random) {
  if (members.empty()) return "";
  Lifecycle lifecycle = LifecycleToShrink(members, policy);
  std::vector<const GroupMember*> candidates = Unprotected(members, lifecycle);
  if (candidates.empty()) {
    // Simplification: when every instance of the option that should shrink is
    // protected, shrink the other option rather than stall (docs/control.md).
    lifecycle = lifecycle == Lifecycle::kOnDemand ? Lifecycle::kSpot : Lifecycle::kOnDemand;
    candidates = Unprotected(members, lifecycle);
  }
  if (candidates.empty()) return "";
  const std::string zone = ZoneToShrink(members, lifecycle, candidates, random);
  std::erase_if(candidates, [&](const GroupMember* m) { return m->availability_zone != zone; });
  // Steps 3 and 4: misaligned first, then oldest; candidates are in id order.
  auto rank = [&](const GroupMember* m) {
    return std::make_pair(!Misaligned(*m, policy), m->launch_time);
  };
  const auto best = rank(*std::min_element(candidates.begin(), candidates.end(),
                                           [&](auto* a, auto* b) { return rank(a) < rank(b); }));
  std::erase_if(candidates, [&](const GroupMember* m) { return rank(m) != best; });
  const size_t pick = candidates.size() == 1 ? 0 : random.Below(candidates.size());
  return candidates[pick]->instance_id;
}

}  // namespace drydock::control

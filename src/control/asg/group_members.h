// The instances that make up an Auto Scaling group's capacity, as the launch
// and termination stages see them.
#pragma once

#include <string>
#include <vector>

#include "base/time.h"
#include "state/model.h"

namespace drydock::control {

struct GroupMember {
  std::string instance_id;
  std::string instance_type;
  std::string availability_zone;
  state::Lifecycle lifecycle = state::Lifecycle::kOnDemand;
  TimePoint launch_time{};
  bool protected_from_scale_in = false;
};

// Instances that count toward the group's capacity: pending or running
// (shutting-down and terminated ones have left it). In instance-id order.
std::vector<GroupMember> InServiceMembers(const state::Snapshot& snapshot);

int CountLifecycle(const std::vector<GroupMember>& members, state::Lifecycle lifecycle);

}  // namespace drydock::control

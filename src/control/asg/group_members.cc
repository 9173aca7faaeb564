#include "control/asg/group_members.h"

#include <algorithm>

namespace drydock::control {

std::vector<GroupMember> InServiceMembers(const state::Snapshot& snapshot) {
  std::vector<GroupMember> members;
  for (const state::Instance& instance : snapshot.instances) {
    if (instance.state != state::InstanceState::kPending &&
        instance.state != state::InstanceState::kRunning) {
      continue;
    }
    members.push_back(GroupMember{instance.instance_id, instance.instance_type,
                                  instance.availability_zone, instance.lifecycle,
                                  instance.launch_time, instance.protected_from_scale_in});
  }
  std::sort(members.begin(), members.end(), [](const GroupMember& a, const GroupMember& b) {
    return a.instance_id < b.instance_id;
  });
  return members;
}

int CountLifecycle(const std::vector<GroupMember>& members, state::Lifecycle lifecycle) {
  return static_cast<int>(std::count_if(members.begin(), members.end(), [&](const GroupMember& m) {
    return m.lifecycle == lifecycle;
  }));
}

}  // namespace drydock::control

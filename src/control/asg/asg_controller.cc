#include "control/asg/asg_controller.h"

#include <algorithm>
#include <set>

#include "control/asg/group_members.h"
#include "control/asg/instance_lifecycle.h"
#include "control/asg/launch.h"
#include "control/asg/protection.h"
#include "control/asg/termination.h"
#include "control/events.h"
#include "control/ids.h"

namespace drydock::control {
namespace {

// Termination sees protection as it will be once `protection` is applied, so
// an instance that just received a task is not terminated in the same round.
void ApplyProtection(const Plan& protection, std::vector<GroupMember>* members) {
  for (const Action& action : protection.actions) {
    const auto& change = std::get<SetScaleInProtection>(action);
    for (GroupMember& member : *members) {
      if (member.instance_id == change.instance_id) {
        member.protected_from_scale_in = change.protected_from_scale_in;
      }
    }
  }
}

void ScaleOut(const state::Snapshot& snapshot, TimePoint now, const AsgPolicy& policy,
              Random& random, std::vector<GroupMember>* members, Plan* plan) {
  std::set<std::string> taken;
  for (const state::Instance& instance : snapshot.instances) taken.insert(instance.instance_id);
  while (static_cast<int>(members->size()) < snapshot.group.desired_capacity) {
    LaunchInstance launch = ChooseLaunch(*members, policy, random);
    launch.instance_id = NewInstanceId(random, &taken);
    members->push_back(GroupMember{launch.instance_id, launch.instance_type,
                                   launch.availability_zone, launch.lifecycle, now,
                                   launch.protected_from_scale_in});
    const std::string id = launch.instance_id;
    plan->Add(std::move(launch));
    plan->Add(EmitEvent{"", LaunchingInstanceEvent(id)});
  }
}

void ScaleIn(const state::Snapshot& snapshot, const AsgPolicy& policy, Random& random,
             std::vector<GroupMember>* members, Plan* plan) {
  while (static_cast<int>(members->size()) > snapshot.group.desired_capacity) {
    const std::string victim = ChooseInstanceToTerminate(*members, policy, random);
    if (victim.empty()) return;  // all protected: wait until protection is cleared
    const int size = static_cast<int>(members->size());
    plan->Add(TerminateInstance{victim, ShrinkingCapacityCause(size, size - 1)});
    plan->Add(EmitEvent{"", TerminatingInstanceEvent(victim)});
    std::erase_if(*members, [&](const GroupMember& m) { return m.instance_id == victim; });
  }
}

}  // namespace

Plan ReconcileAutoScalingGroup(const state::Snapshot& snapshot, TimePoint now,
                               const AsgPolicy& policy, Random& random) {
  Plan plan = AdvanceInstanceLifecycles(snapshot, now, policy, random);
  std::vector<GroupMember> members = InServiceMembers(snapshot);
  if (policy.managed_termination_protection) {
    const Plan protection = ManageTerminationProtection(snapshot);
    ApplyProtection(protection, &members);
    plan.Append(protection);
  }
  if (policy.availability_zones.empty()) return plan;
  ScaleOut(snapshot, now, policy, random, &members, &plan);
  ScaleIn(snapshot, policy, random, &members, &plan);
  return plan;
}

}  // namespace drydock::control

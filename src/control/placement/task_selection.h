// The scale-in mirror of placement (rulebook section 3, "Strategies"): which
// tasks a service stops when it has too many.
//   - tasks not yet placed (PROVISIONING without an instance) go first: they
//     hold nothing and serve nothing (drydock's choice, docs/control.md);
//   - then strategies in order, each mirrored: spread(field) stops from the
//     value (AZ, instance) with the most tasks of the service - the service
//     default is "AZ with most tasks, then instance with most" -; binpack
//     stops the task whose removal leaves the most remaining resource;
//     random is a draw;
//   - a seeded tie-break.
// Counts are recomputed after every choice, so stopping N keeps AZs balanced.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/random.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

struct StopCandidate {
  std::string task_id;
  std::string instance_id;                        // "" when not placed
  std::map<std::string, std::string> attributes;  // of its instance (InstanceAttributes)
  TaskNeeds needs;
  state::Resources instance_remaining;  // what its instance has left, for binpack
};

// Builds the candidates for `tasks` (all of one service) from the snapshot.
std::vector<StopCandidate> StopCandidates(const state::Snapshot& snapshot,
                                          const std::vector<const state::Task*>& tasks);

// Up to `count` task ids to stop, in the order chosen.
std::vector<std::string> ChooseTasksToStop(std::vector<StopCandidate> candidates, int count,
                                           const PlacementPolicy& policy, Random& random);

}  // namespace drydock::control

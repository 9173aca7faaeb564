// Placement stage 3 (rulebook section 3, "Strategies"): order the feasible
// instances. Each strategy gives every candidate one key, lower is better;
// strategies compare lexicographically in list order (best effort: they
// never exclude an instance).
//   spread(field):   tasks of this service already on instances with the
//                    candidate's value of `field` (AZ, instance, ...).
//   binpack(cpu|memory): what the candidate has left of that resource after
//                    the task (least remaining that fits first).
//   random:          a draw from the Random stream.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

using RankKey = std::vector<int64_t>;

RankKey PlacementRank(const ClusterView& view, const InstanceView& candidate,
                      const std::vector<PlacementStrategy>& strategies, const std::string& service,
                      const TaskNeeds& needs, Random& random);

}  // namespace drydock::control

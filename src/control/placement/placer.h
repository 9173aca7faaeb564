// ECS task placement (rulebook section 3), assembled from its stages:
//
//   instances (ACTIVE, running)
//     -> feasibility.cc   CPU, memory, host ports, ENIs
//     -> constraints.cc   distinctInstance, memberOf
//     -> strategies.cc    lexicographic keys (default: AZ spread, instance spread)
//     -> seeded tie-break among the best
//
// When nothing fits, the failure names the "closest" instance: the one that
// failed the fewest checks (ties: lowest instance id), and its first failure
// in filter order gives the ECS event's wording.
#pragma once

#include <string>

#include "base/random.h"
#include "control/events.h"
#include "control/placement/cluster_view.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

struct PlacementRequest {
  std::string service;
  TaskNeeds needs;
  const PlacementPolicy* policy = nullptr;  // REQUIRES: non-null
};

struct PlacementResult {
  bool placed = false;
  std::string instance_id;                                             // when placed
  std::string availability_zone;                                       // when placed
  PlacementFailure failure = PlacementFailure::kNoContainerInstances;  // when not placed
  std::string closest_container_instance_id;                           // when not placed
  std::string event;  // when not placed: the full ECS "unable to place" message
};

// Places one task and, on success, reserves it in `view` so that the next
// placement of the same plan sees it. Draws from `random` only to break ties
// and for the random strategy.
PlacementResult ChooseInstanceForTask(ClusterView& view, const PlacementRequest& request,
                                      Random& random);

}  // namespace drydock::control

#include "control/placement/placer.h"

#include <cstdint>

#include "control/placement/constraints.h"
#include "control/placement/feasibility.h"
#include "control/placement/strategies.h"

namespace drydock::control {
namespace {

struct Screened {
  std::vector<const InstanceView*> feasible;
  const InstanceView* closest = nullptr;
  PlacementFailure closest_failure = PlacementFailure::kNoContainerInstances;
};

// Stages 1 and 2 over every instance, remembering the closest miss.
Screened Screen(const ClusterView& view, const PlacementRequest& request) {
  Screened out;
  size_t fewest = SIZE_MAX;
  for (const InstanceView& instance : view.instances()) {
    const std::vector<PlacementFailure> resources = ResourceFailures(instance, request.needs);
    const int constraints =
        ConstraintFailures(instance, request.policy->constraints, request.service);
    const size_t failed = resources.size() + static_cast<size_t>(constraints);
    if (failed == 0) {
      out.feasible.push_back(&instance);
    } else if (failed < fewest) {
      fewest = failed;
      out.closest = &instance;
      out.closest_failure = resources.empty() ? PlacementFailure::kConstraints : resources[0];
    }
  }
  return out;
}

PlacementResult Failure(const std::string& service, const Screened& screened) {
  PlacementResult result;
  if (screened.closest != nullptr) {
    result.failure = screened.closest_failure;
    result.closest_container_instance_id = screened.closest->container_instance_id;
  }
  result.event = UnableToPlaceEvent(service, result.failure, result.closest_container_instance_id);
  return result;
}

}  // namespace

PlacementResult ChooseInstanceForTask(ClusterView& view, const PlacementRequest& request,
                                      Random& random) {
  const Screened screened = Screen(view, request);
  if (screened.feasible.empty()) return Failure(request.service, screened);

  std::vector<const InstanceView*> best;
  RankKey best_key;
  for (const InstanceView* candidate : screened.feasible) {
    RankKey key = PlacementRank(view, *candidate, request.policy->strategies, request.service,
                                request.needs, random);
    if (best.empty() || key < best_key) {
      best = {candidate};
      best_key = std::move(key);
    } else if (key == best_key) {
      best.push_back(candidate);
    }
  }
  const InstanceView* chosen = best.size() == 1 ? best[0] : best[random.Below(best.size())];
  PlacementResult result;
  result.placed = true;
  result.instance_id = chosen->instance_id;
  result.availability_zone = chosen->availability_zone;
  view.Reserve(result.instance_id, request.service, request.needs);  // invalidates `chosen`
  return result;
}

}  // namespace drydock::control

// How many tasks a service starts and which it stops this round: the rolling
// update of rulebook section 4 ("Bounds", "Order"). Steady state is the case
// with nothing to retire.
//
//   ceiling = floor(desired x maximumPercent / 100)  on tasks RUNNING + PENDING
//   floor   = ceil(desired x minimumHealthyPercent / 100)  on healthy tasks
//
//   start       = min(desired - primary, ceiling - live), at least 0, when the
//                 PRIMARY deployment may start tasks;
//   stop_excess = primary - desired, at least 0 (a scale-in is immediate);
//   retire      = tasks of older deployments and tasks on DRAINING instances:
//                 every one that is not healthy, then healthy ones (those on
//                 DRAINING instances first, then the oldest) while the healthy
//                 count stays >= floor.
//
// "Healthy" is the caller's: RUNNING and, with a load balancer, its target
// healthy. Pure counting; the scheduler picks the excess tasks (scale-in
// mirror) and carries the decision out.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "control/scheduler/scheduler_policy.h"
#include "state/model.h"

namespace drydock::control {

struct RolloutTasks {
  // Every list holds tasks with desiredStatus RUNNING, ordered by creation.
  std::vector<const state::Task*> primary;   // the PRIMARY's, on ACTIVE instances or unplaced
  std::vector<const state::Task*> draining;  // any deployment's, on DRAINING instances
  std::vector<const state::Task*> old;       // older deployments', on ACTIVE instances or unplaced
  std::set<std::string> healthy;             // ids of the tasks above that count as healthy
  int stopping = 0;                          // tasks on their way to STOPPED

  int Live() const { return static_cast<int>(primary.size() + draining.size() + old.size()); }
};

struct RolloutDecision {
  int start = 0;
  int stop_excess = 0;
  std::vector<const state::Task*> retire;  // in the order to stop them
  // Tasks wait to be retired, nothing is in flight, and the bounds let
  // nothing start or stop: ECS's "unable to stop or start tasks" stall.
  bool stalled = false;
};

// `may_start`: the PRIMARY deployment may start tasks (there is one and it
// has not failed). `retire_old`: tasks of older deployments may be stopped
// (not after a failed deployment); tasks on DRAINING instances always may.
RolloutDecision DecideRollout(const RolloutTasks& tasks, int desired, bool may_start,
                              bool retire_old, const ServicePolicy& policy);

}  // namespace drydock::control

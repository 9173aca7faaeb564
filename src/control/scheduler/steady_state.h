// How many tasks a service starts and stops this round when no deployment is
// in progress (rulebook section 4, "Bounds"). The deployments issue will add
// a decision per deployment (PRIMARY / ACTIVE revisions) beside this one;
// everything after the decision (placement, stops, events) is shared.
#pragma once

#include "control/scheduler/scheduler_policy.h"
#include "control/scheduler/service_tasks.h"

namespace drydock::control {

struct SteadyStateDecision {
  int start = 0;          // new tasks to create (placed or PROVISIONING)
  int stop_excess = 0;    // counted tasks above desired (scale-in mirror picks)
  int stop_draining = 0;  // tasks on DRAINING instances to stop now (oldest first)
  bool stalled = false;   // draining tasks can be neither replaced nor stopped
};

// counted = tasks on ACTIVE instances + unplaced ones; desired as given (0
// for a service that is not ACTIVE).
//   start         = min(desired - counted, ceiling - live), at least 0, where
//                   ceiling = floor(desired x maximumPercent / 100) and live
//                   includes tasks on DRAINING instances: replacements start
//                   first when maximumPercent allows;
//   stop_excess   = counted - desired, at least 0 (a scale-in is immediate);
//   stop_draining = draining tasks not RUNNING, plus RUNNING ones while the
//                   RUNNING count stays >= ceil(desired x minimumHealthy / 100).
SteadyStateDecision DecideSteadyState(const ServiceTasks& tasks, int desired,
                                      const ServicePolicy& policy);

}  // namespace drydock::control

// The ECS service scheduler for REPLICA services in steady state (rulebook
// section 4; deployments come later, see steady_state.h for the seam).
//
//   per service, in name order:
//     classify tasks (exited, orphaned, unplaced, active, draining)
//     -> record ended tasks (StopTask: EssentialContainerExited / host gone)
//     -> DecideSteadyState: start / stop-excess / stop-draining counts
//     -> stops: scale-in mirror (placement/task_selection.h)
//     -> placements: waiting PROVISIONING tasks first, then new tasks
//        (placement/placer.h); unplaceable new tasks wait in PROVISIONING
//     -> events, deduplicated (event_emitter.h)
//
// One ClusterView serves the whole round, so a service placed later in the
// round sees the tasks placed for the services before it.
#pragma once

#include "base/random.h"
#include "base/time.h"
#include "control/actions.h"
#include "control/lifecycle/task_lifecycle.h"
#include "control/scheduler/scheduler_policy.h"
#include "state/model.h"

namespace drydock::control {

// Pure: reads `snapshot`, draws task ids and tie-breaks from `random`
// (pass Random::Stream("scheduler")). `now` is part of the contract for the
// PROVISIONING timeout and the start throttle (later issues).
// `targets` is what the load balancer last reported (disabled: no load
// balancer, a RUNNING task is healthy).
Plan ReconcileServices(const state::Snapshot& snapshot, TimePoint now,
                       const SchedulerPolicy& policy, Random& random,
                       const TargetView& targets = {});

}  // namespace drydock::control

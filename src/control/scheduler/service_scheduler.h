// The ECS service scheduler for REPLICA services, with rolling deployments
// and the deployment circuit breaker (rulebook section 4):
//
//   per service, in name order:
//     the PRIMARY deployment (created when the service points at a revision
//       it does not run)
//     -> classify tasks (exited, orphaned, unplaced, active, draining)
//     -> record ended tasks (StopTask: EssentialContainerExited / host gone)
//     -> health from the load balancer (HEALTHY; unhealthy tasks stopped)
//     -> circuit breaker (FAILED, and a rollback deployment)
//     -> DecideRollout: start / stop-excess / retire (rollout.h)
//     -> stops: scale-in mirror (placement/task_selection.h), retirements
//     -> placements: waiting PROVISIONING tasks first, then new tasks of the
//        PRIMARY (placement/placer.h); unplaceable ones wait in PROVISIONING
//     -> deployments settle (COMPLETED, INACTIVE); events, deduplicated
//
// One ClusterView serves the whole round, so a service placed later in the
// round sees the tasks placed for the services before it. docs/control.md
// has the rules.
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

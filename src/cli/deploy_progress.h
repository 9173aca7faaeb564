// What `drydock deploy` and `drydock rollback` show while they wait: one
// progress line per change of a deployment's counts, and the verdict that
// ends the wait. Pure: a Snapshot (as the state directory records it) in.
#pragma once

#include <string>

#include "state/model.h"

namespace drydock::cli {

// Counts of one deployment's rollout.
struct DeploymentProgress {
  // Tasks the deployment started (Task::started_by): desired RUNNING, and of
  // those RUNNING with healthStatus HEALTHY.
  int started = 0;
  int healthy = 0;
  // The service's other tasks (older deployments): still running, being
  // stopped (DEACTIVATING, STOPPING, or told to stop), and stopped since the
  // deployment was created.
  int old_running = 0;
  int old_draining = 0;
  int old_stopped = 0;
  // The circuit breaker's count (failedTasks) and the count that trips it
  // (aws::CircuitBreakerThreshold of the service's desired count).
  int failed = 0;
  int threshold = 0;
};
DeploymentProgress CountProgress(const state::Snapshot& snapshot,
                                 const state::Deployment& deployment);

// "ecs-svc/123 api:4 IN_PROGRESS  new: 2 started, 1 healthy | old: 1 draining,
// 1 stopped | failed 0/3" (old counts that are 0 are left out; "old: none").
std::string ProgressLine(const state::Snapshot& snapshot, const state::Deployment& deployment);

enum class WaitOutcome {
  kWaiting,     // IN_PROGRESS and PRIMARY, or not recorded yet
  kCompleted,   // rolloutState COMPLETED
  kFailed,      // rolloutState FAILED (rolled back or not)
  kSuperseded,  // no longer PRIMARY before it finished: a newer deployment took over
};

struct WaitVerdict {
  WaitOutcome outcome = WaitOutcome::kWaiting;
  // For the user, without a trailing newline: "deployment ecs-svc/1 completed:
  // service api runs api:4", "deployment ecs-svc/1 failed; rolled back to api:3
  // (deployment ecs-svc/2): <reason>", ... ("" while waiting).
  std::string message;
  // kFailed with a circuit-breaker rollback: the deployment that rolls back.
  const state::Deployment* rollback = nullptr;
  // kSuperseded: the service's PRIMARY deployment now.
  const state::Deployment* successor = nullptr;
};
// The verdict on deployment `id` in `snapshot` (pointers into it).
WaitVerdict JudgeDeployment(const state::Snapshot& snapshot, const std::string& id);

}  // namespace drydock::cli

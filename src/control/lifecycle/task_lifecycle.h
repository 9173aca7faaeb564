// The task lifecycle controller: which step each task takes next on its way
// through ECS's states (rulebook section 4, "Task lifecycle"):
//
//   start:  PROVISIONING -> PENDING -> (process launched) ACTIVATING -> RUNNING
//   stop:   ACTIVATING/RUNNING -> DEACTIVATING -> (SIGTERM) STOPPING
//           -> (exit; SIGKILL after the stop timeout) [DEPROVISIONING] -> STOPPED
//
// PROVISIONING and DEPROVISIONING last `eni_attach` / `eni_detach` for awsvpc
// tasks (the task ENI) and nothing otherwise. ACTIVATING and DEACTIVATING are
// where the load balancer registers and drains the task's target: a task
// leaves ACTIVATING once its target is registered, and DEACTIVATING once its
// target has drained (TargetView). Without a load balancer they pass in one
// round.
//
// Pure: the live task agent (live/task_agent.h) executes the steps with the
// real or simulated process launcher and records the process's facts (pid,
// exit code) itself.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/time.h"
#include "state/model.h"

namespace drydock::control {

struct LifecycleTiming {
  Duration eni_attach = Seconds(2);
  Duration eni_detach = Seconds(1);
};

struct TaskStep {
  enum class Kind {
    kSetStatus,  // move lastStatus to `status`
    kLaunch,     // start the task's process; ACTIVATING on success
    kTerminate,  // SIGTERM; lastStatus STOPPING, stoppingAt = now
    kKill,       // the stop timeout passed: SIGKILL
  };
  Kind kind = Kind::kSetStatus;
  std::string task_id;
  state::TaskStatus status = state::TaskStatus::kStopped;  // for kSetStatus

  friend bool operator==(const TaskStep&, const TaskStep&) = default;
};

// What the load balancer reports about the tasks' targets.
struct TargetView {
  bool enabled = false;  // false: no load balancer; ACTIVATING/DEACTIVATING pass at once
  // False until the load balancer has reported once (a control plane that
  // just started): the scheduler then trusts the tasks' recorded healthStatus.
  bool reported = false;
  std::set<std::string> registered;  // task ids whose target is registered (not draining)
  std::set<std::string> known;       // task ids whose target is registered or draining
  std::set<std::string> healthy;     // task ids whose target is healthy (steady state)
  // Task ids whose target failed its health checks: the target, for ECS's
  // "is unhealthy" event and stop reason.
  struct Unhealthy {
    int port = 0;
    std::string target_group_arn;
    std::string reason;  // "Health checks failed with these codes: [500]"
  };
  std::map<std::string, Unhealthy> unhealthy;
  // Per service: the longest a task waits in DEACTIVATING for its target to
  // drain (the deregistration delay plus a margin), so that a load balancer
  // that stopped answering cannot keep tasks from stopping.
  std::map<std::string, Duration> drain_bound;
  Duration default_drain_bound = Seconds(3600 + 60);  // services without an entry
};

// The next step of every task that has one, in snapshot order.
// `status_since` maps a task id to when it entered its lastStatus (absent:
// now, so a delay starts counting). A task in STOPPING gets kKill on every
// round once its stop timeout has passed; the agent sends SIGKILL once.
std::vector<TaskStep> PlanTaskSteps(const state::Snapshot& snapshot, TimePoint now,
                                    const std::map<std::string, TimePoint>& status_since,
                                    const LifecycleTiming& timing,
                                    const TargetView& targets = {});

// Moves a task to `status` at `now`, with ECS's timestamps: startedAt on
// RUNNING, stoppingAt on STOPPING, stoppedAt on STOPPED (each set once).
void SetTaskStatus(state::Task& task, state::TaskStatus status, TimePoint now);

// "STOPPED (exit 1)"-style one-line description of a step, for logs.
std::string Describe(const TaskStep& step);

}  // namespace drydock::control

// An in-memory, deterministic applier of plans: the Snapshot plus a virtual
// clock, with ECS's task lifecycle played without processes. Tests and the
// simulator run controllers against it ("reconcile until stable"); live mode
// applies the same plans through the store and the real runtime instead.
//
// Task lifecycle (rulebook section 4, "Task lifecycle"), on virtual time:
//   placed:   PROVISIONING --provisioning--> PENDING --pending--> RUNNING
//   stopped:  STOPPING --stopping--> STOPPED (PROVISIONING tasks stop at once)
// ACTIVATING / DEACTIVATING / DEPROVISIONING are skipped: no load balancer
// yet and no real ENIs.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "config/spec/settings.h"
#include "control/actions.h"
#include "control/cluster_from_settings.h"
#include "state/model.h"

namespace drydock::control {

struct SimTiming {
  Duration provisioning = Seconds(1);  // ENI attachment / pre-launch work
  Duration pending = Seconds(2);       // image pull, secrets
  Duration stopping = Seconds(2);      // SIGTERM until the process is gone
};

// 2026-01-01T00:00:00Z, the harness's default epoch.
TimePoint SimEpoch();


class SimCluster {
 public:
  explicit SimCluster(state::Snapshot initial, TimePoint start = SimEpoch(), SimTiming timing = {});

  const state::Snapshot& snapshot() const { return snapshot_; }
  TimePoint now() const { return now_; }

  // Applies every action in order at now(). An action naming an unknown id,
  // or launching an existing one, is a controller bug: kInternal, and the
  // actions before it stay applied.
  Status Apply(const Plan& plan);

  // Moves the clock and every task whose lifecycle delay has elapsed.
  void Advance(Duration step);

  // Nothing changes without a controller acting: instances are running and
  // registered (or terminated), tasks RUNNING, STOPPED or waiting unplaced.
  bool Quiescent() const;

  // Faults and operator actions.
  Status ExitTask(const std::string& task_id, int exit_code);  // the process ended
  Status SetContainerInstanceStatus(const std::string& instance_id,
                                    state::ContainerInstanceStatus status);
  void SetDesiredCapacity(int desired_capacity);
  Status SetDesiredCount(const std::string& service, int desired_count);

  // One line per event: "<time> <service or -> <message>".
  std::string EventLog() const;

 private:
  void AdvanceTask(state::Task& task);
  int DynamicHostPort(const std::string& instance_id) const;

  state::Snapshot snapshot_;
  TimePoint now_;
  SimTiming timing_;
  int64_t next_event_id_ = 1;
  std::map<std::string, TimePoint> status_since_;  // task id -> entered lastStatus
};

}  // namespace drydock::control

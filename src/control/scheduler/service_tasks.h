// The tasks of one service, sorted into what the scheduler does with them.
#pragma once

#include <string>
#include <vector>

#include "state/model.h"

namespace drydock::control {

struct ServiceTasks {
  // desiredStatus RUNNING but lastStatus STOPPED: the runtime saw the process
  // end. The scheduler records the stop and replaces the task.
  std::vector<const state::Task*> exited;
  // Placed on an instance that is gone, shutting down or deregistered.
  std::vector<const state::Task*> orphaned;
  // PROVISIONING without an instance: waiting for capacity.
  std::vector<const state::Task*> unplaced;
  // Placed on an ACTIVE container instance.
  std::vector<const state::Task*> active;
  // Placed on a DRAINING container instance: to be replaced, then stopped.
  std::vector<const state::Task*> draining;
  // desiredStatus STOPPED, lastStatus not yet STOPPED.
  int stopping = 0;

  int Counted() const { return static_cast<int>(active.size() + unplaced.size()); }
  int Live() const { return Counted() + static_cast<int>(draining.size()); }
};

// Tasks of `service` with desiredStatus RUNNING, each list ordered by
// (created_at, task_id). Tasks already being stopped are only counted.
ServiceTasks ClassifyTasks(const state::Snapshot& snapshot, const std::string& service);

int CountRunning(const std::vector<const state::Task*>& tasks);

}  // namespace drydock::control

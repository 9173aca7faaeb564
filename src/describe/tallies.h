// Counts shared by the JSON and text descriptions, with ECS's definitions.
#pragma once

#include <string>

#include "state/model.h"

namespace drydock::describe {

// ECS's pendingCount: on its way to RUNNING (PROVISIONING, PENDING or
// ACTIVATING) and still meant to run.
bool IsPending(const state::Task& task);

struct TaskCounts {
  int running = 0;  // lastStatus RUNNING
  int pending = 0;  // IsPending
};

// Counts the tasks of `service`, of `instance_id`, or (both empty) of the
// cluster.
TaskCounts CountTasks(const state::Snapshot& snapshot, const std::string& service,
                      const std::string& instance_id);

// What the tasks on `instance_id` that are not STOPPED reserve: the sum of
// their task definitions' cpu and memory (ENIs are not counted).
state::Resources ReservedResources(const state::Snapshot& snapshot, const std::string& instance_id);

}  // namespace drydock::describe

// Counts shared by the JSON and text descriptions, with ECS's definitions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

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

// A deployment's counts as DescribeServices reports them in deployments[],
// over the tasks it started (Task::started_by == Deployment::id).
struct DeploymentCounts {
  // PRIMARY: the service's desiredCount; otherwise its tasks with
  // desiredStatus RUNNING (what it still runs until the PRIMARY replaces it).
  int desired = 0;
  int pending = 0;  // IsPending
  int running = 0;  // lastStatus RUNNING and desiredStatus RUNNING
};
DeploymentCounts CountDeploymentTasks(const state::Snapshot& snapshot,
                                      const state::Deployment& deployment);

// The deployments DescribeServices lists for `service`: PRIMARY and ACTIVE
// (not INACTIVE), newest first.
std::vector<const state::Deployment*> ListedDeployments(const state::Snapshot& snapshot,
                                                        const std::string& service);

// The newest `limit` INACTIVE deployments of `service` (its history), newest
// first.
std::vector<const state::Deployment*> InactiveDeployments(const state::Snapshot& snapshot,
                                                          const std::string& service,
                                                          size_t limit);

}  // namespace drydock::describe

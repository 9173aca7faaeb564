// ECS UpdateService for drydock's deployments (rulebook section 4): a new
// task-definition revision from changed container settings, a rollback to an
// earlier revision, or a forced new deployment of the same one. Pure: the
// plan registers the revision and creates the deployment; the service
// scheduler then rolls it out (scheduler/rollout.h) and the circuit breaker
// watches it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/status.h"
#include "base/time.h"
#include "control/actions.h"
#include "state/model.h"

namespace drydock::control {

struct UpdateServiceRequest {
  std::string service;
  // Container changes; unset fields keep the current revision's values.
  std::optional<std::vector<std::string>> command;
  std::map<std::string, std::string> environment;  // set (added or replaced)
  std::optional<int> cpu_units;
  std::optional<int> memory_mib;
  std::optional<std::string> image;
  // A registered revision of the service's family to deploy ("api:3");
  // exclusive with the container changes.
  std::optional<std::string> task_definition;
  // Deploy even when the revision does not change (--force-new-deployment).
  bool force_new_deployment = false;
};

struct UpdateServiceResult {
  Plan plan;                    // RegisterTaskDefinition?, CreateDeployment
  std::string deployment_id;    // the new PRIMARY deployment
  std::string task_definition;  // "family:revision" it deploys
};

// kNotFound: no such service; kFailedPrecondition: the service is not ACTIVE;
// kInvalidArgument: a bad value, or nothing would change without
// force_new_deployment. The message says what to do.
Result<UpdateServiceResult> UpdateService(const state::Snapshot& snapshot,
                                          const UpdateServiceRequest& request, Random& random);

// `drydock rollback`: the revision of the newest COMPLETED deployment whose
// revision differs from the PRIMARY's. kFailedPrecondition when there is none.
Result<std::string> RollbackRevision(const state::Snapshot& snapshot, const std::string& service);

}  // namespace drydock::control

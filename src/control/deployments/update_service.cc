#include "control/deployments/update_service.h"

#include <set>

#include "aws/ecs_rules.h"
#include "control/ids.h"
#include "state/store.h"

namespace drydock::control {
namespace {

bool ChangesContainer(const UpdateServiceRequest& request) {
  return request.command || !request.environment.empty() || request.cpu_units ||
         request.memory_mib || request.image;
}

Status CheckDefinition(const state::TaskDefinition& definition) {
  if (definition.cpu_units < aws::kMinTaskCpuUnits) {
    return InvalidArgument("cpu must be at least " + std::to_string(aws::kMinTaskCpuUnits) +
                           " CPU units (got " + std::to_string(definition.cpu_units) + ")");
  }
  if (definition.memory_mib < aws::kMinTaskMemoryMib) {
    return InvalidArgument("memory must be at least " + std::to_string(aws::kMinTaskMemoryMib) +
                           " MiB (got " + std::to_string(definition.memory_mib) + ")");
  }
  for (const auto& [key, value] : definition.container.environment) {
    if (key.empty() || key.find('=') != std::string::npos) {
      return InvalidArgument("environment variable name \"" + key + "\" is not valid");
    }
  }
  return Status::Ok();
}

// The revision the request asks for: a registered one, or the current one
// with the changes, registered as the next revision when the changes change
// anything.
Result<state::TaskDefinition> WantedDefinition(const state::Snapshot& snapshot,
                                               const state::Service& service,
                                               const UpdateServiceRequest& request,
                                               bool* register_new) {
  *register_new = false;
  if (request.task_definition) {
    if (ChangesContainer(request)) {
      return InvalidArgument("give either a task definition revision or container changes, not both");
    }
    const state::TaskDefinition* named = snapshot.FindTaskDefinition(*request.task_definition);
    if (named == nullptr || named->family != service.name) {
      return NotFound("task definition " + *request.task_definition + " is not a registered " +
                      "revision of " + service.name);
    }
    return *named;
  }
  const state::TaskDefinition* current = snapshot.FindTaskDefinition(service.task_definition);
  if (current == nullptr) return Internal("service " + service.name + " has no task definition");
  state::TaskDefinition next = *current;
  if (request.command) {
    if (request.command->empty() || (*request.command)[0].empty()) {
      return InvalidArgument("command must name a program");
    }
    next.container.command = *request.command;
  }
  for (const auto& [key, value] : request.environment) next.container.environment[key] = value;
  if (request.cpu_units) next.cpu_units = *request.cpu_units;
  if (request.memory_mib) next.memory_mib = *request.memory_mib;
  if (request.image) next.container.image = *request.image;
  DRYDOCK_RETURN_IF_ERROR(CheckDefinition(next));
  if (next == *current) return next;
  next.revision = state::NextTaskDefinitionRevision(snapshot, next.family);
  *register_new = true;
  return next;
}

}  // namespace

Result<UpdateServiceResult> UpdateService(const state::Snapshot& snapshot,
                                          const UpdateServiceRequest& request, Random& random) {
  const state::Service* service = snapshot.FindService(request.service);
  if (service == nullptr) return NotFound("no service \"" + request.service + "\" in this cluster");
  if (service->status != state::ServiceStatus::kActive) {
    return Status(StatusCode::kFailedPrecondition,
                  "service " + service->name + " is " + state::ServiceStatusName(service->status) +
                      ": it is no longer in the configuration");
  }
  bool register_new = false;
  Result<state::TaskDefinition> wanted = WantedDefinition(snapshot, *service, request, &register_new);
  if (!wanted.ok()) return wanted.status();
  const std::string revision = wanted->FamilyRevision();
  const state::Deployment* primary = snapshot.PrimaryDeployment(service->name);
  const bool same = primary != nullptr && primary->task_definition == revision;
  if (same && !request.force_new_deployment) {
    return InvalidArgument("service " + service->name + " already runs " + revision +
                           ": nothing to deploy (change something, or use "
                           "--force-new-deployment to replace its tasks)");
  }
  UpdateServiceResult result;
  if (register_new) result.plan.Add(RegisterTaskDefinition{*wanted});
  std::set<std::string> taken;
  for (const state::Deployment& d : snapshot.deployments) taken.insert(d.id);
  result.deployment_id = NewDeploymentId(random, &taken);
  result.task_definition = revision;
  result.plan.Add(CreateDeployment{result.deployment_id, service->name, revision, {}});
  return result;
}

Result<std::string> RollbackRevision(const state::Snapshot& snapshot, const std::string& service) {
  if (snapshot.FindService(service) == nullptr) {
    return NotFound("no service \"" + service + "\" in this cluster");
  }
  const state::Deployment* primary = snapshot.PrimaryDeployment(service);
  const state::Deployment* newest = nullptr;
  for (const state::Deployment& d : snapshot.deployments) {
    if (d.service != service || d.rollout_state != state::RolloutState::kCompleted) continue;
    if (primary != nullptr && d.task_definition == primary->task_definition) continue;
    if (newest == nullptr || d.created_at >= newest->created_at) newest = &d;
  }
  if (newest == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  "service " + service + " has no earlier completed deployment to roll back to");
  }
  return newest->task_definition;
}

}  // namespace drydock::control

#include "control/apply_plan.h"

#include "state/store.h"

namespace drydock::control {
namespace {

using state::TaskStatus;

Status Unknown(const char* what, const std::string& id) {
  return Internal(std::string("plan names unknown ") + what + " " + id);
}

Status Launch(const LaunchInstance& launch, TimePoint now, state::Snapshot& snapshot) {
  if (snapshot.FindInstance(launch.instance_id) != nullptr) {
    return Internal("plan launches existing instance " + launch.instance_id);
  }
  state::Instance instance;
  instance.instance_id = launch.instance_id;
  instance.instance_type = launch.instance_type;
  instance.availability_zone = launch.availability_zone;
  instance.lifecycle = launch.lifecycle;
  instance.launch_time = instance.state_changed_at = now;
  instance.protected_from_scale_in = launch.protected_from_scale_in;
  snapshot.instances.push_back(std::move(instance));
  return Status::Ok();
}

// SetInstanceState, TerminateInstance, SetScaleInProtection,
// RegisterContainerInstance: changes to one existing instance.
Status ChangeInstance(const Action& action, TimePoint now, state::Snapshot& snapshot) {
  const std::string id = InstanceIdOf(action);
  state::Instance* instance = FindMutableInstance(snapshot, id);
  if (instance == nullptr) return Unknown("instance", id);
  if (const auto* a = std::get_if<SetInstanceState>(&action)) {
    instance->state = a->state;
    instance->state_changed_at = now;
  } else if (std::holds_alternative<TerminateInstance>(action)) {
    instance->state = state::InstanceState::kShuttingDown;
    instance->state_changed_at = now;
    if (!instance->container_instance_arn.empty()) {
      instance->container_status = state::ContainerInstanceStatus::kInactive;
    }
  } else if (const auto* p = std::get_if<SetScaleInProtection>(&action)) {
    instance->protected_from_scale_in = p->protected_from_scale_in;
  } else if (const auto* r = std::get_if<RegisterContainerInstance>(&action)) {
    instance->container_instance_arn = r->container_instance_arn;
    instance->container_status = state::ContainerInstanceStatus::kActive;
    instance->registered = r->registered;
  }
  return Status::Ok();
}

Status Start(const StartTask& start, TimePoint now, state::Snapshot& snapshot) {
  if (FindMutableTask(snapshot, start.task_id) != nullptr) {
    return Internal("plan starts existing task " + start.task_id);
  }
  state::Task task;
  task.task_id = start.task_id;
  task.service = start.service;
  task.task_definition = start.task_definition;
  task.instance_id = start.instance_id;
  task.availability_zone = start.availability_zone;
  task.started_by = start.started_by;
  task.created_at = now;
  snapshot.tasks.push_back(std::move(task));
  return Status::Ok();
}

Status Stop(const StopTask& stop, TimePoint now, state::Snapshot& snapshot) {
  state::Task* task = FindMutableTask(snapshot, stop.task_id);
  if (task == nullptr) return Unknown("task", stop.task_id);
  task->desired_status = TaskStatus::kStopped;
  if (task->stop_code == state::StopCode::kNone) {  // the first cause wins
    task->stop_code = stop.stop_code;
    task->stopped_reason = stop.reason;
  }
  if (task->last_status == TaskStatus::kProvisioning) {  // no process yet: stopped at once
    task->last_status = TaskStatus::kStopped;
    task->stopped_at = now;
  }
  return Status::Ok();
}

Status CreateNewDeployment(const CreateDeployment& create, TimePoint now,
                           state::Snapshot& snapshot) {
  state::Service* service = nullptr;
  for (state::Service& s : snapshot.services) {
    if (s.name == create.service) service = &s;
  }
  if (service == nullptr) return Unknown("service", create.service);
  if (snapshot.FindTaskDefinition(create.task_definition) == nullptr) {
    return Unknown("task definition", create.task_definition);
  }
  if (snapshot.FindDeployment(create.deployment_id) != nullptr) {
    return Internal("plan creates existing deployment " + create.deployment_id);
  }
  for (state::Deployment& d : snapshot.deployments) {
    if (d.service == create.service && d.status == state::DeploymentStatus::kPrimary) {
      d.status = state::DeploymentStatus::kActive;
      d.updated_at = now;
    }
  }
  state::Deployment deployment;
  deployment.id = create.deployment_id;
  deployment.service = create.service;
  deployment.task_definition = create.task_definition;
  deployment.rollback_of = create.rollback_of;
  deployment.created_at = deployment.updated_at = now;
  snapshot.deployments.push_back(std::move(deployment));
  service->task_definition = create.task_definition;
  return Status::Ok();
}

Status ChangeDeployment(const UpdateDeployment& update, TimePoint now,
                        state::Snapshot& snapshot) {
  for (state::Deployment& d : snapshot.deployments) {
    if (d.id != update.deployment_id) continue;
    d.status = update.status;
    d.rollout_state = update.rollout_state;
    d.rollout_state_reason = update.rollout_state_reason;
    d.failed_tasks = update.failed_tasks;
    d.updated_at = now;
    return Status::Ok();
  }
  return Unknown("deployment", update.deployment_id);
}

}  // namespace

state::Instance* FindMutableInstance(state::Snapshot& snapshot, const std::string& instance_id) {
  for (state::Instance& instance : snapshot.instances) {
    if (instance.instance_id == instance_id) return &instance;
  }
  return nullptr;
}

state::Task* FindMutableTask(state::Snapshot& snapshot, const std::string& task_id) {
  for (state::Task& task : snapshot.tasks) {
    if (task.task_id == task_id) return &task;
  }
  return nullptr;
}

Status ApplyAction(const Action& action, TimePoint now, state::Snapshot& snapshot) {
  if (const auto* a = std::get_if<LaunchInstance>(&action)) return Launch(*a, now, snapshot);
  if (const auto* a = std::get_if<StartTask>(&action)) return Start(*a, now, snapshot);
  if (const auto* a = std::get_if<StopTask>(&action)) return Stop(*a, now, snapshot);
  if (const auto* a = std::get_if<EmitEvent>(&action)) {
    snapshot.events.push_back({0, now, a->service, a->message});
    return Status::Ok();
  }
  if (const auto* a = std::get_if<SetTaskHealth>(&action)) {
    state::Task* task = FindMutableTask(snapshot, a->task_id);
    if (task == nullptr) return Unknown("task", a->task_id);
    task->health_status = a->health;
    return Status::Ok();
  }
  if (const auto* a = std::get_if<RegisterTaskDefinition>(&action)) {
    const state::TaskDefinition& definition = a->definition;
    if (definition.revision != state::NextTaskDefinitionRevision(snapshot, definition.family)) {
      return Internal("plan registers " + definition.FamilyRevision() + " out of order");
    }
    snapshot.task_definitions.push_back(definition);
    return Status::Ok();
  }
  if (const auto* a = std::get_if<CreateDeployment>(&action)) {
    return CreateNewDeployment(*a, now, snapshot);
  }
  if (const auto* a = std::get_if<UpdateDeployment>(&action)) {
    return ChangeDeployment(*a, now, snapshot);
  }
  if (const auto* a = std::get_if<PlaceTask>(&action)) {
    state::Task* task = FindMutableTask(snapshot, a->task_id);
    if (task == nullptr) return Unknown("task", a->task_id);
    task->instance_id = a->instance_id;
    task->availability_zone = a->availability_zone;
    return Status::Ok();
  }
  return ChangeInstance(action, now, snapshot);
}

}  // namespace drydock::control

// What controllers return: a Plan, an ordered list of actions on the cluster
// model. Controllers are pure (snapshot + now (+ a seeded Random) -> Plan);
// only an applier changes state: the store-backed one in live mode, the
// in-memory SimCluster (control/harness) in tests and the simulator.
//
// Every action names what it changes by a stable id, carries everything the
// applier needs (ids are chosen by the controller, so a plan is complete and
// replayable), and is applied in plan order.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "state/model.h"

namespace drydock::control {

// Auto Scaling launches an instance (state pending, launch_time = now).
struct LaunchInstance {
  std::string instance_id;  // "i-0" + 16 hex digits
  std::string instance_type;
  std::string availability_zone;
  state::Lifecycle lifecycle = state::Lifecycle::kOnDemand;
  bool protected_from_scale_in = false;  // NewInstancesProtectedFromScaleIn
};

// EC2 state change: pending -> running, shutting-down -> terminated.
struct SetInstanceState {
  std::string instance_id;
  state::InstanceState state = state::InstanceState::kRunning;
};

// Auto Scaling terminates an instance: it goes shutting-down and its container
// instance INACTIVE; the ASG controller marks it terminated later.
struct TerminateInstance {
  std::string instance_id;
  std::string reason;  // the Auto Scaling activity cause
};

// Scale-in protection of one instance (managed termination protection).
struct SetScaleInProtection {
  std::string instance_id;
  bool protected_from_scale_in = false;
};

// The ECS agent registers the instance: container instance ACTIVE.
struct RegisterContainerInstance {
  std::string instance_id;
  std::string container_instance_arn;
  state::Resources registered;
};

// The service scheduler creates a task. With an instance it is placed
// (PROVISIONING, then the runtime moves it on); without one it waits in
// PROVISIONING for capacity (rulebook section 2, "Provisioning limits").
struct StartTask {
  std::string task_id;  // 32 lowercase hex digits
  std::string service;
  std::string task_definition;  // "family:revision"
  std::string instance_id;      // empty: not placed
  std::string availability_zone;
  std::string started_by;  // the deployment starting it
};

// A task that waited in PROVISIONING without an instance is placed.
struct PlaceTask {
  std::string task_id;
  std::string instance_id;
  std::string availability_zone;
};

// desiredStatus -> STOPPED. The stop code and reason are recorded unless the
// task already has a stop code (the first cause wins, as in ECS).
struct StopTask {
  std::string task_id;
  state::StopCode stop_code = state::StopCode::kServiceSchedulerInitiated;
  std::string reason;
};

// The scheduler's conclusion about a task's target (Task.health_status).
struct SetTaskHealth {
  std::string task_id;
  state::HealthStatus health = state::HealthStatus::kUnknown;
};

// RegisterTaskDefinition: a new revision of a family, numbered by the caller
// (state::NextTaskDefinitionRevision).
struct RegisterTaskDefinition {
  state::TaskDefinition definition;
};

// A new deployment of a service (UpdateService, or the circuit breaker's
// rollback): the service's PRIMARY deployment becomes ACTIVE, this one PRIMARY
// with rolloutState IN_PROGRESS, and the service points at its task definition.
struct CreateDeployment {
  std::string deployment_id;  // "ecs-svc/" + 19 digits
  std::string service;
  std::string task_definition;  // must be registered
  std::string rollback_of;      // the failed deployment, for a rollback
};

// A deployment's status, rollout state (with its reason) and circuit-breaker
// count; updatedAt = now.
struct UpdateDeployment {
  std::string deployment_id;
  state::DeploymentStatus status = state::DeploymentStatus::kPrimary;
  state::RolloutState rollout_state = state::RolloutState::kInProgress;
  std::string rollout_state_reason;
  int failed_tasks = 0;
};

// A service event in ECS wording (rulebook section 4); service "" for
// cluster-level events (Auto Scaling activities).
struct EmitEvent {
  std::string service;
  std::string message;
};

using Action =
    std::variant<LaunchInstance, SetInstanceState, TerminateInstance, SetScaleInProtection,
                 RegisterContainerInstance, StartTask, PlaceTask, StopTask, SetTaskHealth,
                 RegisterTaskDefinition, CreateDeployment, UpdateDeployment, EmitEvent>;

struct Plan {
  std::vector<Action> actions;

  bool empty() const { return actions.empty(); }
  size_t size() const { return actions.size(); }
  void Add(Action action) { actions.push_back(std::move(action)); }
  void Append(const Plan& other);
};

// The task or instance an action names; "" when it names none.
std::string TaskIdOf(const Action& action);
std::string InstanceIdOf(const Action& action);

// One line per action, stable, for logs, the event trace and golden tests:
// "launch i-0123... t3.medium us-east-1a on-demand protected".
std::string Describe(const Action& action);
std::string Describe(const Plan& plan);  // one Describe() per line

}  // namespace drydock::control

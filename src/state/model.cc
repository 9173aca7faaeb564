#include "state/model.h"

#include "base/strings.h"

namespace drydock::state {

const char* LifecycleName(Lifecycle lifecycle) {
  return lifecycle == Lifecycle::kSpot ? "spot" : "on-demand";
}

const char* InstanceStateName(InstanceState state) {
  switch (state) {
    case InstanceState::kPending: return "pending";
    case InstanceState::kRunning: return "running";
    case InstanceState::kShuttingDown: return "shutting-down";
    case InstanceState::kTerminated: return "terminated";
  }
  return "unknown";
}

const char* ContainerInstanceStatusName(ContainerInstanceStatus status) {
  switch (status) {
    case ContainerInstanceStatus::kRegistering: return "REGISTERING";
    case ContainerInstanceStatus::kActive: return "ACTIVE";
    case ContainerInstanceStatus::kDraining: return "DRAINING";
    case ContainerInstanceStatus::kDeregistering: return "DEREGISTERING";
    case ContainerInstanceStatus::kInactive: return "INACTIVE";
  }
  return "UNKNOWN";
}

const char* NetworkModeName(NetworkMode mode) {
  switch (mode) {
    case NetworkMode::kAwsvpc: return "awsvpc";
    case NetworkMode::kBridge: return "bridge";
    case NetworkMode::kHost: return "host";
  }
  return "unknown";
}

const char* ServiceStatusName(ServiceStatus status) {
  switch (status) {
    case ServiceStatus::kActive: return "ACTIVE";
    case ServiceStatus::kDraining: return "DRAINING";
    case ServiceStatus::kInactive: return "INACTIVE";
  }
  return "UNKNOWN";
}

const char* TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kProvisioning: return "PROVISIONING";
    case TaskStatus::kPending: return "PENDING";
    case TaskStatus::kActivating: return "ACTIVATING";
    case TaskStatus::kRunning: return "RUNNING";
    case TaskStatus::kDeactivating: return "DEACTIVATING";
    case TaskStatus::kStopping: return "STOPPING";
    case TaskStatus::kDeprovisioning: return "DEPROVISIONING";
    case TaskStatus::kStopped: return "STOPPED";
  }
  return "UNKNOWN";
}

const char* StopCodeName(StopCode code) {
  switch (code) {
    case StopCode::kNone: return "";
    case StopCode::kTaskFailedToStart: return "TaskFailedToStart";
    case StopCode::kEssentialContainerExited: return "EssentialContainerExited";
    case StopCode::kUserInitiated: return "UserInitiated";
    case StopCode::kServiceSchedulerInitiated: return "ServiceSchedulerInitiated";
    case StopCode::kSpotInterruption: return "SpotInterruption";
    case StopCode::kTerminationNotice: return "TerminationNotice";
  }
  return "";
}

const char* HealthStatusName(HealthStatus status) {
  switch (status) {
    case HealthStatus::kUnknown: return "UNKNOWN";
    case HealthStatus::kHealthy: return "HEALTHY";
    case HealthStatus::kUnhealthy: return "UNHEALTHY";
  }
  return "UNKNOWN";
}

const char* DeploymentStatusName(DeploymentStatus status) {
  switch (status) {
    case DeploymentStatus::kPrimary: return "PRIMARY";
    case DeploymentStatus::kActive: return "ACTIVE";
    case DeploymentStatus::kInactive: return "INACTIVE";
  }
  return "UNKNOWN";
}

const char* RolloutStateName(RolloutState state) {
  switch (state) {
    case RolloutState::kInProgress: return "IN_PROGRESS";
    case RolloutState::kCompleted: return "COMPLETED";
    case RolloutState::kFailed: return "FAILED";
  }
  return "UNKNOWN";
}

std::string TaskDefinition::Arn(const std::string& region, const std::string& account) const {
  return "arn:aws:ecs:" + region + ":" + account + ":task-definition/" + FamilyRevision();
}

std::string TaskDefinition::FamilyRevision() const {
  return family + ":" + std::to_string(revision);
}

std::string ClusterIdentity::ClusterArn() const {
  return "arn:aws:ecs:" + region + ":" + account_id + ":cluster/" + cluster_name;
}

std::string ClusterIdentity::TaskArn(const std::string& task_id) const {
  return "arn:aws:ecs:" + region + ":" + account_id + ":task/" + cluster_name + "/" + task_id;
}

std::string ClusterIdentity::ContainerInstanceArn(const std::string& id) const {
  return "arn:aws:ecs:" + region + ":" + account_id + ":container-instance/" + cluster_name +
         "/" + id;
}

std::string ClusterIdentity::ServiceArn(const std::string& service) const {
  return "arn:aws:ecs:" + region + ":" + account_id + ":service/" + cluster_name + "/" + service;
}

std::string ClusterIdentity::TargetGroupArn(const std::string& target_group) const {
  return "arn:aws:elasticloadbalancing:" + region + ":" + account_id + ":targetgroup/" +
         target_group + "/" + Fnv1a64Hex(cluster_name + "/" + target_group);
}

const Instance* Snapshot::FindInstance(const std::string& instance_id) const {
  for (const Instance& i : instances) {
    if (i.instance_id == instance_id) return &i;
  }
  return nullptr;
}

const TaskDefinition* Snapshot::FindTaskDefinition(const std::string& family_revision) const {
  for (const TaskDefinition& d : task_definitions) {
    if (d.FamilyRevision() == family_revision) return &d;
  }
  return nullptr;
}

const Service* Snapshot::FindService(const std::string& name) const {
  for (const Service& s : services) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const Deployment* Snapshot::FindDeployment(const std::string& id) const {
  for (const Deployment& d : deployments) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

const Deployment* Snapshot::PrimaryDeployment(const std::string& service) const {
  for (const Deployment& d : deployments) {
    if (d.service == service && d.status == DeploymentStatus::kPrimary) return &d;
  }
  return nullptr;
}

const Task* Snapshot::FindTask(const std::string& task_id) const {
  for (const Task& t : tasks) {
    if (t.task_id == task_id) return &t;
  }
  return nullptr;
}

}  // namespace drydock::state

#include "control/events.h"

namespace drydock::control {
namespace {

std::string TaskList(const std::vector<std::string>& task_ids) {
  std::string out;
  for (size_t i = 0; i < task_ids.size(); ++i) {
    out += (i == 0 ? "(task " : " (task ") + task_ids[i] + ")";
  }
  return out;
}

const char* FailureTail(PlacementFailure failure) {
  switch (failure) {
    case PlacementFailure::kInsufficientCpu: return "has insufficient CPU units available.";
    case PlacementFailure::kInsufficientMemory: return "has insufficient memory available.";
    case PlacementFailure::kPortInUse: return "is already using a port required by your task.";
    case PlacementFailure::kNoEni: return "encountered error \"RESOURCE:ENI\".";
    case PlacementFailure::kNoContainerInstances:
    case PlacementFailure::kConstraints: return "";
  }
  return "";
}

}  // namespace

std::string TasksStartedEvent(const std::string& service,
                              const std::vector<std::string>& task_ids) {
  return "(service " + service + ") has started " + std::to_string(task_ids.size()) +
         " tasks: " + TaskList(task_ids) + ".";
}

std::string TasksStoppedEvent(const std::string& service,
                              const std::vector<std::string>& task_ids) {
  return "(service " + service + ") has stopped " + std::to_string(task_ids.size()) +
         " running tasks: " + TaskList(task_ids) + ".";
}

std::string TaskFailedToStartEvent(const std::string& service, const std::string& task_id,
                                   const std::string& reason) {
  return "(service " + service + ") (task " + task_id + ") failed to start: " + reason;
}

std::string SteadyStateEvent(const std::string& service) {
  return "(service " + service + ") has reached a steady state.";
}

std::string UnableToPlaceEvent(const std::string& service, PlacementFailure failure,
                               const std::string& container_instance_id) {
  std::string message = "(service " + service +
                        ") was unable to place a task because no container instance met all "
                        "of its requirements.";
  if (failure == PlacementFailure::kNoContainerInstances) {
    return message + " Reason: No Container Instances were found in your cluster.";
  }
  if (failure == PlacementFailure::kConstraints) return message;
  return message + " The closest matching container-instance " + container_instance_id + " " +
         FailureTail(failure);
}

std::string DeploymentConfigurationStallEvent(const std::string& service) {
  return "(service " + service +
         ") was unable to stop or start tasks during a deployment because of the service "
         "deployment configuration. Update the minimumHealthyPercent or maximumPercent value "
         "and try again.";
}

std::string DeploymentCompletedEvent(const std::string& service, const std::string& deployment) {
  return "(service " + service + ") (deployment " + deployment + ") deployment completed.";
}

std::string DeploymentFailedEvent(const std::string& service, const std::string& deployment) {
  return "(service " + service + ") (deployment " + deployment +
         ") deployment failed: tasks failed to start.";
}

std::string RollingBackEvent(const std::string& service, const std::string& deployment) {
  return "(service " + service + ") rolling back to deployment " + deployment + ".";
}

std::string UnhealthyTargetEvent(const std::string& service, const std::string& task_id, int port,
                                 const std::string& target_group_arn, const std::string& reason) {
  return "(service " + service + ") (task " + task_id + ") (port " + std::to_string(port) +
         ") is unhealthy in (target-group " + target_group_arn + ") due to (reason " + reason +
         ").";
}

std::string DeploymentCompletedReason(const std::string& deployment) {
  return "ECS deployment " + deployment + " completed.";
}

std::string CircuitBreakerRollbackReason(const std::string& deployment) {
  return "ECS deployment circuit breaker: rolling back to deploymentId " + deployment + ".";
}

std::string HostTerminatedReason(const std::string& instance_id) {
  return "Host EC2 (instance " + instance_id + ") terminated.";
}

std::string ScaleInReason(const std::string& service) {
  return "Scaling activity initiated by (service " + service + ")";
}

std::string DrainingReason(const std::string& instance_id) {
  return "Container instance (instance " + instance_id + ") is DRAINING";
}

std::string DeploymentReason(const std::string& deployment) {
  return "Scaling activity initiated by (deployment " + deployment + ")";
}

std::string FailedElbHealthChecksReason(const std::string& target_group_arn) {
  return "Task failed ELB health checks in (target-group " + target_group_arn + ")";
}

std::string LaunchingInstanceEvent(const std::string& instance_id) {
  return "Launching a new EC2 instance: " + instance_id;
}

std::string TerminatingInstanceEvent(const std::string& instance_id) {
  return "Terminating EC2 instance: " + instance_id;
}

std::string ShrinkingCapacityCause(int from, int to) {
  return "an instance was taken out of service in response to a difference between desired "
         "and actual capacity, shrinking the capacity from " +
         std::to_string(from) + " to " + std::to_string(to);
}

}  // namespace drydock::control

// ECS service-event and Auto Scaling activity wording (rulebook section 4,
// "Event text shapes"). One function per message so that the wording lives in
// one place and tests can compare exact strings.
#pragma once

#include <string>
#include <vector>

namespace drydock::control {

// "(service S) has started 2 tasks: (task a) (task b)."
std::string TasksStartedEvent(const std::string& service, const std::vector<std::string>& task_ids);

// "(service S) has stopped 1 running tasks: (task a)."
std::string TasksStoppedEvent(const std::string& service, const std::vector<std::string>& task_ids);

// "(service S) (task a) failed to start: <stoppedReason>": a task that ended
// at PENDING (a secret it could not read, a process that could not start).
std::string TaskFailedToStartEvent(const std::string& service, const std::string& task_id,
                                   const std::string& reason);

// "(service S) has reached a steady state."
std::string SteadyStateEvent(const std::string& service);

// Why placement failed, as the tail of the "unable to place" event.
enum class PlacementFailure {
  kNoContainerInstances,  // no ACTIVE container instance in the cluster
  kInsufficientCpu,
  kInsufficientMemory,
  kPortInUse,
  kNoEni,        // awsvpc: every task ENI of the instance in use
  kConstraints,  // resources fit, a placement constraint did not
};

// "(service S) was unable to place a task because no container instance met
// all of its requirements." followed by the reason:
//   kNoContainerInstances: " Reason: No Container Instances were found in your cluster."
//   kInsufficientCpu:      " The closest matching container-instance <id> has insufficient
//                            CPU units available."
//   kInsufficientMemory:   "... has insufficient memory available."
//   kPortInUse:            "... is already using a port required by your task."
//   kNoEni:                "... encountered error \"RESOURCE:ENI\"."
//   kConstraints:          nothing (the documented bare form).
std::string UnableToPlaceEvent(const std::string& service, PlacementFailure failure,
                               const std::string& container_instance_id);

// "(service S) was unable to stop or start tasks during a deployment because of
// the service deployment configuration. Update the minimumHealthyPercent or
// maximumPercent value and try again."
std::string DeploymentConfigurationStallEvent(const std::string& service);

// Deployments (rulebook section 4, "Event text shapes").
// "(service S) (deployment ecs-svc/1) deployment completed."
std::string DeploymentCompletedEvent(const std::string& service, const std::string& deployment);
// "(service S) (deployment ecs-svc/1) deployment failed: tasks failed to start."
std::string DeploymentFailedEvent(const std::string& service, const std::string& deployment);
// "(service S) rolling back to deployment ecs-svc/2."
std::string RollingBackEvent(const std::string& service, const std::string& deployment);
// "(service S) (task a) (port 8080) is unhealthy in (target-group arn) due to
// (reason Health checks failed with these codes: [503])."
std::string UnhealthyTargetEvent(const std::string& service, const std::string& task_id, int port,
                                 const std::string& target_group_arn, const std::string& reason);
// rolloutStateReason values.
std::string DeploymentCompletedReason(const std::string& deployment);
inline constexpr char kCircuitBreakerFailedReason[] =
    "ECS deployment circuit breaker: tasks failed to start.";
std::string CircuitBreakerRollbackReason(const std::string& deployment);

// Task stop reasons (DescribeTasks stoppedReason).
inline constexpr char kEssentialContainerExitedReason[] = "Essential container in task exited";
// "Host EC2 (instance i-...) terminated."
std::string HostTerminatedReason(const std::string& instance_id);
std::string ScaleInReason(const std::string& service);
std::string DrainingReason(const std::string& instance_id);
// "Scaling activity initiated by (deployment ecs-svc/1)": replaced by a deployment.
std::string DeploymentReason(const std::string& deployment);
// "Task failed ELB health checks in (target-group arn)".
std::string FailedElbHealthChecksReason(const std::string& target_group_arn);

// Auto Scaling activity descriptions, emitted as cluster-level events.
std::string LaunchingInstanceEvent(const std::string& instance_id);
std::string TerminatingInstanceEvent(const std::string& instance_id);
std::string ShrinkingCapacityCause(int from, int to);

}  // namespace drydock::control

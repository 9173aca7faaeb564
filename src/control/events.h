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

// Task stop reasons (DescribeTasks stoppedReason).
inline constexpr char kEssentialContainerExitedReason[] = "Essential container in task exited";
// "Host EC2 (instance i-...) terminated."
std::string HostTerminatedReason(const std::string& instance_id);
std::string ScaleInReason(const std::string& service);
std::string DrainingReason(const std::string& instance_id);

// Auto Scaling activity descriptions, emitted as cluster-level events.
std::string LaunchingInstanceEvent(const std::string& instance_id);
std::string TerminatingInstanceEvent(const std::string& instance_id);
std::string ShrinkingCapacityCause(int from, int to);

}  // namespace drydock::control

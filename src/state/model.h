// The cluster's state as ECS, EC2 and Auto Scaling describe it. These are
// plain values: the store persists them, controllers read them from a
// Snapshot and return plans that change them. Field names follow the AWS APIs
// (DescribeTasks, DescribeContainerInstances, ...) so that JSON output maps
// one to one.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace drydock::state {

// ---- EC2 / Auto Scaling -------------------------------------------------

enum class Lifecycle { kOnDemand, kSpot };
const char* LifecycleName(Lifecycle lifecycle);  // "on-demand", "spot"

// EC2 instance states drydock models (DescribeInstances InstanceState.Name).
enum class InstanceState { kPending, kRunning, kShuttingDown, kTerminated };
const char* InstanceStateName(InstanceState state);  // "pending", "running", ...

// ECS container-instance status (DescribeContainerInstances status).
enum class ContainerInstanceStatus { kRegistering, kActive, kDraining, kDeregistering, kInactive };
const char* ContainerInstanceStatusName(ContainerInstanceStatus status);  // "ACTIVE", ...

struct Resources {
  int cpu_units = 0;
  int memory_mib = 0;
  int enis = 0;  // ENIs available to awsvpc tasks

  friend bool operator==(const Resources&, const Resources&) = default;
};

struct Instance {
  std::string instance_id;        // "i-0" + 16 hex digits
  std::string instance_type;      // "t3.medium"
  std::string availability_zone;  // "us-east-1a"
  Lifecycle lifecycle = Lifecycle::kOnDemand;
  InstanceState state = InstanceState::kPending;
  TimePoint launch_time{};
  TimePoint state_changed_at{};
  bool protected_from_scale_in = false;

  // ECS registration; empty ARN until the agent has registered.
  std::string container_instance_arn;
  ContainerInstanceStatus container_status = ContainerInstanceStatus::kRegistering;
  Resources registered;  // what the agent registered (vCPU*1024, registered memory, ENIs-1)
  std::vector<int> reserved_host_ports;  // static ports in use (host/awsvpc modes)

  friend bool operator==(const Instance&, const Instance&) = default;
};

// ---- ECS task definitions and services ----------------------------------

enum class NetworkMode { kAwsvpc, kBridge, kHost };
const char* NetworkModeName(NetworkMode mode);  // "awsvpc", "bridge", "host"

// containerDefinitions[].secrets[]: an environment variable whose value the
// agent reads from Secrets Manager with the task execution role, once, when
// the task starts. value_from is a secret ARN with optional
// ":json-key:version-stage:version-id", or drydock's shorthand that names the
// secret ("api", "api:PORT::"); see docs/secrets.md.
struct SecretReference {
  std::string name;
  std::string value_from;

  friend bool operator==(const SecretReference&, const SecretReference&) = default;
};

struct ContainerDefinition {
  std::string name;
  std::string image;
  std::vector<std::string> command;
  std::map<std::string, std::string> environment;
  int container_port = 0;
  int stop_timeout_seconds = 30;
  std::vector<SecretReference> secrets;  // by name

  friend bool operator==(const ContainerDefinition&, const ContainerDefinition&) = default;
};

struct TaskDefinition {
  std::string family;  // the service name
  int revision = 1;
  int cpu_units = 0;
  int memory_mib = 0;
  NetworkMode network_mode = NetworkMode::kAwsvpc;
  ContainerDefinition container;  // drydock tasks have one essential container
  // The role the agent assumes to pull the container's secrets ("" = none:
  // a task definition with secrets then cannot start).
  std::string execution_role_arn;

  std::string Arn(const std::string& region, const std::string& account) const;
  std::string FamilyRevision() const;  // "api:3"

  friend bool operator==(const TaskDefinition&, const TaskDefinition&) = default;
};

enum class ServiceStatus { kActive, kDraining, kInactive };
const char* ServiceStatusName(ServiceStatus status);

struct Service {
  std::string name;
  std::string task_definition;  // "family:revision"
  int desired_count = 0;
  ServiceStatus status = ServiceStatus::kActive;
  TimePoint created_at{};

  friend bool operator==(const Service&, const Service&) = default;
};

// ---- ECS deployments -------------------------------------------------------

// DescribeServices deployments[].status: one PRIMARY per service (the newest),
// ACTIVE ones still have tasks, INACTIVE ones are history (kept so that a
// rollback can find the last COMPLETED one; not listed by DescribeServices).
enum class DeploymentStatus { kPrimary, kActive, kInactive };
const char* DeploymentStatusName(DeploymentStatus status);  // "PRIMARY", ...

enum class RolloutState { kInProgress, kCompleted, kFailed };
const char* RolloutStateName(RolloutState state);  // "IN_PROGRESS", ...

struct Deployment {
  std::string id;  // "ecs-svc/" + 19 digits
  std::string service;
  std::string task_definition;  // "family:revision"
  DeploymentStatus status = DeploymentStatus::kPrimary;
  RolloutState rollout_state = RolloutState::kInProgress;
  std::string rollout_state_reason;
  // The circuit breaker's count of consecutively failed tasks (failedTasks).
  int failed_tasks = 0;
  // Set on a deployment the circuit breaker started: the deployment it rolls
  // back from (the failed one).
  std::string rollback_of;
  TimePoint created_at{};
  TimePoint updated_at{};

  friend bool operator==(const Deployment&, const Deployment&) = default;
};

// ---- ECS tasks -------------------------------------------------------------

// ECS task lifecycle (lastStatus / desiredStatus), in order.
enum class TaskStatus {
  kProvisioning,
  kPending,
  kActivating,
  kRunning,
  kDeactivating,
  kStopping,
  kDeprovisioning,
  kStopped,
};
const char* TaskStatusName(TaskStatus status);  // "PROVISIONING", ...

// ECS stopCode values.
enum class StopCode {
  kNone,
  kTaskFailedToStart,
  kEssentialContainerExited,
  kUserInitiated,
  kServiceSchedulerInitiated,
  kSpotInterruption,
  kTerminationNotice,
};
const char* StopCodeName(StopCode code);  // "TaskFailedToStart", ...

// ECS task healthStatus: what the service scheduler last concluded from the
// load balancer (HEALTHY once the target passed its checks, UNHEALTHY when it
// failed them), UNKNOWN before.
enum class HealthStatus { kUnknown, kHealthy, kUnhealthy };
const char* HealthStatusName(HealthStatus status);  // "UNKNOWN", "HEALTHY", ...

struct Task {
  std::string task_id;  // 32 lowercase hex digits
  std::string service;
  std::string task_definition;  // "family:revision"
  std::string started_by;       // the deployment that started it ("ecs-svc/...")
  std::string instance_id;      // empty while PROVISIONING without placement
  std::string availability_zone;
  TaskStatus last_status = TaskStatus::kProvisioning;
  TaskStatus desired_status = TaskStatus::kRunning;
  int host_port = 0;
  TimePoint created_at{};
  std::optional<TimePoint> started_at;  // reached RUNNING
  std::optional<TimePoint> stopping_at;
  std::optional<TimePoint> stopped_at;
  StopCode stop_code = StopCode::kNone;
  std::string stopped_reason;
  std::optional<int> exit_code;
  HealthStatus health_status = HealthStatus::kUnknown;

  // Runtime handle of the task's process (live mode); 0 when none.
  int pid = 0;
  int64_t pid_start_ticks = 0;  // /proc/<pid>/stat starttime, guards against pid reuse

  friend bool operator==(const Task&, const Task&) = default;
};

// ---- Events ---------------------------------------------------------------

struct ServiceEvent {
  int64_t id = 0;  // increasing
  TimePoint created_at{};
  std::string service;  // empty for cluster-level events
  std::string message;  // ECS wording: "(service api) has started 2 tasks: (task ...)."

  friend bool operator==(const ServiceEvent&, const ServiceEvent&) = default;
};

// ---- The whole cluster ------------------------------------------------------

struct ClusterIdentity {
  std::string cluster_name;
  std::string region;
  std::string account_id = "000000000000";  // drydock's local account

  std::string ClusterArn() const;
  std::string TaskArn(const std::string& task_id) const;
  std::string ContainerInstanceArn(const std::string& id) const;
  std::string ServiceArn(const std::string& service) const;
  // arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>,
  // the id derived from the cluster and group names (stable across runs).
  std::string TargetGroupArn(const std::string& target_group) const;

  friend bool operator==(const ClusterIdentity&, const ClusterIdentity&) = default;
};

struct AutoScalingGroup {
  std::string name;
  int min_size = 0;
  int max_size = 0;
  int desired_capacity = 0;

  friend bool operator==(const AutoScalingGroup&, const AutoScalingGroup&) = default;
};

// Everything a controller may read. Controllers take `const Snapshot&` and a
// TimePoint and return a plan; they never mutate a snapshot.
struct Snapshot {
  ClusterIdentity identity;
  AutoScalingGroup group;
  std::vector<Instance> instances;
  std::vector<TaskDefinition> task_definitions;
  std::vector<Service> services;
  std::vector<Deployment> deployments;  // by creation time
  std::vector<Task> tasks;
  // Recent service events, oldest first (ECS keeps the latest 100 per
  // service). The service scheduler reads them to deduplicate identical
  // consecutive events (rulebook section 9).
  std::vector<ServiceEvent> events;

  const Instance* FindInstance(const std::string& instance_id) const;
  const TaskDefinition* FindTaskDefinition(const std::string& family_revision) const;
  const Service* FindService(const std::string& name) const;
  const Deployment* FindDeployment(const std::string& id) const;
  // The service's PRIMARY deployment; nullptr before its first one.
  const Deployment* PrimaryDeployment(const std::string& service) const;
  const Task* FindTask(const std::string& task_id) const;
};

}  // namespace drydock::state

// `drydock status` and `drydock events`: the cluster's state as the AWS APIs
// describe it. Pure: a Snapshot (or events) in, text or JSON out.
//
// The JSON uses the field names and shapes of ECS's DescribeClusters,
// DescribeServices, DescribeTasks and DescribeContainerInstances and of Auto
// Scaling's DescribeAutoScalingGroups, so scripts written against `aws ecs`
// read it without surprise; optional fields that are unset are omitted, as
// the AWS CLI omits them. docs/observe.md lists every field.
#pragma once

#include <string>
#include <vector>

#include "alb/load_balancer.h"
#include "state/model.h"

namespace drydock::describe {

// The load balancer process as it answered, for status.
struct LoadBalancerInfo {
  bool running = false;
  std::string listen;  // "127.0.0.1:8080"
  std::vector<alb::TargetGroupReport> target_groups;
};

struct DescribeOptions {
  bool control_plane_running = false;
  int control_plane_pid = 0;  // 0: not known
  LoadBalancerInfo load_balancer;
};

// One JSON document: controlPlane, loadBalancer (listen address and
// targetGroups as DescribeTargetHealth shapes them), clusters, services,
// tasks, containerInstances, instances, autoScalingGroups. Ends in a newline.
// Each service lists its PRIMARY and ACTIVE deployments, newest first, with
// counts over the tasks each started (Task::started_by); each task has
// startedBy (when set) and healthStatus.
std::string DescribeJson(const state::Snapshot& snapshot, const DescribeOptions& options);

// Tables for people: the cluster and its control plane, instances by
// Availability Zone, services, the PRIMARY and ACTIVE deployments of the
// services that have any (the section is left out when none has), and tasks
// (with only the newest kStoppedTasksShown stopped tasks of each service).
std::string DescribeText(const state::Snapshot& snapshot, const DescribeOptions& options);
inline constexpr int kStoppedTasksShown = 3;

// `drydock status SERVICE`. Both return "" when the snapshot has no service
// named `service` (the caller reports the error); otherwise they end in a
// newline.
//
// Text: the header line (cluster, control plane), the service's row of the
// services table, its PRIMARY and ACTIVE deployments with their counts, its
// newest kDeploymentHistoryShown INACTIVE deployments (id, task definition,
// final rollout state, reason; the section is left out when there is none),
// its tasks with their health status and the deployment that started them
// (stopped ones last, only the newest kServiceStoppedTasksShown), and its
// newest kServiceEventsShown events from snapshot.events, oldest first as
// DescribeEventsText prints them.
std::string DescribeServiceText(const state::Snapshot& snapshot, const std::string& service,
                                const DescribeOptions& options);
inline constexpr int kDeploymentHistoryShown = 5;
inline constexpr int kServiceStoppedTasksShown = 10;
inline constexpr int kServiceEventsShown = 10;

// JSON: {"services": [the service object DescribeJson gives], "tasks": [every
// task of the service, as DescribeJson gives them]}.
std::string DescribeServiceJson(const state::Snapshot& snapshot, const std::string& service,
                                const DescribeOptions& options);

// `drydock targets SERVICE`: one row per target (task, address, state,
// reason, description), registration order.
std::string DescribeTargetsText(const alb::TargetGroupReport& group);

// `events` in chronological order (as Store::ListEvents returns them).
// Text: one line per event, oldest first, "<time> <service or -> <message>".
std::string DescribeEventsText(const std::vector<state::ServiceEvent>& events);
// JSON: {"events": [{id, createdAt, serviceName, message}]}, newest first as
// DescribeServices lists them; serviceName is omitted for cluster events.
std::string DescribeEventsJson(const std::vector<state::ServiceEvent>& events);

// The first 8 hex digits of a task id, as the ECS console abbreviates it.
std::string ShortTaskId(const std::string& task_id);

}  // namespace drydock::describe

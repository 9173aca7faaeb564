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
std::string DescribeJson(const state::Snapshot& snapshot, const DescribeOptions& options);

// Tables for people: the cluster and its control plane, instances by
// Availability Zone, services, and tasks (with only the newest
// kStoppedTasksShown stopped tasks of each service).
std::string DescribeText(const state::Snapshot& snapshot, const DescribeOptions& options);
inline constexpr int kStoppedTasksShown = 3;

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

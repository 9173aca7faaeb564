// What placement sees of the cluster: per container instance, the resources
// left, the static host ports in use and this plan's own placements. Built
// once per reconcile from a Snapshot; Reserve() accounts every task placed
// earlier in the same plan, so N placements in one plan see each other.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "control/placement/placement_policy.h"
#include "state/model.h"

namespace drydock::control {

struct InstanceView {
  std::string instance_id;
  std::string container_instance_id;  // the id at the end of the ARN
  std::string availability_zone;
  state::Resources remaining;                // registered less what placed tasks hold
  std::set<int> used_ports;                  // static host ports in use
  std::map<std::string, int> service_tasks;  // per service: tasks desired RUNNING
  // ECS attributes for constraints and spread: ecs.instance-type,
  // ecs.availability-zone, ecs.os-type, ecs.cpu-architecture, ec2InstanceId.
  std::map<std::string, std::string> attributes;

  int TasksOf(const std::string& service) const;
  // The value a spread/constraint field names: "instanceId"/"host" -> the id,
  // "attribute:NAME" -> the attribute ("" when absent).
  std::string FieldValue(const std::string& field) const;
};

std::map<std::string, std::string> InstanceAttributes(const state::Instance& instance);

// True when ECS may place on the instance: EC2 running, container instance
// ACTIVE (not DRAINING, not yet registered).
bool AcceptsTasks(const state::Instance& instance);

// True when the task holds resources on its instance: placed and not STOPPED.
bool HoldsResources(const state::Task& task);

class ClusterView {
 public:
  explicit ClusterView(const state::Snapshot& snapshot);

  // Instances that accept tasks, in instance-id order.
  const std::vector<InstanceView>& instances() const { return instances_; }
  const InstanceView* Find(const std::string& instance_id) const;

  // Accounts a task this plan places. REQUIRES: Find(instance_id) != nullptr.
  void Reserve(const std::string& instance_id, const std::string& service, const TaskNeeds& needs);

  // Tasks of `service` over all instances whose `field` has `value`.
  int CountServiceTasks(const std::string& service, const std::string& field,
                        const std::string& value) const;

 private:
  InstanceView* FindMutable(const std::string& instance_id);

  std::vector<InstanceView> instances_;
};

}  // namespace drydock::control

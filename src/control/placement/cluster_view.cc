#include "control/placement/cluster_view.h"

#include <algorithm>

#include "control/ids.h"

namespace drydock::control {
namespace {

// The host ports a placed task holds: its static port in host mode, the
// dynamic port the runtime assigned in bridge mode; none in awsvpc mode (the
// task has its own ENI).
int HeldHostPort(const state::Task& task, const state::TaskDefinition* definition) {
  if (definition == nullptr) return task.host_port;
  switch (definition->network_mode) {
    case state::NetworkMode::kHost:
      return task.host_port > 0 ? task.host_port : definition->container.container_port;
    case state::NetworkMode::kBridge: return task.host_port;
    case state::NetworkMode::kAwsvpc: return 0;
  }
  return 0;
}

void Hold(InstanceView* view, const TaskNeeds& needs) {
  view->remaining.cpu_units -= needs.cpu_units;
  view->remaining.memory_mib -= needs.memory_mib;
  if (needs.uses_eni) view->remaining.enis -= 1;
  if (needs.host_port > 0) view->used_ports.insert(needs.host_port);
}

}  // namespace

int InstanceView::TasksOf(const std::string& service) const {
  const auto it = service_tasks.find(service);
  return it == service_tasks.end() ? 0 : it->second;
}

std::string InstanceView::FieldValue(const std::string& field) const {
  if (field == "instanceId" || field == "host") return instance_id;
  static constexpr std::string_view kPrefix = "attribute:";
  const std::string name = field.rfind(kPrefix, 0) == 0 ? field.substr(kPrefix.size()) : field;
  const auto it = attributes.find(name);
  return it == attributes.end() ? "" : it->second;
}

std::map<std::string, std::string> InstanceAttributes(const state::Instance& instance) {
  return {
      {"ecs.instance-type", instance.instance_type},
      {"ecs.availability-zone", instance.availability_zone},
      {"ecs.os-type", "linux"},
      {"ecs.cpu-architecture", "x86_64"},
      {"ec2InstanceId", instance.instance_id},
  };
}

bool AcceptsTasks(const state::Instance& instance) {
  return instance.state == state::InstanceState::kRunning &&
         instance.container_status == state::ContainerInstanceStatus::kActive &&
         !instance.container_instance_arn.empty();
}

bool HoldsResources(const state::Task& task) {
  return !task.instance_id.empty() && task.last_status != state::TaskStatus::kStopped;
}

ClusterView::ClusterView(const state::Snapshot& snapshot) {
  for (const state::Instance& instance : snapshot.instances) {
    if (!AcceptsTasks(instance)) continue;
    InstanceView view;
    view.instance_id = instance.instance_id;
    view.container_instance_id = ArnId(instance.container_instance_arn);
    view.availability_zone = instance.availability_zone;
    view.remaining = instance.registered;
    view.used_ports.insert(instance.reserved_host_ports.begin(),
                           instance.reserved_host_ports.end());
    view.attributes = InstanceAttributes(instance);
    instances_.push_back(std::move(view));
  }
  std::sort(instances_.begin(), instances_.end(), [](const InstanceView& a, const InstanceView& b) {
    return a.instance_id < b.instance_id;
  });
  for (const state::Task& task : snapshot.tasks) {
    InstanceView* view = HoldsResources(task) ? FindMutable(task.instance_id) : nullptr;
    if (view == nullptr) continue;
    const state::TaskDefinition* definition = snapshot.FindTaskDefinition(task.task_definition);
    TaskNeeds needs = definition != nullptr ? NeedsOf(*definition) : TaskNeeds{};
    needs.host_port = HeldHostPort(task, definition);
    Hold(view, needs);
    if (task.desired_status == state::TaskStatus::kRunning) view->service_tasks[task.service]++;
  }
}

const InstanceView* ClusterView::Find(const std::string& instance_id) const {
  for (const InstanceView& view : instances_) {
    if (view.instance_id == instance_id) return &view;
  }
  return nullptr;
}

InstanceView* ClusterView::FindMutable(const std::string& instance_id) {
  for (InstanceView& view : instances_) {
    if (view.instance_id == instance_id) return &view;
  }
  return nullptr;
}

void ClusterView::Reserve(const std::string& instance_id, const std::string& service,
                          const TaskNeeds& needs) {
  InstanceView* view = FindMutable(instance_id);
  if (view == nullptr) return;
  Hold(view, needs);
  view->service_tasks[service]++;
}

int ClusterView::CountServiceTasks(const std::string& service, const std::string& field,
                                   const std::string& value) const {
  int count = 0;
  for (const InstanceView& view : instances_) {
    if (view.FieldValue(field) == value) count += view.TasksOf(service);
  }
  return count;
}

}  // namespace drydock::control

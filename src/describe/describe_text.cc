// The text description: tables for people (docs/observe.md shows an example).
#include <algorithm>
#include <map>
#include <set>

#include "base/strings.h"
#include "base/text_table.h"
#include "describe/describe.h"
#include "describe/tallies.h"

namespace drydock::describe {
namespace {

std::string Header(const state::Snapshot& snapshot, const DescribeOptions& options) {
  std::string line =
      "Cluster " + snapshot.identity.cluster_name + " (" + snapshot.identity.region + "): ";
  if (!options.control_plane_running) {
    return line + "control plane not running — showing the last recorded state\n";
  }
  line += "control plane running";
  if (options.control_plane_pid > 0) {
    line += " (pid " + std::to_string(options.control_plane_pid) + ")";
  }
  return line + "\n";
}

std::string GroupLine(const state::AutoScalingGroup& group) {
  if (group.name.empty()) return "";  // not recorded yet
  return "Auto Scaling group " + group.name + ": desired " +
         std::to_string(group.desired_capacity) + " (min " + std::to_string(group.min_size) +
         ", max " + std::to_string(group.max_size) + ")\n";
}

std::string InstancesSection(const state::Snapshot& snapshot) {
  if (snapshot.instances.empty()) return "Instances: none\n";
  // By zone, keeping launch order within a zone.
  std::vector<const state::Instance*> instances;
  for (const state::Instance& instance : snapshot.instances) instances.push_back(&instance);
  std::stable_sort(instances.begin(), instances.end(), [](const auto* a, const auto* b) {
    return a->availability_zone < b->availability_zone;
  });
  TextTable table({false, false, false, false, false, false, true, true});
  table.AddRow({"ZONE", "INSTANCE", "TYPE", "LIFECYCLE", "STATE", "ECS", "CPU", "MEMORY"});
  std::string zone;
  for (const state::Instance* instance : instances) {
    const bool first_of_zone = instance->availability_zone != zone;
    zone = instance->availability_zone;
    const state::Resources reserved = ReservedResources(snapshot, instance->instance_id);
    const bool registered = !instance->container_instance_arn.empty();
    table.AddRow(
        {first_of_zone ? zone : "", instance->instance_id, instance->instance_type,
         state::LifecycleName(instance->lifecycle), state::InstanceStateName(instance->state),
         registered ? state::ContainerInstanceStatusName(instance->container_status) : "-",
         std::to_string(reserved.cpu_units) + "/" + std::to_string(instance->registered.cpu_units),
         std::to_string(reserved.memory_mib) + "/" +
             std::to_string(instance->registered.memory_mib)});
  }
  return "Instances (CPU units and memory MiB: reserved/registered)\n" + table.Render("  ");
}

std::string ServicesSection(const state::Snapshot& snapshot) {
  if (snapshot.services.empty()) return "Services: none\n";
  TextTable table({false, false, true, true, true, false});
  table.AddRow({"SERVICE", "STATUS", "DESIRED", "RUNNING", "PENDING", "TASK DEFINITION"});
  for (const state::Service& service : snapshot.services) {
    const TaskCounts tasks = CountTasks(snapshot, service.name, "");
    table.AddRow({service.name, state::ServiceStatusName(service.status),
                  std::to_string(service.desired_count), std::to_string(tasks.running),
                  std::to_string(tasks.pending), service.task_definition});
  }
  return "Services\n" + table.Render("  ");
}

void AddTaskRow(TextTable& table, const state::Task& task) {
  std::string status = state::TaskStatusName(task.last_status);
  if (task.desired_status != task.last_status) {
    status += std::string(" (desired ") + state::TaskStatusName(task.desired_status) + ")";
  }
  std::string reason = task.stopped_reason;
  if (task.exit_code) {
    if (!reason.empty()) reason += ' ';
    reason.append("(exit code ").append(std::to_string(*task.exit_code)).append(")");
  }
  table.AddRow({ShortTaskId(task.task_id), task.service, status,
                task.instance_id.empty() ? "-" : task.instance_id,
                task.availability_zone.empty() ? "-" : task.availability_zone,
                task.host_port > 0 ? std::to_string(task.host_port) : "-",
                task.last_status == state::TaskStatus::kStopped ? reason : ""});
}

std::string TasksSection(const state::Snapshot& snapshot) {
  if (snapshot.tasks.empty()) return "Tasks: none\n";
  // Stopped tasks: the newest few of each service, newest first.
  std::map<std::string, std::vector<const state::Task*>> stopped;
  for (const state::Task& task : snapshot.tasks) {
    if (task.last_status == state::TaskStatus::kStopped) stopped[task.service].push_back(&task);
  }
  TextTable table({false, false, false, false, false, true, false});
  table.AddRow({"TASK", "SERVICE", "STATUS", "INSTANCE", "ZONE", "PORT", "STOPPED REASON"});
  for (const state::Task& task : snapshot.tasks) {
    if (task.last_status != state::TaskStatus::kStopped) AddTaskRow(table, task);
  }
  size_t hidden = 0;
  for (auto& [service, tasks] : stopped) {
    std::stable_sort(tasks.begin(), tasks.end(), [](const auto* a, const auto* b) {
      return a->stopped_at.value_or(a->created_at) > b->stopped_at.value_or(b->created_at);
    });
    const size_t shown = std::min(tasks.size(), static_cast<size_t>(kStoppedTasksShown));
    for (size_t i = 0; i < shown; ++i) AddTaskRow(table, *tasks[i]);
    hidden += tasks.size() - shown;
  }
  std::string out = "Tasks\n" + table.Render("  ");
  if (hidden > 0) {
    out += "  (" + std::to_string(hidden) + " older stopped task" + (hidden == 1 ? "" : "s") +
           " not shown; `drydock status --output json` lists every task)\n";
  }
  return out;
}

std::string LoadBalancerSection(const LoadBalancerInfo& info) {
  if (!info.running) return "Load balancer: not running\n";
  std::string out = "Load balancer http://" + info.listen + "\n";
  for (const alb::TargetGroupReport& group : info.target_groups) {
    struct Tally {
      int count = 0;
      std::set<std::string> reasons;
    };
    std::map<std::string, Tally> states;
    for (const alb::TargetReport& target : group.targets) {
      Tally& tally = states[std::string(alb::TargetStateName(target.health.state))];
      ++tally.count;
      if (!target.health.reason.empty()) tally.reasons.insert(target.health.reason);
    }
    std::string counts;
    for (const auto& [state, tally] : states) {
      counts += (counts.empty() ? "" : ", ") + std::to_string(tally.count) + " " + state;
      if (!tally.reasons.empty()) {
        counts += " (" + Join({tally.reasons.begin(), tally.reasons.end()}, ", ") + ")";
      }
    }
    out += "  " + group.name + ": " + (counts.empty() ? "no targets" : counts) + "\n";
  }
  return out;
}

}  // namespace

std::string DescribeText(const state::Snapshot& snapshot, const DescribeOptions& options) {
  return Header(snapshot, options) + GroupLine(snapshot.group) + "\n" + InstancesSection(snapshot) +
         "\n" + ServicesSection(snapshot) + "\n" + LoadBalancerSection(options.load_balancer) +
         "\n" + TasksSection(snapshot);
}

std::string DescribeTargetsText(const alb::TargetGroupReport& group) {
  if (group.targets.empty()) return "Target group " + group.name + ": no targets registered\n";
  TextTable table({false, false, false, false, true, false});
  table.AddRow({"TARGET", "TASK", "STATE", "REASON", "IN FLIGHT", "DESCRIPTION"});
  for (const alb::TargetReport& target : group.targets) {
    table.AddRow({alb::TargetKey(target.target.host, target.target.port),
                  ShortTaskId(target.target.task),
                  std::string(alb::TargetStateName(target.health.state)), target.health.reason,
                  std::to_string(target.in_flight), target.health.description});
  }
  return "Target group " + group.name + "\n" + table.Render("  ");
}

std::string DescribeEventsText(const std::vector<state::ServiceEvent>& events) {
  std::string out;
  for (const state::ServiceEvent& event : events) {
    out += FormatTime(event.created_at) + " " + (event.service.empty() ? "-" : event.service) +
           " " + event.message + "\n";
  }
  return out;
}

std::string ShortTaskId(const std::string& task_id) { return task_id.substr(0, 8); }

}  // namespace drydock::describe

// The text description: tables for people (docs/observe.md shows an example).
#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

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

// One row per service of `only` (every service when empty).
std::string ServicesTable(const state::Snapshot& snapshot, const std::string& only) {
  TextTable table({false, false, true, true, true, false});
  table.AddRow({"SERVICE", "STATUS", "DESIRED", "RUNNING", "PENDING", "TASK DEFINITION"});
  for (const state::Service& service : snapshot.services) {
    if (!only.empty() && service.name != only) continue;
    const TaskCounts tasks = CountTasks(snapshot, service.name, "");
    table.AddRow({service.name, state::ServiceStatusName(service.status),
                  std::to_string(service.desired_count), std::to_string(tasks.running),
                  std::to_string(tasks.pending), service.task_definition});
  }
  return table.Render("  ");
}

std::string ServicesSection(const state::Snapshot& snapshot) {
  if (snapshot.services.empty()) return "Services: none\n";
  return "Services\n" + ServicesTable(snapshot, "");
}

// The deployment columns both deployment tables share: id, status, task
// definition, rollout state, desired, pending, running, failed, reason.
const std::vector<std::string> kDeploymentHeadings = {
    "DEPLOYMENT", "STATUS", "TASK DEFINITION", "ROLLOUT", "DESIRED",
    "PENDING",    "RUNNING", "FAILED",         "REASON"};
const std::vector<bool> kDeploymentRightAligned = {false, false, false, false, true,
                                                   true,  true,  true,  false};

std::vector<std::string> DeploymentCells(const state::Snapshot& snapshot,
                                         const state::Deployment& deployment) {
  const DeploymentCounts counts = CountDeploymentTasks(snapshot, deployment);
  return {deployment.id,
          state::DeploymentStatusName(deployment.status),
          deployment.task_definition,
          state::RolloutStateName(deployment.rollout_state),
          std::to_string(counts.desired),
          std::to_string(counts.pending),
          std::to_string(counts.running),
          std::to_string(deployment.failed_tasks),
          deployment.rollout_state_reason};
}

// The PRIMARY and ACTIVE deployments of every service that has any, newest
// first within a service; "" when no service has one.
std::string DeploymentsSection(const state::Snapshot& snapshot) {
  std::vector<bool> right = {false};
  right.insert(right.end(), kDeploymentRightAligned.begin(), kDeploymentRightAligned.end());
  TextTable table(std::move(right));
  std::vector<std::string> headings = {"SERVICE"};
  headings.insert(headings.end(), kDeploymentHeadings.begin(), kDeploymentHeadings.end());
  table.AddRow(std::move(headings));
  bool any = false;
  for (const state::Service& service : snapshot.services) {
    bool first_of_service = true;
    for (const state::Deployment* deployment : ListedDeployments(snapshot, service.name)) {
      std::vector<std::string> row = {first_of_service ? service.name : ""};
      std::vector<std::string> cells = DeploymentCells(snapshot, *deployment);
      row.insert(row.end(), cells.begin(), cells.end());
      table.AddRow(std::move(row));
      first_of_service = false;
      any = true;
    }
  }
  return any ? "Deployments\n" + table.Render("  ") : "";
}

std::string TaskStatusCell(const state::Task& task) {
  std::string status = state::TaskStatusName(task.last_status);
  if (task.desired_status != task.last_status) {
    status += std::string(" (desired ") + state::TaskStatusName(task.desired_status) + ")";
  }
  return status;
}

// The stopped reason and exit code of a STOPPED task; "" for the others.
std::string StoppedReasonCell(const state::Task& task) {
  if (task.last_status != state::TaskStatus::kStopped) return "";
  std::string reason = task.stopped_reason;
  if (task.exit_code) {
    if (!reason.empty()) reason += ' ';
    reason.append("(exit code ").append(std::to_string(*task.exit_code)).append(")");
  }
  return reason;
}

void AddTaskRow(TextTable& table, const state::Task& task) {
  table.AddRow({ShortTaskId(task.task_id), task.service, TaskStatusCell(task),
                task.instance_id.empty() ? "-" : task.instance_id,
                task.availability_zone.empty() ? "-" : task.availability_zone,
                task.host_port > 0 ? std::to_string(task.host_port) : "-",
                StoppedReasonCell(task)});
}

// The tasks of `only` (every service's when empty) to list: those not STOPPED
// in snapshot order, then the newest `stopped_shown` STOPPED ones of each
// service (by service name), newest first. `*hidden` counts the others.
std::vector<const state::Task*> ShownTasks(const state::Snapshot& snapshot, const std::string& only,
                                           size_t stopped_shown, size_t* hidden) {
  std::vector<const state::Task*> shown;
  std::map<std::string, std::vector<const state::Task*>> stopped;
  for (const state::Task& task : snapshot.tasks) {
    if (!only.empty() && task.service != only) continue;
    if (task.last_status == state::TaskStatus::kStopped) {
      stopped[task.service].push_back(&task);
    } else {
      shown.push_back(&task);
    }
  }
  *hidden = 0;
  for (auto& [service, tasks] : stopped) {
    std::stable_sort(tasks.begin(), tasks.end(), [](const auto* a, const auto* b) {
      return a->stopped_at.value_or(a->created_at) > b->stopped_at.value_or(b->created_at);
    });
    const size_t count = std::min(tasks.size(), stopped_shown);
    shown.insert(shown.end(), tasks.begin(), tasks.begin() + static_cast<std::ptrdiff_t>(count));
    *hidden += tasks.size() - count;
  }
  return shown;
}

std::string HiddenTasksNote(size_t hidden) {
  if (hidden == 0) return "";
  return "  (" + std::to_string(hidden) + " older stopped task" + (hidden == 1 ? "" : "s") +
         " not shown; `drydock status --output json` lists every task)\n";
}

std::string TasksSection(const state::Snapshot& snapshot) {
  if (snapshot.tasks.empty()) return "Tasks: none\n";
  size_t hidden = 0;
  const std::vector<const state::Task*> tasks =
      ShownTasks(snapshot, "", static_cast<size_t>(kStoppedTasksShown), &hidden);
  TextTable table({false, false, false, false, false, true, false});
  table.AddRow({"TASK", "SERVICE", "STATUS", "INSTANCE", "ZONE", "PORT", "STOPPED REASON"});
  for (const state::Task* task : tasks) AddTaskRow(table, *task);
  return "Tasks\n" + table.Render("  ") + HiddenTasksNote(hidden);
}

// ---- drydock status SERVICE ----

std::string ServiceDeploymentsSection(const state::Snapshot& snapshot,
                                      const std::string& service) {
  const std::vector<const state::Deployment*> listed = ListedDeployments(snapshot, service);
  if (listed.empty()) return "Deployments: none\n";
  TextTable table(kDeploymentRightAligned);
  table.AddRow(kDeploymentHeadings);
  for (const state::Deployment* deployment : listed) {
    table.AddRow(DeploymentCells(snapshot, *deployment));
  }
  return "Deployments\n" + table.Render("  ");
}

// The newest INACTIVE deployments; "" when there is none.
std::string DeploymentHistorySection(const state::Snapshot& snapshot,
                                     const std::string& service) {
  const std::vector<const state::Deployment*> inactive =
      InactiveDeployments(snapshot, service, static_cast<size_t>(kDeploymentHistoryShown));
  if (inactive.empty()) return "";
  TextTable table;
  table.AddRow({"DEPLOYMENT", "TASK DEFINITION", "ROLLOUT", "REASON"});
  for (const state::Deployment* deployment : inactive) {
    table.AddRow({deployment->id, deployment->task_definition,
                  state::RolloutStateName(deployment->rollout_state),
                  deployment->rollout_state_reason});
  }
  return "Deployment history (newest " + std::to_string(kDeploymentHistoryShown) +
         " inactive)\n" + table.Render("  ");
}

std::string ServiceTasksSection(const state::Snapshot& snapshot, const std::string& service) {
  size_t hidden = 0;
  const std::vector<const state::Task*> tasks =
      ShownTasks(snapshot, service, static_cast<size_t>(kServiceStoppedTasksShown), &hidden);
  if (tasks.empty()) return "Tasks: none\n";
  TextTable table({false, false, false, false, false, false, true, false});
  table.AddRow(
      {"TASK", "STATUS", "HEALTH", "DEPLOYMENT", "INSTANCE", "ZONE", "PORT", "STOPPED REASON"});
  for (const state::Task* task : tasks) {
    table.AddRow({ShortTaskId(task->task_id), TaskStatusCell(*task),
                  state::HealthStatusName(task->health_status),
                  task->started_by.empty() ? "-" : task->started_by,
                  task->instance_id.empty() ? "-" : task->instance_id,
                  task->availability_zone.empty() ? "-" : task->availability_zone,
                  task->host_port > 0 ? std::to_string(task->host_port) : "-",
                  StoppedReasonCell(*task)});
  }
  return "Tasks\n" + table.Render("  ") + HiddenTasksNote(hidden);
}

std::string ServiceEventsSection(const state::Snapshot& snapshot, const std::string& service) {
  std::vector<const state::ServiceEvent*> newest;  // newest first
  for (auto it = snapshot.events.rbegin(); it != snapshot.events.rend(); ++it) {
    if (it->service != service) continue;
    newest.push_back(&*it);
    if (newest.size() == static_cast<size_t>(kServiceEventsShown)) break;
  }
  if (newest.empty()) return "Events: none\n";
  std::string out =
      "Events (newest " + std::to_string(kServiceEventsShown) + ", oldest first)\n";
  for (auto it = newest.rbegin(); it != newest.rend(); ++it) {
    out += "  " + FormatTime((*it)->created_at) + " " + (*it)->message + "\n";
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
  std::string deployments = DeploymentsSection(snapshot);
  if (!deployments.empty()) deployments = "\n" + deployments;
  return Header(snapshot, options) + GroupLine(snapshot.group) + "\n" + InstancesSection(snapshot) +
         "\n" + ServicesSection(snapshot) + deployments + "\n" +
         LoadBalancerSection(options.load_balancer) + "\n" + TasksSection(snapshot);
}

std::string DescribeServiceText(const state::Snapshot& snapshot, const std::string& service,
                                const DescribeOptions& options) {
  if (!snapshot.FindService(service)) return "";
  std::string history = DeploymentHistorySection(snapshot, service);
  if (!history.empty()) history = "\n" + history;
  return Header(snapshot, options) + "\nService\n" + ServicesTable(snapshot, service) + "\n" +
         ServiceDeploymentsSection(snapshot, service) + history + "\n" +
         ServiceTasksSection(snapshot, service) + "\n" + ServiceEventsSection(snapshot, service);
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

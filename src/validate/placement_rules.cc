// How many tasks the group's instances hold (rulebook sections 2 and 3): every
// task needs CPU units and memory, one ENI in awsvpc mode (ENIs - 1 per
// instance) and its port in host mode. All services share the instances;
// tasks are packed (first-fit decreasing, aws/placement_math.h, as `drydock
// plan` does) on instances of the smallest configured type.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "aws/ecs_rules.h"
#include "aws/placement_math.h"
#include "base/strings.h"
#include "validate/instances.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

// Above this many tasks the model is not run (packing is per task); no real
// service set comes near it.
constexpr int64_t kMaxModeledTasks = 1000000;

struct Model {
  const config::Settings* settings = nullptr;
  aws::InstanceShape host;
  std::string host_name;
  bool awsvpc = false;
  bool host_mode = false;
};

aws::TaskShape Shape(const Model& model, const ServiceSettings& service, bool use_eni) {
  return aws::TaskShape{service.cpu, service.memory, use_eni && model.awsvpc,
                        model.host_mode ? service.container_port : 0};
}

// One group per service at its desired count, except `deploying` (if any)
// at `deploying_count`. `use_eni` false models the same tasks in bridge mode.
std::vector<aws::TaskGroup> Groups(const Model& model, const ServiceSettings* deploying,
                                   int deploying_count, bool use_eni) {
  std::vector<aws::TaskGroup> groups;
  for (const ServiceSettings& service : model.settings->services) {
    const int count = &service == deploying ? deploying_count : service.desired_count;
    groups.push_back({Shape(model, service, use_eni), count});
  }
  return groups;
}

int64_t Total(const std::vector<aws::TaskGroup>& groups) {
  int64_t total = 0;
  for (const aws::TaskGroup& group : groups) total += group.count;
  return total;
}

// Instances of the smallest configured type that hold `groups` (packed
// first-fit decreasing, as `drydock plan` does); -1 when a task fits none.
int Needed(const Model& model, const std::vector<aws::TaskGroup>& groups) {
  return aws::BinpackInstances(model.host, groups);
}

std::string Instances(const Model& model, int count) {
  return Str(count) + " instance" + (count == 1 ? "" : "s") + " of " + model.host_name;
}

// "each holds 2 tasks of nginx or api, limited by its 2 awsvpc task ENIs
// where CPU and memory alone would allow 7": services with the same figures
// are named together.
std::string PerInstance(const Model& model) {
  struct Line {
    int tasks;
    int without_eni;  // -1 when ENIs are not the limit
    std::vector<std::string> names;
  };
  std::vector<Line> lines;
  for (const ServiceSettings& service : model.settings->services) {
    const aws::PerInstance fit = aws::TasksPerInstance(model.host, Shape(model, service, true));
    const int without = fit.bound_by == aws::Limit::kEni ? std::min(fit.by_cpu, fit.by_memory) : -1;
    auto same = std::find_if(lines.begin(), lines.end(), [&](const Line& line) {
      return line.tasks == fit.tasks && line.without_eni == without;
    });
    if (same == lines.end()) same = lines.insert(lines.end(), Line{fit.tasks, without, {}});
    same->names.push_back(service.name);
  }
  std::vector<std::string> parts;
  for (const Line& line : lines) {
    std::string part = Str(line.tasks) + (line.tasks == 1 ? " task of " : " tasks of ") +
                       Join(line.names, " or ");
    if (line.without_eni >= 0) {
      part += ", limited by its " + Str(model.host.task_enis) +
              " awsvpc task ENIs where CPU and memory alone would allow " + Str(line.without_eni);
    }
    parts.push_back(part);
  }
  return "each holds " + Join(parts, "; ");
}

// What `hosts` instances hold: "2 instances of t3.medium hold 4" when every
// task has the same shape, else "2 instances of t3.medium are not enough".
std::string Hold(const Model& model, const std::vector<aws::TaskGroup>& groups, int hosts) {
  const aws::TaskShape first = groups.front().shape;
  for (const aws::TaskGroup& group : groups) {
    if (!(group.shape == first)) return Instances(model, hosts) + " are not enough";
  }
  const int per_instance = aws::TasksPerInstance(model.host, first).tasks;
  return Instances(model, hosts) + " hold " + Str(per_instance * hosts);
}

// "nginx 4, api 2: 6 tasks".
std::string TaskList(const Model& model, const std::vector<aws::TaskGroup>& groups) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < groups.size(); ++i) {
    parts.push_back(model.settings->services[i].name + " " + Str(groups[i].count));
  }
  return Join(parts, ", ") + ": " + std::to_string(Total(groups)) + " tasks";
}

// The fix that moves awsvpc tasks to bridge mode, when that alone makes
// `groups` fit on `hosts` instances; "" otherwise.
std::string BridgeFix(const Model& model, const std::vector<aws::TaskGroup>& groups, int hosts) {
  if (!model.awsvpc) return "";
  std::vector<aws::TaskGroup> bridged = groups;
  for (aws::TaskGroup& group : bridged) group.shape.uses_eni = false;
  const int needed = Needed(model, bridged);
  if (needed < 0 || needed > hosts) return "";
  return "set network_mode = \"bridge\" (tasks then share the instance's ENI and " +
         Instances(model, hosts) + " hold all " + std::to_string(Total(groups)) + "), or ";
}

// "the capacity provider to scale out to 3 instances (asg_max_size = 10
// allows it)".
std::string ScaleOutClause(const Model& model, int needed) {
  const int max = model.settings->asg_max_size;
  return "the capacity provider to scale out to " + Str(needed) +
         " instances (asg_max_size = " + Str(max) +
         (needed <= max ? " allows it)" : " does not allow it)");
}

// Desired tasks against asg_desired_capacity (warning) and asg_max_size
// (error). Returns whether they fit at asg_desired_capacity.
bool CheckDesiredTasks(Report& report, const Model& model) {
  const config::Settings& s = *model.settings;
  const std::vector<aws::TaskGroup> groups = Groups(model, nullptr, 0, true);
  const int needed = Needed(model, groups);
  if (needed <= s.asg_desired_capacity) return true;
  const std::string tasks = "the services' desired tasks (" + TaskList(model, groups) + ")";
  if (needed > s.asg_max_size) {
    report.Error("asg_max_size", "capacity-at-max",
                 tasks + " need " + Instances(model, needed) + " (" + PerInstance(model) +
                     "), but asg_max_size = " + Hold(model, groups, s.asg_max_size) +
                     ": the rest would wait in PROVISIONING and never run",
                 BridgeFix(model, groups, s.asg_max_size) + "raise asg_max_size to " + Str(needed) +
                     ", or use a larger instance type");
    return false;
  }
  report.Warning("asg_desired_capacity", "capacity-at-desired",
                 tasks + " do not fit: asg_desired_capacity = " +
                     Hold(model, groups, s.asg_desired_capacity) + " (" + PerInstance(model) +
                     "); they need " + ScaleOutClause(model, needed) + " before they all run",
                 BridgeFix(model, groups, s.asg_desired_capacity) +
                     "set asg_desired_capacity = " + Str(needed));
  return false;
}

// With minimum healthy 100 % a deployment must start a task before stopping
// one; if even asg_max_size has no room for one more, it can never progress.
// Returns whether it reported that.
bool CheckDeploymentRoom(Report& report, const Model& model, const ServiceSettings& service) {
  const config::Settings& s = *model.settings;
  const int d = service.desired_count;
  if (aws::HealthyFloor(d, service.deployment_minimum_healthy_percent) < d) return false;
  const std::vector<aws::TaskGroup> groups = Groups(model, &service, d + 1, true);
  const int needed = Needed(model, groups);
  if (needed <= s.asg_max_size) return false;
  report.Error(ServicePath(service, "deployment_minimum_healthy_percent"), "deployment-no-room",
               "a deployment of " + service.name + " can never progress: one more " + service.name +
                   " task beside the desired ones needs " + Instances(model, needed) + " (" +
                   PerInstance(model) + "), more than asg_max_size = " + Str(s.asg_max_size) +
                   ", and deployment_minimum_healthy_percent = " +
                   Str(service.deployment_minimum_healthy_percent) +
                   " forbids stopping an old task first",
               "lower deployment_minimum_healthy_percent to " + Str((d - 1) * 100 / d) +
                   " or less, or raise asg_max_size to " + Str(needed));
  return true;
}

// A rolling deployment of one service (the others at desired) at its
// ceiling floor(d * maximum_percent / 100).
void CheckDeployment(Report& report, const Model& model, const ServiceSettings& service) {
  const config::Settings& s = *model.settings;
  const int d = service.desired_count;
  const int ceiling = aws::RunningCeiling(d, service.deployment_maximum_percent);
  if (d <= 0 || ceiling <= d) return;  // a stall; the deployment rules report it
  if (CheckDeploymentRoom(report, model, service)) return;
  const std::vector<aws::TaskGroup> groups = Groups(model, &service, ceiling, true);
  const int needed = Needed(model, groups);
  if (needed <= s.asg_desired_capacity) return;
  const std::string consequence =
      needed <= s.asg_max_size
          ? "each deployment needs " + ScaleOutClause(model, needed)
          : "even asg_max_size = " + Str(s.asg_max_size) +
                " cannot hold them all, so deployments replace tasks in smaller batches";
  report.Warning(ServicePath(service, "deployment_maximum_percent"), "capacity-during-deployment",
                 "a rolling deployment of " + service.name + " may run " + Str(ceiling) + " " +
                     service.name + " tasks (deployment_maximum_percent = " +
                     Str(service.deployment_maximum_percent) + " of desired_count " + Str(d) +
                     "); with the other services at their desired counts "
                     "that is " +
                     TaskList(model, groups) +
                     ", but asg_desired_capacity = " + Hold(model, groups, s.asg_desired_capacity) +
                     " (" + PerInstance(model) + "): " + consequence,
                 BridgeFix(model, groups, s.asg_desired_capacity) +
                     "keep room for deployments with asg_desired_capacity = " +
                     Str(std::min(needed, s.asg_max_size)));
}

// Host mode: a container port is a host port; two tasks using it never share
// an instance, and the agent's reserved ports are never free.
void CheckHostPorts(Report& report) {
  const std::vector<ServiceSettings>& services = report.settings().services;
  for (size_t i = 0; i < services.size(); ++i) {
    const ServiceSettings& service = services[i];
    const std::string setting = ServicePath(service, "container_port");
    if (aws::IsReservedHostPort(service.container_port)) {
      report.Error(setting, "host-port-reserved",
                   "port " + Str(service.container_port) +
                       " is reserved by the ECS agent on every instance (22, 2375, 2376, "
                       "51678-51680); in host network mode the task can never be placed",
                   "use another container_port, or network_mode = \"bridge\" or \"awsvpc\"");
    }
    for (size_t j = 0; j < i; ++j) {
      if (services[j].container_port != service.container_port) continue;
      report.Warning(setting, "host-port-conflict",
                     "services " + services[j].name + " and " + service.name + " both use port " +
                         Str(service.container_port) +
                         " in host network mode: their tasks can never share an instance",
                     "give " + service.name +
                         " another container_port, or use network_mode = "
                         "\"bridge\" or \"awsvpc\"");
      break;
    }
  }
}

// True when every input the model needs is valid (the other rules report
// what is not).
bool ModelUsable(const config::Settings& s, const Model& model) {
  int64_t total = 0;
  if (s.services.empty() || s.asg_desired_capacity < 0 || s.asg_max_size < 1 ||
      s.asg_desired_capacity > s.asg_max_size) {
    return false;
  }
  for (const ServiceSettings& service : s.services) {
    if (service.cpu < aws::kMinTaskCpuUnits || service.memory < aws::kMinTaskMemoryMib ||
        service.desired_count < 0 || service.container_port < 1 || service.container_port > 65535 ||
        service.deployment_maximum_percent < aws::kMinMaximumPercent ||
        service.deployment_maximum_percent > aws::kMaxMaximumPercent ||
        service.deployment_minimum_healthy_percent < 0 ||
        service.deployment_minimum_healthy_percent > 100) {
      return false;
    }
    if (aws::TasksPerInstance(model.host, Shape(model, service, true)).tasks == 0) return false;
    total += service.desired_count;
  }
  return total <= kMaxModeledTasks;
}

}  // namespace

void CheckPlacement(Report& report) {
  const config::Settings& s = report.settings();
  if (s.network_mode == "host") CheckHostPorts(report);
  const std::vector<const aws::InstanceType*> types = ConfiguredInstanceTypes(s);
  if (types.empty()) return;
  const SmallestInstance smallest = Smallest(types);
  const Model model{&s, smallest.shape, smallest.name, s.network_mode == "awsvpc",
                    s.network_mode == "host"};
  if (!ModelUsable(s, model)) return;
  if (!CheckDesiredTasks(report, model)) return;
  for (const ServiceSettings& service : s.services) CheckDeployment(report, model, service);
}

}  // namespace drydock::validate

#include "plan/capacity.h"

#include <algorithm>

#include "aws/asg_mix.h"
#include "aws/instance_types.h"
#include "plan/capacity_text.h"

namespace drydock::plan {
namespace {

std::vector<const aws::InstanceType*> KnownTypes(const std::vector<std::string>& names) {
  std::vector<const aws::InstanceType*> types;
  for (const std::string& name : names) {
    if (const aws::InstanceType* type = aws::FindInstanceType(name)) types.push_back(type);
  }
  return types;
}

std::vector<SizeMix> MixTable(const config::Settings& s) {
  std::vector<SizeMix> table;
  for (int size = std::max(0, s.asg_min_size); size <= s.asg_max_size; ++size) {
    const aws::PurchaseMix mix =
        aws::MixForGroupSize(size, s.on_demand_base_capacity, s.on_demand_percentage_above_base);
    table.push_back(SizeMix{size, mix.on_demand, mix.spot});
  }
  return table;
}

ServiceCapacity ServiceFits(const config::ServiceSettings& service, const std::string& mode,
                            const std::vector<const aws::InstanceType*>& types,
                            const aws::InstanceShape& worst_case) {
  ServiceCapacity out{service.name, service.desired_count, service.cpu, service.memory, {}, {}};
  if (service.cpu <= 0 || service.memory <= 0) return out;
  const aws::TaskShape shape = TaskShapeOf(service, mode);
  out.worst_case = aws::TasksPerInstance(worst_case, shape);
  for (const aws::InstanceType* type : types) {
    out.per_type.push_back(
        TypeFit{std::string(type->name), aws::TasksPerInstance(aws::ShapeOf(*type), shape)});
  }
  return out;
}

// Task groups for every service, with `count_of(service)` tasks each.
template <typename CountOf>
std::vector<aws::TaskGroup> Groups(const config::Settings& s, CountOf count_of) {
  std::vector<aws::TaskGroup> groups;
  for (const config::ServiceSettings& service : s.services) {
    if (service.cpu <= 0 || service.memory <= 0) continue;
    groups.push_back(aws::TaskGroup{TaskShapeOf(service, s.network_mode), count_of(service)});
  }
  return groups;
}

Scenario Place(const CapacityReport& report, Scenario scenario,
               const std::vector<aws::TaskGroup>& groups) {
  scenario.tasks = 0;
  for (const aws::TaskGroup& group : groups) scenario.tasks += group.count;
  scenario.instances_needed = aws::BinpackInstances(report.worst_case, groups);
  const bool placeable = scenario.instances_needed >= 0;
  scenario.fits_at_desired = placeable && scenario.instances_needed <= report.desired_capacity;
  scenario.fits_at_max = placeable && scenario.instances_needed <= report.max_size;
  return scenario;
}

int AutoscalingMax(const config::ServiceSettings& service) {
  return std::max(service.desired_count, service.autoscaling_max_capacity);
}

std::vector<Scenario> Scenarios(const config::Settings& s, const CapacityReport& report) {
  std::vector<Scenario> scenarios;
  auto desired = [](const config::ServiceSettings& svc) { return svc.desired_count; };
  scenarios.push_back(
      Place(report, Scenario{Scenario::Kind::kSteady, "", "steady state"}, Groups(s, desired)));
  for (const config::ServiceSettings& deploying : s.services) {
    auto during = [&](const config::ServiceSettings& svc) {
      return svc.name == deploying.name ? DeploymentCeiling(svc) : svc.desired_count;
    };
    const std::string label = "deploying " + deploying.name + " (" +
                              std::to_string(deploying.deployment_maximum_percent) + "%)";
    scenarios.push_back(Place(report, Scenario{Scenario::Kind::kDeployment, deploying.name, label},
                              Groups(s, during)));
  }
  scenarios.push_back(Place(
      report, Scenario{Scenario::Kind::kAutoscalingMax, "", "all services at autoscaling max"},
      Groups(s, AutoscalingMax)));
  return scenarios;
}

// ECS's estimate (rulebook section 2): tasks grouped by identical
// requirements, each group binpacked on its own onto the largest shape.
ProviderEstimate Provider(const config::Settings& s, const CapacityReport& report) {
  std::vector<aws::TaskGroup> merged;
  auto desired = [](const config::ServiceSettings& svc) { return svc.desired_count; };
  for (const aws::TaskGroup& group : Groups(s, desired)) {
    auto same = [&](const aws::TaskGroup& g) { return g.shape == group.shape; };
    auto it = std::find_if(merged.begin(), merged.end(), same);
    if (it == merged.end()) {
      merged.push_back(group);
    } else {
      it->count += group.count;
    }
  }
  ProviderEstimate estimate;
  for (const aws::TaskGroup& group : merged) {
    estimate.instances_needed += std::max(0, aws::BinpackInstances(report.largest, {group}));
  }
  estimate.target_capacity = std::clamp(s.capacity_provider_target_capacity, 1, 100);
  const int n = report.desired_capacity;
  const int m = estimate.instances_needed;
  estimate.reservation_percent = n == 0 ? (m == 0 ? 100 : 200) : (m * 100 + n - 1) / n;
  const int wanted = (m * 100 + estimate.target_capacity - 1) / estimate.target_capacity;
  estimate.group_desired =
      std::clamp(wanted, report.min_size, std::max(report.min_size, report.max_size));
  return estimate;
}

}  // namespace

aws::TaskShape TaskShapeOf(const config::ServiceSettings& service,
                           const std::string& network_mode) {
  aws::TaskShape shape;
  shape.cpu_units = service.cpu;
  shape.memory_mib = service.memory;
  shape.uses_eni = network_mode == "awsvpc";
  shape.host_port = network_mode == "host" ? service.container_port : 0;
  return shape;
}

int DeploymentCeiling(const config::ServiceSettings& service) {
  return service.desired_count * service.deployment_maximum_percent / 100;
}

std::vector<std::string> ConfiguredInstanceTypes(const config::Settings& settings) {
  std::vector<std::string> names{settings.instance_type};
  for (const std::string& name : settings.spot_instance_types) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

CapacityReport BuildCapacity(const config::Settings& s) {
  CapacityReport report;
  report.min_size = s.asg_min_size;
  report.max_size = s.asg_max_size;
  report.desired_capacity = s.asg_desired_capacity;
  report.on_demand_base = s.on_demand_base_capacity;
  report.on_demand_percent_above_base = s.on_demand_percentage_above_base;
  report.network_mode = s.network_mode;
  const std::vector<const aws::InstanceType*> types = KnownTypes(ConfiguredInstanceTypes(s));
  for (const std::string& name : ConfiguredInstanceTypes(s)) {
    (aws::FindInstanceType(name) ? report.instance_types : report.unknown_types).push_back(name);
  }
  report.asg_mix = MixTable(s);
  if (types.empty()) return report;
  report.worst_case = aws::SmallestShape(types);
  report.largest = aws::LargestShape(types);
  for (const config::ServiceSettings& service : s.services) {
    report.services.push_back(ServiceFits(service, s.network_mode, types, report.worst_case));
  }
  report.scenarios = Scenarios(s, report);
  report.provider = Provider(s, report);
  report.conclusions = CapacityConclusions(s, report);
  return report;
}

}  // namespace drydock::plan

#include "plan/capacity_text.h"

#include <fmt/format.h>

#include "aws/asg_mix.h"

namespace drydock::plan {
namespace {

std::string Instances(int n) { return fmt::format("{} instance{}", n, n == 1 ? "" : "s"); }

std::string LimitPhrase(aws::Limit limit) {
  switch (limit) {
    case aws::Limit::kCpu:
      return "CPU";
    case aws::Limit::kMemory:
      return "memory";
    case aws::Limit::kEni:
      return "ENIs";
    case aws::Limit::kHostPort:
      return "its static host port";
  }
  return "CPU";
}

// Where the worst-case figure holds: one type, every type, or the worst case.
std::string WhereItHolds(const CapacityReport& report, const ServiceCapacity& service) {
  if (report.instance_types.size() == 1) return "on " + report.instance_types[0];
  for (const TypeFit& fit : service.per_type) {
    if (fit.per_instance.tasks != service.worst_case.tasks) {
      return "on the worst case of the configured types";
    }
  }
  return "on each configured type";
}

std::string ServiceSentence(const CapacityReport& report, const ServiceCapacity& service) {
  if (service.cpu <= 0 || service.memory <= 0) return "";
  const aws::PerInstance& fit = service.worst_case;
  std::string limits = fmt::format("CPU allows {}, memory {}", fit.by_cpu, fit.by_memory);
  if (fit.by_eni >= 0) limits += fmt::format(", ENIs {}", fit.by_eni);
  return fmt::format("{}: {} task{} per instance {}, bound by {} ({}).", service.name, fit.tasks,
                     fit.tasks == 1 ? "" : "s", WhereItHolds(report, service),
                     LimitPhrase(fit.bound_by), limits);
}

std::string ScenarioSentence(const config::Settings& settings, const CapacityReport& report,
                             const Scenario& scenario) {
  std::string head =
      fmt::format("{}: {} task{}", scenario.label, scenario.tasks, scenario.tasks == 1 ? "" : "s");
  if (scenario.instances_needed < 0) {
    return head + " - a task fits no configured instance type, nothing can place it.";
  }
  head += " need " + Instances(scenario.instances_needed);
  if (scenario.fits_at_desired) {
    return head + fmt::format("; fits at desired capacity {}.", report.desired_capacity);
  }
  if (scenario.fits_at_max) {
    return head + fmt::format(
                      "; does not fit at desired capacity {} - the capacity provider must scale "
                      "out to {} ({}; asg_max_size {} allows it) while the extra tasks wait in "
                      "PROVISIONING.",
                      report.desired_capacity, scenario.instances_needed,
                      MixPhrase(settings, scenario.instances_needed), report.max_size);
  }
  std::string tail = scenario.kind == Scenario::Kind::kDeployment
                         ? " - the deployment cannot finish start-first; lower "
                           "deployment_maximum_percent, use smaller tasks or raise asg_max_size."
                         : " - service auto scaling can ask for more tasks than the cluster can "
                           "run; the rest stay in PROVISIONING.";
  return head + fmt::format("; does not fit even at asg_max_size {}", report.max_size) + tail;
}

std::string ProviderSentence(const CapacityReport& report) {
  const ProviderEstimate& p = report.provider;
  return fmt::format(
      "Capacity provider: ECS estimates {} for the desired tasks (binpack on the largest "
      "configured type); with {} running, CapacityProviderReservation = {}% against a target "
      "of {}%, so managed scaling sets the group to {} (min {}, max {}).",
      Instances(p.instances_needed), Instances(report.desired_capacity), p.reservation_percent,
      p.target_capacity, p.group_desired, report.min_size, report.max_size);
}

}  // namespace

std::string MixPhrase(const config::Settings& settings, int size) {
  const aws::PurchaseMix mix = aws::MixForGroupSize(size, settings.on_demand_base_capacity,
                                                    settings.on_demand_percentage_above_base);
  return fmt::format("{} On-Demand + {} Spot", mix.on_demand, mix.spot);
}

std::vector<std::string> CapacityConclusions(const config::Settings& settings,
                                             const CapacityReport& report) {
  std::vector<std::string> out;
  out.push_back(fmt::format("At desired capacity {} the group runs {}; at asg_max_size {}, {}.",
                            report.desired_capacity, MixPhrase(settings, report.desired_capacity),
                            report.max_size, MixPhrase(settings, report.max_size)));
  for (const ServiceCapacity& service : report.services) {
    std::string sentence = ServiceSentence(report, service);
    if (!sentence.empty()) out.push_back(std::move(sentence));
  }
  for (const Scenario& scenario : report.scenarios) {
    out.push_back(ScenarioSentence(settings, report, scenario));
  }
  out.push_back(ProviderSentence(report));
  return out;
}

}  // namespace drydock::plan

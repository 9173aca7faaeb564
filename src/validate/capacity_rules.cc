// The Auto Scaling group (rulebook section 1), its instance types and Spot
// settings, and the capacity provider (section 2).
#include <set>
#include <string>
#include <vector>

#include "aws/ecs_rules.h"
#include "base/strings.h"
#include "validate/instances.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

constexpr int kMaxScalingStep = 10000;
constexpr int kMaxInstanceWarmup = 10000;

void CheckGroupSizes(Report& report) {
  const config::Settings& s = report.settings();
  const bool min_ok = RequireRange(report, "asg_min_size", "asg-size-range", s.asg_min_size, 0,
                                   kNoUpperBound, "Auto Scaling group sizes");
  const bool max_ok =
      RequireRange(report, "asg_max_size", "asg-size-range", s.asg_max_size, 1, kNoUpperBound,
                   "Auto Scaling group maximum sizes (a capacity provider needs "
                   "at least one instance)");
  const bool desired_ok =
      RequireRange(report, "asg_desired_capacity", "asg-size-range", s.asg_desired_capacity, 0,
                   kNoUpperBound, "Auto Scaling group sizes");
  const bool ok = min_ok && max_ok && desired_ok;
  if (!ok) return;
  const std::string sizes = "asg_min_size = " + Str(s.asg_min_size) +
                            ", asg_desired_capacity = " + Str(s.asg_desired_capacity) +
                            ", asg_max_size = " + Str(s.asg_max_size);
  if (s.asg_min_size > s.asg_max_size) {
    report.Error("asg_min_size", "asg-size-order",
                 sizes + ": the minimum is above the maximum; AWS requires min <= desired <= max",
                 "lower asg_min_size to at most " + Str(s.asg_max_size) + " or raise asg_max_size");
  } else if (s.asg_desired_capacity < s.asg_min_size || s.asg_desired_capacity > s.asg_max_size) {
    report.Error(
        "asg_desired_capacity", "asg-size-order",
        sizes +
            ": the desired capacity is outside [min, max]; AWS requires "
            "min <= desired <= max",
        "set asg_desired_capacity between " + Str(s.asg_min_size) + " and " + Str(s.asg_max_size));
  }
}

void CheckPurchaseMix(Report& report) {
  const config::Settings& s = report.settings();
  RequireRange(report, "on_demand_percentage_above_base", "on-demand-percentage-range",
               s.on_demand_percentage_above_base, 0, 100, "OnDemandPercentageAboveBaseCapacity");
  if (s.on_demand_base_capacity < 0) {
    RequireRange(report, "on_demand_base_capacity", "on-demand-base-range",
                 s.on_demand_base_capacity, 0, s.asg_max_size, "OnDemandBaseCapacity");
  } else if (s.asg_max_size >= 1 && s.on_demand_base_capacity > s.asg_max_size) {
    report.Error("on_demand_base_capacity", "on-demand-base-range",
                 "the On-Demand base (" + Str(s.on_demand_base_capacity) +
                     ") is above asg_max_size (" + Str(s.asg_max_size) +
                     "); the group can never hold that many On-Demand instances",
                 "set on_demand_base_capacity to at most " + Str(s.asg_max_size));
  }
}

std::string UnknownTypeFix(const std::string& name) {
  const std::string guess = ClosestMatch(name, aws::InstanceTypeNames());
  if (!guess.empty()) return "did you mean " + Quote(guess) + "?";
  return "use a type drydock knows: " + Join(aws::InstanceTypeNames(), ", ");
}

void CheckSpotTypes(Report& report) {
  const config::Settings& s = report.settings();
  const std::string setting = "spot_instance_types";
  std::set<std::string> seen;
  for (size_t i = 0; i < s.spot_instance_types.size(); ++i) {
    const std::string& name = s.spot_instance_types[i];
    const std::string shown = setting + "[" + std::to_string(i) + "]";
    if (aws::FindInstanceType(name) == nullptr) {
      report.ErrorAt(report.ElementPos(setting, i), shown, "spot-instance-type-unknown",
                     Quote(name) + " is not an instance type drydock knows", UnknownTypeFix(name));
    }
    if (!seen.insert(name).second) {
      report.ErrorAt(report.ElementPos(setting, i), shown, "spot-instance-type-duplicate",
                     Quote(name) +
                         " is listed twice; a mixed instances policy takes each "
                         "override once",
                     "remove the second " + Quote(name));
    }
  }
  if (s.spot_instance_types.empty() && SpotCanBeUsed(s)) {
    report.Error(setting, "spot-instance-types-empty",
                 "a Spot percentage with no Spot types: on_demand_percentage_above_base = " +
                     Str(s.on_demand_percentage_above_base) + " leaves " +
                     Str(100 - s.on_demand_percentage_above_base) +
                     " % of the instances above the base to Spot, but no Spot instance type is "
                     "listed",
                 "list Spot types, e.g. spot_instance_types = [\"t3.medium\", \"t3a.medium\", "
                 "\"t2.medium\"], or set on_demand_percentage_above_base = 100");
  }
}

// Catalog types of another family with the same vCPUs and memory as `type`.
std::vector<std::string> SameSizeOtherFamilies(const aws::InstanceType& type) {
  std::vector<std::string> out;
  for (const std::string& name : aws::InstanceTypeNames()) {
    const aws::InstanceType* other = aws::FindInstanceType(name);
    if (other->family() != type.family() && other->vcpus == type.vcpus &&
        other->memory_mib == type.memory_mib) {
      out.push_back(name);
    }
  }
  return out;
}

void CheckSpotDiversity(Report& report) {
  const config::Settings& s = report.settings();
  if (!SpotCanBeUsed(s) || s.spot_instance_types.empty()) return;
  std::set<std::string> families;
  const aws::InstanceType* first = nullptr;
  for (const std::string& name : s.spot_instance_types) {
    const aws::InstanceType* type = aws::FindInstanceType(name);
    if (type == nullptr) return;  // reported as unknown
    if (first == nullptr) first = type;
    families.insert(std::string(type->family()));
  }
  if (families.size() != 1) return;
  const std::vector<std::string> others = SameSizeOtherFamilies(*first);
  report.Warning("spot_instance_types", "spot-types-one-family",
                 "every Spot type is in the " + std::string(first->family()) +
                     " family: fewer Spot pools, so interruptions and capacity shortages hit "
                     "all Spot instances at once",
                 others.empty() ? "add Spot types from other families"
                                : "add types from other families, e.g. " + Join(others, ", "));
}

void CheckAllocationStrategy(Report& report) {
  static const std::vector<std::string> kStrategies = {"lowest-price", "capacity-optimized",
                                                       "capacity-optimized-prioritized",
                                                       "price-capacity-optimized"};
  const std::string& strategy = report.settings().spot_allocation_strategy;
  for (const std::string& allowed : kStrategies) {
    if (strategy == allowed) return;
  }
  const std::string guess = ClosestMatch(strategy, kStrategies);
  report.Error(
      "spot_allocation_strategy", "spot-allocation-strategy",
      Quote(strategy) + " is not a Spot allocation strategy (" + Join(kStrategies, ", ") + ")",
      guess.empty() ? "use \"price-capacity-optimized\", which AWS recommends"
                    : "did you mean " + Quote(guess) + "?");
}

void CheckCapacityProvider(Report& report) {
  const config::Settings& s = report.settings();
  RequireRange(report, "capacity_provider_target_capacity", "capacity-provider-target-range",
               s.capacity_provider_target_capacity, 1, 100, "ManagedScaling targetCapacity");
  const bool min_ok =
      RequireRange(report, "capacity_provider_minimum_scaling_step_size",
                   "capacity-provider-step-range", s.capacity_provider_minimum_scaling_step_size, 1,
                   kMaxScalingStep, "ManagedScaling minimumScalingStepSize");
  const bool max_ok =
      RequireRange(report, "capacity_provider_maximum_scaling_step_size",
                   "capacity-provider-step-range", s.capacity_provider_maximum_scaling_step_size, 1,
                   kMaxScalingStep, "ManagedScaling maximumScalingStepSize");
  if (min_ok && max_ok &&
      s.capacity_provider_minimum_scaling_step_size >
          s.capacity_provider_maximum_scaling_step_size) {
    report.Error("capacity_provider_minimum_scaling_step_size", "capacity-provider-step-range",
                 "the minimum step (" + Str(s.capacity_provider_minimum_scaling_step_size) +
                     ") is above the maximum step (" +
                     Str(s.capacity_provider_maximum_scaling_step_size) + ")",
                 "set capacity_provider_minimum_scaling_step_size <= "
                 "capacity_provider_maximum_scaling_step_size");
  }
  RequireRange(report, "capacity_provider_instance_warmup_period", "capacity-provider-warmup-range",
               s.capacity_provider_instance_warmup_period, 0, kMaxInstanceWarmup,
               "ManagedScaling instanceWarmupPeriod in seconds");
}

}  // namespace

void CheckCapacity(Report& report) {
  CheckGroupSizes(report);
  CheckPurchaseMix(report);
  const std::string& instance_type = report.settings().instance_type;
  if (aws::FindInstanceType(instance_type) == nullptr) {
    report.Error("instance_type", "instance-type-unknown",
                 Quote(instance_type) + " is not an instance type drydock knows",
                 UnknownTypeFix(instance_type));
  }
  CheckSpotTypes(report);
  CheckSpotDiversity(report);
  CheckAllocationStrategy(report);
  CheckCapacityProvider(report);
}

}  // namespace drydock::validate

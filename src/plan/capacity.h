// The capacity section of `drydock plan`: the group's On-Demand / Spot split
// per size, tasks per instance per service and instance type, whether the
// services' tasks fit (steady, during each deployment, at the autoscaling
// maximum), and what the capacity provider's estimate asks for.
// Method: docs/plan.md "Capacity".
#pragma once

#include <string>
#include <vector>

#include "aws/placement_math.h"
#include "config/spec/settings.h"

namespace drydock::plan {

struct SizeMix {
  int size = 0;
  int on_demand = 0;
  int spot = 0;
};

struct TypeFit {
  std::string instance_type;
  aws::PerInstance per_instance;
};

struct ServiceCapacity {
  std::string name;
  int desired_count = 0;
  int cpu = 0;
  int memory = 0;
  std::vector<TypeFit> per_type;  // one per configured instance type, in `instance_types` order
  aws::PerInstance worst_case;    // on the report's worst-case shape
};

// One placement question: can the group hold these tasks?
struct Scenario {
  enum class Kind { kSteady, kDeployment, kAutoscalingMax };
  Kind kind = Kind::kSteady;
  std::string service;  // the deploying service (kDeployment only)
  std::string label;    // "steady state", "deploying nginx (200%)", ...
  int tasks = 0;
  int instances_needed = -1;  // on the worst-case shape; -1 when a task fits no instance
  bool fits_at_desired = false;
  bool fits_at_max = false;
};

// What ECS managed scaling would ask for when the desired tasks run.
struct ProviderEstimate {
  int instances_needed = 0;     // M: binpack per task shape on the largest shape
  int target_capacity = 100;    // percent
  int reservation_percent = 0;  // CapacityProviderReservation with N = desired capacity
  int group_desired = 0;        // ceil(M * 100 / target), clamped to [min, max]
};

struct CapacityReport {
  int min_size = 0;
  int max_size = 0;
  int desired_capacity = 0;
  int on_demand_base = 0;
  int on_demand_percent_above_base = 0;
  std::string network_mode;
  std::vector<std::string> instance_types;  // instance_type then the Spot types, deduplicated
  std::vector<std::string> unknown_types;   // configured but not in the catalog (skipped)
  aws::InstanceShape worst_case;            // per dimension smallest configured type
  aws::InstanceShape largest;               // per dimension largest configured type
  std::vector<SizeMix> asg_mix;             // min_size .. max_size
  std::vector<ServiceCapacity> services;    // source order
  std::vector<Scenario> scenarios;          // steady, one per deployment, autoscaling max
  ProviderEstimate provider;
  std::vector<std::string> conclusions;  // whole sentences, for people
};

CapacityReport BuildCapacity(const config::Settings& settings);

// The task shape of a service under the configured network mode.
aws::TaskShape TaskShapeOf(const config::ServiceSettings& service, const std::string& network_mode);

// Tasks running while `service` deploys: floor(desired * maximum_percent / 100).
int DeploymentCeiling(const config::ServiceSettings& service);

// The instance types the group can launch: instance_type, then the Spot
// types not already listed.
std::vector<std::string> ConfiguredInstanceTypes(const config::Settings& settings);

}  // namespace drydock::plan

// How the service scheduler treats each service: its placement policy and
// deployment configuration bounds (rulebook sections 3 and 4).
#pragma once

#include <map>
#include <string>

#include "config/spec/settings.h"
#include "control/placement/placement_policy.h"

namespace drydock::control {

struct ServicePolicy {
  PlacementPolicy placement = DefaultServicePlacement();
  int maximum_percent = 200;          // ceiling on RUNNING + PENDING while instances drain
  int minimum_healthy_percent = 100;  // floor on RUNNING while instances drain
};

struct SchedulerPolicy {
  std::map<std::string, ServicePolicy> services;  // by service name; absent -> defaults
  // At most this many tasks wait in PROVISIONING per cluster (rulebook
  // section 2, "Provisioning limits"); beyond it no task is created.
  int max_provisioning_tasks = 100;

  const ServicePolicy& For(const std::string& service) const;
};

SchedulerPolicy SchedulerPolicyFromSettings(const config::Settings& settings);

}  // namespace drydock::control

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
  // Bounds during a deployment or while instances drain: a ceiling on tasks
  // RUNNING + PENDING, a floor on healthy tasks (rulebook section 4).
  int maximum_percent = 200;
  int minimum_healthy_percent = 100;
  // The deployment circuit breaker: fail a deployment whose tasks keep
  // failing, and then roll back to the last COMPLETED one.
  bool circuit_breaker = true;
  bool rollback = true;
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

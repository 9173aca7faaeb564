// How the service scheduler treats each service: its placement policy and
// deployment configuration bounds (rulebook sections 3 and 4).
#pragma once

#include <map>
#include <string>

#include "base/time.h"
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
  // How long after a task reached RUNNING the scheduler ignores its failed
  // load-balancer health checks (ECS's healthCheckGracePeriodSeconds, default
  // 0). Live mode sets it to a few seconds of wall time in cluster time: at a
  // time scale of 50, a process that takes 1 s to start listening would
  // otherwise fail checks 50 cluster seconds apart.
  Duration health_check_grace{0};

  const ServicePolicy& For(const std::string& service) const;
};

SchedulerPolicy SchedulerPolicyFromSettings(const config::Settings& settings);

}  // namespace drydock::control

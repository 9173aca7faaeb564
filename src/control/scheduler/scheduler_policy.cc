#include "control/scheduler/scheduler_policy.h"

namespace drydock::control {

const ServicePolicy& SchedulerPolicy::For(const std::string& service) const {
  static const ServicePolicy kDefault;
  const auto it = services.find(service);
  return it == services.end() ? kDefault : it->second;
}

SchedulerPolicy SchedulerPolicyFromSettings(const config::Settings& settings) {
  SchedulerPolicy policy;
  for (const config::ServiceSettings& service : settings.services) {
    ServicePolicy& entry = policy.services[service.name];
    entry.maximum_percent = service.deployment_maximum_percent;
    entry.minimum_healthy_percent = service.deployment_minimum_healthy_percent;
    entry.circuit_breaker = service.deployment_circuit_breaker.enable;
    entry.rollback = service.deployment_circuit_breaker.rollback;
  }
  return policy;
}

}  // namespace drydock::control

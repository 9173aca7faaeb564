// Test helpers for the plan layer: the origin configuration built by hand
// (the defaults of Settings are the origin's values; the services are added).
#pragma once

#include <string>

#include "config/spec/settings.h"

namespace drydock::plan::testing {

inline config::ServiceSettings OriginService(const std::string& name, int priority) {
  config::ServiceSettings service;
  service.name = name;
  service.desired_count = 2;
  service.path_pattern = {"/" + name + "*"};
  service.priority = priority;
  service.container_port = 80;
  service.cpu = 256;
  service.memory = 512;
  service.autoscaling_min_capacity = 2;  // what the decoder fills in: desired_count
  return service;
}

inline config::Config OriginConfig() {
  config::Config config;
  config.file = "examples/origin/terraform.tfvars";
  config.settings.services = {OriginService("nginx", 100), OriginService("api", 110)};
  return config;
}

}  // namespace drydock::plan::testing

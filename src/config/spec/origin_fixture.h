// Test-only fixture shared by the layers above config: the origin's
// configuration built directly, without a parser. Settings' defaults are the
// origin's values, so only the two services need filling in.
#pragma once

#include <string>

#include "config/spec/settings.h"

namespace drydock::config::testing {

inline ServiceSettings OriginService(const std::string& name, int priority) {
  ServiceSettings service;
  service.name = name;
  service.desired_count = 2;
  service.path_pattern = {"/" + name + "*"};
  service.priority = priority;
  service.container_port = 80;
  service.cpu = 256;
  service.memory = 512;
  service.autoscaling_min_capacity = 2;  // the decoder's default: desired_count
  service.secrets = DefaultSecrets(name);  // the decoder's default
  return service;
}

// nginx (priority 100) and api (110); no source positions recorded.
inline Config OriginConfig(const std::string& file) {
  Config config;
  config.file = file;
  config.settings.services = {OriginService("nginx", 100), OriginService("api", 110)};
  return config;
}

}  // namespace drydock::config::testing

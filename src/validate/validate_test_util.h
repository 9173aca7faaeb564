// Test helpers for the validation rules: the origin's configuration built
// directly (no parser), with source positions as in
// examples/origin/terraform.tfvars, ready to be modified by a test.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "config/spec/origin_fixture.h"
#include "config/spec/settings.h"
#include "validate/validate.h"

namespace drydock::validate::testing {

using config::testing::OriginService;

// Positions as the decoder records them: an object at its key, any other
// value at the value itself.
inline void RecordService(config::SourceMap& sources, const std::string& name, int line) {
  const std::string base = "services." + name;
  sources.Record(base, {line, 3, 0});
  const char* fields[] = {"desired_count",  "path_pattern", "priority",
                          "container_port", "cpu",          "memory"};
  for (int i = 0; i < 6; ++i) sources.Record(base + "." + fields[i], {line + 1 + i, 22, 0});
  sources.Record(base + ".path_pattern.0", {line + 2, 23, 0});
}

// The origin file: services nginx (priority 100) and api (110), positions as
// the decoder records them for examples/origin/terraform.tfvars.
inline config::Config OriginConfig() {
  config::Config config = config::testing::OriginConfig("terraform.tfvars");
  const std::tuple<const char*, int, int> top[] = {{"region", 1, 15},
                                                   {"environment", 2, 15},
                                                   {"vpc_cidr", 3, 15},
                                                   {"cluster_name", 5, 24},
                                                   {"instance_type", 6, 24},
                                                   {"asg_min_size", 7, 24},
                                                   {"asg_max_size", 8, 24},
                                                   {"asg_desired_capacity", 9, 24},
                                                   {"on_demand_base_capacity", 12, 35},
                                                   {"on_demand_percentage_above_base", 13, 35},
                                                   {"services", 15, 1}};
  for (const auto& [path, line, column] : top) config.sources.Record(path, {line, column, 0});
  RecordService(config.sources, "nginx", 16);
  RecordService(config.sources, "api", 24);
  return config;
}

inline config::ServiceSettings& ServiceNamed(config::Config& config, const std::string& name) {
  for (config::ServiceSettings& service : config.settings.services) {
    if (service.name == name) return service;
  }
  config.settings.services.push_back(OriginService(name, 200));
  return config.settings.services.back();
}

inline std::vector<config::Diagnostic> WithRule(const config::Diagnostics& diagnostics,
                                                const std::string& rule) {
  std::vector<config::Diagnostic> out;
  for (const config::Diagnostic& d : diagnostics) {
    if (d.rule == rule) out.push_back(d);
  }
  return out;
}

inline std::vector<std::string> Rules(const config::Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const config::Diagnostic& d : diagnostics) out.push_back(d.rule);
  return out;
}

inline bool Has(const config::Diagnostics& diagnostics, const std::string& rule) {
  return !WithRule(diagnostics, rule).empty();
}

// The one diagnostic with `rule`; a test failure (and an empty diagnostic)
// when there are none or several.
inline config::Diagnostic Only(const config::Diagnostics& diagnostics, const std::string& rule) {
  std::vector<config::Diagnostic> found = WithRule(diagnostics, rule);
  EXPECT_EQ(found.size(), 1u) << rule;
  return found.empty() ? config::Diagnostic{} : found[0];
}

}  // namespace drydock::validate::testing

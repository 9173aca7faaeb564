// `drydock plan`: the AWS resources a configuration implies (grouped like the
// Terraform modules in deploy/aws), the capacity it gives, and what it costs.
#pragma once

#include <string>
#include <vector>

#include "config/spec/settings.h"

namespace drydock::plan {

struct Attribute {
  std::string key;
  std::string value;  // already rendered ("10.0.0.0/24", "true", "[\"/api*\"]")
};

struct Resource {
  std::string module;  // "networking", "alb", "ecs-cluster", "ecs-service[\"api\"]"
  std::string type;    // Terraform resource type, e.g. "aws_lb_listener_rule"
  std::string name;    // Terraform resource name, e.g. "service"; with index: "public[0]"
  std::vector<Attribute> attributes;
};

struct CapacityReport;  // defined by the plan builder (capacity.h)
struct CostReport;      // defined by the plan builder (cost.h)

// Everything `drydock plan` shows. The builder may add fields; renderers own
// the presentation.
struct Plan {
  std::vector<Resource> resources;
  std::string details_json;  // PLACEHOLDER until the builder lands
};

// Builds the plan for a configuration that passed validation.
// REQUIRES: validate::Validate(config) has no errors.
Plan BuildPlan(const config::Config& config);

std::string RenderText(const Plan& plan);
std::string RenderJson(const Plan& plan);

}  // namespace drydock::plan

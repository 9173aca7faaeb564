// `drydock plan`: the AWS resources a configuration implies (grouped like the
// Terraform modules in deploy/aws), the capacity it gives, and what it costs.
// docs/plan.md describes every section and the JSON schema.
#pragma once

#include <string>
#include <vector>

#include "config/spec/settings.h"
#include "plan/capacity.h"
#include "plan/cost.h"

namespace drydock::plan {

// One attribute of a planned resource. Keys may be dotted
// ("health_check.interval"): text output prints them as written, JSON output
// nests them ({"health_check": {"interval": 30}}).
struct Attribute {
  enum class Kind {
    kString,         // rendered quoted: "10.0.0.0/16"
    kNumber,         // 30, 0.5
    kBool,           // true
    kStringList,     // ["/api*"]
    kReference,      // another resource's attribute: aws_vpc.main.id (unquoted in text)
    kReferenceList,  // [aws_subnet.public[0].id, aws_subnet.public[1].id]
  };

  std::string key;
  Kind kind = Kind::kString;
  std::string text;                // kString, kReference
  double number = 0;               // kNumber
  bool flag = false;               // kBool
  std::vector<std::string> items;  // kStringList, kReferenceList

  static Attribute String(std::string key, std::string value);
  static Attribute Number(std::string key, double value);
  static Attribute Bool(std::string key, bool value);
  static Attribute StringList(std::string key, std::vector<std::string> values);
  static Attribute Reference(std::string key, std::string target);
  static Attribute ReferenceList(std::string key, std::vector<std::string> targets);
};

struct Resource {
  std::string module;  // "networking", "alb", "ecs-cluster", "ecs-service[\"api\"]"
  std::string type;    // Terraform resource type, e.g. "aws_lb_listener_rule"
  std::string name;    // Terraform resource name, e.g. "service"; with index: "public[0]"
  std::vector<Attribute> attributes;

  std::string Address() const { return type + "." + name; }  // "aws_subnet.public[0]"
};

// Everything `drydock plan` shows. Renderers own the presentation.
struct Plan {
  std::string region;
  std::string cluster_name;
  std::vector<std::string> modules;  // in output order, each once
  std::vector<Resource> resources;   // grouped by module, in `modules` order
  CapacityReport capacity;
  CostReport cost;
  std::vector<std::string> notes;  // assumptions and caveats, whole sentences
};

// Builds the plan for a configuration that passed validation.
// REQUIRES: validate::Validate(config) has no errors.
Plan BuildPlan(const config::Config& config);

std::string RenderText(const Plan& plan);
std::string RenderJson(const Plan& plan);

}  // namespace drydock::plan

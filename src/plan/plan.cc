#include "plan/plan.h"

#include <fmt/format.h>

#include "aws/instance_types.h"
#include "aws/pricing.h"
#include "base/strings.h"
#include "plan/resources.h"

namespace drydock::plan {
namespace {

bool HasReservedPrefix(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return StartsWith(lower, "aws") || StartsWith(lower, "ecs") || StartsWith(lower, "fargate");
}

std::vector<std::string> Notes(const config::Settings& s, const CapacityReport& capacity) {
  std::vector<std::string> notes;
  if (s.region != aws::kPricingRegion) {
    notes.push_back(
        fmt::format("Costs use {} prices: drydock has no price table for {}, where "
                    "prices differ.",
                    aws::kPricingRegion, s.region));
  }
  if (!capacity.unknown_types.empty()) {
    notes.push_back("Not in the instance catalog, left out of capacity and cost: " +
                    Join(capacity.unknown_types, ", ") + ".");
  }
  if (const aws::InstanceType* type = aws::FindInstanceType(s.instance_type)) {
    notes.push_back(
        fmt::format("ECS registers less memory than the nominal size: {} registers "
                    "{} MiB of {} (docs/instance-types.md).",
                    type->name, type->registered_memory_mib, type->memory_mib));
  }
  if (s.network_mode == "awsvpc") {
    notes.push_back(
        "awsvpc: each task takes one ENI and the primary ENI is the instance's; ENI "
        "trunking (off by default) is not assumed.");
  }
  if (!s.https_listen_address.empty() && s.certificate_arn.empty()) {
    notes.push_back(
        "https_listen_address is the local HTTPS listener only: the AWS target gets no HTTPS "
        "listener until certificate_arn names an ACM certificate.");
  }
  notes.push_back(
      "Placement uses the smallest configured instance type per dimension, the worst "
      "case the group can launch; several task sizes are packed first-fit "
      "decreasing.");
  if (HasReservedPrefix(CapacityProviderName(s))) {
    notes.push_back(
        fmt::format("The capacity provider name \"{}\" starts with aws, ecs or "
                    "fargate, which ECS refuses; rename the cluster.",
                    CapacityProviderName(s)));
  }
  return notes;
}

}  // namespace

Plan BuildPlan(const config::Config& config) {
  const config::Settings& s = config.settings;
  Plan plan;
  plan.region = s.region;
  plan.cluster_name = s.cluster_name;
  AddNetworking(s, &plan.resources);
  AddAlb(s, &plan.resources);
  AddCluster(s, &plan.resources);
  for (const config::ServiceSettings& service : s.services) AddService(s, service, &plan.resources);
  for (const Resource& resource : plan.resources) {
    if (plan.modules.empty() || plan.modules.back() != resource.module) {
      plan.modules.push_back(resource.module);
    }
  }
  plan.capacity = BuildCapacity(s);
  plan.cost = BuildCost(s);
  plan.notes = Notes(s, plan.capacity);
  return plan;
}

}  // namespace drydock::plan

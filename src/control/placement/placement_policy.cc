#include "control/placement/placement_policy.h"

namespace drydock::control {

PlacementPolicy DefaultServicePlacement() {
  PlacementPolicy policy;
  policy.strategies = {
      {PlacementStrategy::Type::kSpread, "attribute:ecs.availability-zone"},
      {PlacementStrategy::Type::kSpread, "instanceId"},
  };
  return policy;
}

Result<PlacementStrategy> MakeStrategy(std::string_view type, std::string_view field) {
  const std::string name(field);
  if (type == "spread") {
    if (name == "instanceId" || name == "host" ||
        (name.rfind("attribute:", 0) == 0 && name.size() > 10)) {
      return PlacementStrategy{PlacementStrategy::Type::kSpread, name};
    }
    return InvalidArgument("spread needs field instanceId, host or attribute:NAME, not \"" + name +
                           "\"");
  }
  if (type == "binpack") {
    if (name == "cpu" || name == "memory") {
      return PlacementStrategy{PlacementStrategy::Type::kBinpack, name};
    }
    return InvalidArgument("binpack needs field cpu or memory, not \"" + name + "\"");
  }
  if (type == "random") return PlacementStrategy{PlacementStrategy::Type::kRandom, ""};
  return InvalidArgument("unknown placement strategy \"" + std::string(type) +
                         "\" (spread, binpack or random)");
}

Result<PlacementConstraint> MakeConstraint(std::string_view type, std::string_view expression) {
  if (type == "distinctInstance") {
    if (!expression.empty()) return InvalidArgument("distinctInstance takes no expression");
    return PlacementConstraint{};
  }
  if (type == "memberOf") {
    if (expression.size() > 2000)
      return InvalidArgument("memberOf expression over 2000 characters");
    Result<MemberOfExpression> parsed = ParseMemberOf(expression);
    if (!parsed.ok()) return InvalidArgument("memberOf: " + parsed.status().message());
    return PlacementConstraint{PlacementConstraint::Type::kMemberOf, std::string(expression),
                               std::move(*parsed)};
  }
  return InvalidArgument("unknown placement constraint \"" + std::string(type) +
                         "\" (distinctInstance or memberOf)");
}

TaskNeeds NeedsOf(const state::TaskDefinition& definition) {
  TaskNeeds needs;
  needs.cpu_units = definition.cpu_units;
  needs.memory_mib = definition.memory_mib;
  needs.uses_eni = definition.network_mode == state::NetworkMode::kAwsvpc;
  if (definition.network_mode == state::NetworkMode::kHost) {
    needs.host_port = definition.container.container_port;
  }
  return needs;
}

}  // namespace drydock::control

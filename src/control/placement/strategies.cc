#include "control/placement/strategies.h"

namespace drydock::control {

RankKey PlacementRank(const ClusterView& view, const InstanceView& candidate,
                      const std::vector<PlacementStrategy>& strategies, const std::string& service,
                      const TaskNeeds& needs, Random& random) {
  RankKey key;
  for (const PlacementStrategy& strategy : strategies) {
    switch (strategy.type) {
      case PlacementStrategy::Type::kSpread:
        key.push_back(
            view.CountServiceTasks(service, strategy.field, candidate.FieldValue(strategy.field)));
        break;
      case PlacementStrategy::Type::kBinpack:
        key.push_back(strategy.field == "memory" ? candidate.remaining.memory_mib - needs.memory_mib
                                                 : candidate.remaining.cpu_units - needs.cpu_units);
        break;
      case PlacementStrategy::Type::kRandom:
        key.push_back(static_cast<int64_t>(random.Next() >> 1));
        break;
    }
  }
  return key;
}

}  // namespace drydock::control

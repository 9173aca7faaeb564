#include "control/placement/task_selection.h"

#include <algorithm>
#include <cstdint>

namespace drydock::control {
namespace {

std::string FieldOf(const StopCandidate& candidate, const std::string& field) {
  if (field == "instanceId" || field == "host") return candidate.instance_id;
  const std::string name = field.rfind("attribute:", 0) == 0 ? field.substr(10) : field;
  const auto it = candidate.attributes.find(name);
  return it == candidate.attributes.end() ? "" : it->second;
}

// Lower is stopped first: unplaced first, then the mirrored strategies.
std::vector<int64_t> StopRank(const std::vector<StopCandidate>& candidates,
                              const StopCandidate& candidate, const PlacementPolicy& policy,
                              Random& random) {
  std::vector<int64_t> key = {candidate.instance_id.empty() ? 0 : 1};
  for (const PlacementStrategy& strategy : policy.strategies) {
    switch (strategy.type) {
      case PlacementStrategy::Type::kSpread: {
        const std::string value = FieldOf(candidate, strategy.field);
        const auto same = std::count_if(candidates.begin(), candidates.end(), [&](auto& other) {
          return FieldOf(other, strategy.field) == value;
        });
        key.push_back(-static_cast<int64_t>(same));
        break;
      }
      case PlacementStrategy::Type::kBinpack:
        key.push_back(strategy.field == "memory"
                          ? -(candidate.instance_remaining.memory_mib + candidate.needs.memory_mib)
                          : -(candidate.instance_remaining.cpu_units + candidate.needs.cpu_units));
        break;
      case PlacementStrategy::Type::kRandom:
        key.push_back(static_cast<int64_t>(random.Next() >> 1));
        break;
    }
  }
  return key;
}

// Removes the chosen candidate and credits its resources to the tasks left
// on the same instance (binpack sees the instance emptier).
void Remove(std::vector<StopCandidate>* candidates, size_t index) {
  const StopCandidate gone = (*candidates)[index];
  candidates->erase(candidates->begin() + static_cast<std::ptrdiff_t>(index));
  if (gone.instance_id.empty()) return;
  for (StopCandidate& other : *candidates) {
    if (other.instance_id != gone.instance_id) continue;
    other.instance_remaining.cpu_units += gone.needs.cpu_units;
    other.instance_remaining.memory_mib += gone.needs.memory_mib;
  }
}

}  // namespace

std::vector<StopCandidate> StopCandidates(const state::Snapshot& snapshot,
                                          const std::vector<const state::Task*>& tasks) {
  const ClusterView view(snapshot);
  std::vector<StopCandidate> out;
  for (const state::Task* task : tasks) {
    StopCandidate candidate;
    candidate.task_id = task->task_id;
    candidate.instance_id = task->instance_id;
    if (const state::Instance* instance = snapshot.FindInstance(task->instance_id)) {
      candidate.attributes = InstanceAttributes(*instance);
    }
    if (const state::TaskDefinition* d = snapshot.FindTaskDefinition(task->task_definition)) {
      candidate.needs = NeedsOf(*d);
    }
    if (const InstanceView* instance = view.Find(task->instance_id)) {
      candidate.instance_remaining = instance->remaining;
    }
    out.push_back(std::move(candidate));
  }
  return out;
}

std::vector<std::string> ChooseTasksToStop(std::vector<StopCandidate> candidates, int count,
                                           const PlacementPolicy& policy, Random& random) {
  std::sort(candidates.begin(), candidates.end(),
            [](const StopCandidate& a, const StopCandidate& b) { return a.task_id < b.task_id; });
  std::vector<std::string> chosen;
  while (static_cast<int>(chosen.size()) < count && !candidates.empty()) {
    std::vector<size_t> best;
    std::vector<int64_t> best_key;
    for (size_t i = 0; i < candidates.size(); ++i) {
      std::vector<int64_t> key = StopRank(candidates, candidates[i], policy, random);
      if (best.empty() || key < best_key) {
        best = {i};
        best_key = std::move(key);
      } else if (key == best_key) {
        best.push_back(i);
      }
    }
    const size_t pick = best.size() == 1 ? best[0] : best[random.Below(best.size())];
    chosen.push_back(candidates[pick].task_id);
    Remove(&candidates, pick);
  }
  return chosen;
}

}  // namespace drydock::control

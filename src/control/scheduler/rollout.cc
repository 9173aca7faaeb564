#include "control/scheduler/rollout.h"

#include <algorithm>

#include "aws/ecs_rules.h"

namespace drydock::control {

RolloutDecision DecideRollout(const RolloutTasks& tasks, int desired, bool may_start,
                              bool retire_old, const ServicePolicy& policy) {
  RolloutDecision decision;
  const int primary = static_cast<int>(tasks.primary.size());
  const int ceiling = aws::RunningCeiling(desired, policy.maximum_percent);
  const int floor = aws::HealthyFloor(desired, policy.minimum_healthy_percent);
  if (may_start) decision.start = std::max(0, std::min(desired - primary, ceiling - tasks.Live()));
  decision.stop_excess = std::max(0, primary - desired);

  auto healthy = [&](const state::Task* task) { return tasks.healthy.count(task->task_id) > 0; };
  // Excess stops may come out of healthy tasks: count the worst case.
  const int primary_healthy =
      static_cast<int>(std::count_if(tasks.primary.begin(), tasks.primary.end(), healthy));
  int healthy_left = static_cast<int>(tasks.healthy.size()) -
                     std::min(decision.stop_excess, primary_healthy);

  std::vector<const state::Task*> candidates = tasks.draining;
  if (retire_old) candidates.insert(candidates.end(), tasks.old.begin(), tasks.old.end());
  // Not healthy first (they lower nothing), then in list order: draining
  // instances, then older deployments oldest first.
  std::stable_partition(candidates.begin(), candidates.end(),
                        [&](const state::Task* t) { return !healthy(t); });
  for (const state::Task* task : candidates) {
    if (healthy(task)) {
      if (healthy_left - 1 < floor) break;
      --healthy_left;
    }
    decision.retire.push_back(task);
  }

  const bool settled = tasks.stopping == 0 && static_cast<int>(tasks.healthy.size()) == tasks.Live();
  decision.stalled = !candidates.empty() && settled && decision.start == 0 &&
                     decision.retire.empty() && decision.stop_excess == 0;
  return decision;
}

}  // namespace drydock::control

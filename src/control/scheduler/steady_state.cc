#include "control/scheduler/steady_state.h"

#include <algorithm>

#include "aws/ecs_rules.h"

namespace drydock::control {

SteadyStateDecision DecideSteadyState(const ServiceTasks& tasks, int desired,
                                      const ServicePolicy& policy) {
  SteadyStateDecision decision;
  const int counted = tasks.Counted();
  const int ceiling = aws::RunningCeiling(desired, policy.maximum_percent);
  const int floor = aws::HealthyFloor(desired, policy.minimum_healthy_percent);
  decision.start = std::max(0, std::min(desired - counted, ceiling - tasks.Live()));
  decision.stop_excess = std::max(0, counted - desired);

  const int draining_running = CountRunning(tasks.draining);
  const int draining_other = static_cast<int>(tasks.draining.size()) - draining_running;
  // Excess stops come out of the RUNNING tasks first in the worst case.
  const int running = CountRunning(tasks.active) + draining_running - decision.stop_excess;
  decision.stop_draining = draining_other + std::clamp(running - floor, 0, draining_running);

  decision.stalled = !tasks.draining.empty() && desired > counted && decision.start == 0 &&
                     decision.stop_draining == 0;
  return decision;
}

}  // namespace drydock::control

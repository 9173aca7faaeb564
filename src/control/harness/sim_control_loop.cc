#include "control/harness/sim_control_loop.h"

#include "control/asg/asg_controller.h"
#include "control/scheduler/service_scheduler.h"

namespace drydock::control {

SimControlLoop::SimControlLoop(SimCluster* cluster, AsgPolicy asg, SchedulerPolicy scheduler,
                               uint64_t seed)
    : cluster_(cluster),
      asg_(std::move(asg)),
      scheduler_(std::move(scheduler)),
      asg_random_(Random(seed).Stream("asg")),
      scheduler_random_(Random(seed).Stream("scheduler")) {}

Status SimControlLoop::ApplyTraced(const Plan& plan) {
  for (const Action& action : plan.actions) {
    trace_.push_back(FormatTime(cluster_->now()) + " " + Describe(action));
  }
  return cluster_->Apply(plan);
}

Result<size_t> SimControlLoop::Round() {
  const Plan asg =
      ReconcileAutoScalingGroup(cluster_->snapshot(), cluster_->now(), asg_, asg_random_);
  DRYDOCK_RETURN_IF_ERROR(ApplyTraced(asg));
  const Plan services =
      ReconcileServices(cluster_->snapshot(), cluster_->now(), scheduler_, scheduler_random_);
  DRYDOCK_RETURN_IF_ERROR(ApplyTraced(services));
  return asg.size() + services.size();
}

Result<size_t> SimControlLoop::Step(Duration tick) {
  Result<size_t> applied = Round();
  if (applied.ok()) cluster_->Advance(tick);
  return applied;
}

Result<Duration> SimControlLoop::RunUntilStable(Duration limit, Duration tick) {
  const TimePoint start = cluster_->now();
  while (cluster_->now() - start <= limit) {
    const bool quiescent = cluster_->Quiescent();
    Result<size_t> applied = Round();
    if (!applied.ok()) return applied.status();
    if (quiescent && *applied == 0) return cluster_->now() - start;
    cluster_->Advance(tick);
  }
  return Status(StatusCode::kUnavailable, "cluster not stable within the limit");
}

Status SimControlLoop::RunFor(Duration duration, Duration tick) {
  const TimePoint end = cluster_->now() + duration;
  while (cluster_->now() < end) {
    Result<size_t> applied = Step(tick);
    if (!applied.ok()) return applied.status();
  }
  return Status::Ok();
}

}  // namespace drydock::control

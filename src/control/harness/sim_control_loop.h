// Runs the controllers against a SimCluster on virtual time, the way the
// live control loop runs them against the store:
//
//   round:  ReconcileAutoScalingGroup -> Apply -> ReconcileServices -> Apply
//   step:   round, then Advance(tick)
//
// Each controller draws from its own named stream of the root seed
// ("asg", "scheduler"), so a seed replays byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/status.h"
#include "control/asg/asg_policy.h"
#include "control/harness/sim_cluster.h"
#include "control/scheduler/scheduler_policy.h"

namespace drydock::control {

class SimControlLoop {
 public:
  // `cluster` must outlive the loop.
  SimControlLoop(SimCluster* cluster, AsgPolicy asg, SchedulerPolicy scheduler, uint64_t seed);

  // One round at the cluster's current time; returns the actions applied.
  Result<size_t> Round();

  // Round, then advance the clock by `tick`.
  Result<size_t> Step(Duration tick = Seconds(1));

  // Steps until a round on a quiescent cluster applies nothing. Returns the
  // virtual time it took; kUnavailable when not stable within `limit`.
  Result<Duration> RunUntilStable(Duration limit = Seconds(900), Duration tick = Seconds(1));

  // Steps for `duration` of virtual time.
  Status RunFor(Duration duration, Duration tick = Seconds(1));

  // "<time> <action>" for every action applied, in order.
  const std::vector<std::string>& trace() const { return trace_; }

  AsgPolicy& asg_policy() { return asg_; }
  SchedulerPolicy& scheduler_policy() { return scheduler_; }

 private:
  Status ApplyTraced(const Plan& plan);

  SimCluster* cluster_;
  AsgPolicy asg_;
  SchedulerPolicy scheduler_;
  Random asg_random_;
  Random scheduler_random_;
  std::vector<std::string> trace_;
};

}  // namespace drydock::control

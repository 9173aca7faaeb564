// The control plane's side of the load balancer: what it tells the
// `drydock proxy` process (the registered targets of every service) and what
// it learns back (target health), as pure functions plus one interface for
// the transport, so ControlPlane runs with the real proxy or a fake in tests.
#pragma once

#include <string>
#include <vector>

#include "alb/load_balancer.h"
#include "alb/wire.h"
#include "base/status.h"
#include "config/spec/settings.h"
#include "control/lifecycle/task_lifecycle.h"
#include "state/model.h"

namespace drydock::live {

class LoadBalancerLink {
 public:
  virtual ~LoadBalancerLink() = default;
  // Hands over the whole configuration (state of the world). An error means
  // it did not arrive; the control plane pushes again next round.
  virtual Status Push(const alb::ProxyConfig& config) = 0;
  // Target health of every group, as the load balancer reports it now.
  virtual Result<std::vector<alb::TargetGroupReport>> Targets() = 0;
  // `drydock down`, once every task has stopped: the load balancer exits.
  virtual void Stop() = 0;
};

// The listener and one target group per service of `settings`, without
// targets. Errors name the setting (the validator rejects them earlier).
Result<alb::LoadBalancerSpec> LoadBalancerSpecFor(const config::Settings& settings);

// `base` with the targets of `snapshot`: every task that should run
// (desiredStatus RUNNING) and is ACTIVATING or RUNNING with a host port, in
// its service's group "<service>-tg", as 127.0.0.1:<host port>.
alb::LoadBalancerSpec WithTargets(alb::LoadBalancerSpec base, const state::Snapshot& snapshot);

// What the task lifecycle and the service scheduler need from a target
// report: which tasks are registered, which the load balancer still knows,
// which are healthy and which failed their checks (with the group's ARN from
// `identity`); drain bounds from the services' deregistration delays plus
// `drain_margin`.
control::TargetView TargetViewOf(const std::vector<alb::TargetGroupReport>& groups,
                                 const config::Settings& settings,
                                 const state::ClusterIdentity& identity, Duration drain_margin);

}  // namespace drydock::live

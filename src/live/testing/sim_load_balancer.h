// Test-only: the `drydock proxy` process in simulated time. The real, pure
// alb::LoadBalancer behind a LoadBalancerLink, with the health checks answered
// by a hook instead of a socket (nothing listens in the simulation), so tests
// can make a revision's health endpoint return 500 or flap one task.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alb/load_balancer.h"
#include "alb/wire.h"
#include "base/status.h"
#include "live/load_balancer_link.h"
#include "runtime/clock.h"

namespace drydock::live::testing {

// One health check about to be answered.
struct SimHealthCheck {
  std::string target_group;  // "api-tg"
  std::string task;          // the task id the control plane registered the target for
  int port = 0;
  std::string path;
  TimePoint now{};
};

class SimLoadBalancer final : public LoadBalancerLink {
 public:
  // The HTTP status a check gets; a status <= 0 is a refused connection.
  using HealthHook = std::function<int(const SimHealthCheck&)>;

  explicit SimLoadBalancer(runtime::Clock& clock) : clock_(clock) {}

  // Every check answers 200 until a hook is set.
  void SetHealthHook(HealthHook hook) { health_ = std::move(hook); }
  // Called at the end of every successful Targets(), with the report the
  // control plane is about to read (its view for this round).
  void SetReportHook(std::function<void(const std::vector<alb::TargetGroupReport>&)> hook) {
    on_report_ = std::move(hook);
  }

  Status Push(const alb::ProxyConfig& config) override {
    if (!answering) return Status(StatusCode::kUnavailable, "not answering");
    spec_ = alb::ScaledSpec(config.spec, config.time_scale);
    Carry(balancer.Apply(*spec_, clock_.Now()));
    ++pushes;
    return Status::Ok();
  }

  Result<std::vector<alb::TargetGroupReport>> Targets() override {
    if (!answering) return Status(StatusCode::kUnavailable, "not answering");
    const TimePoint now = clock_.Now();
    for (const alb::HealthCheckRequest& check : balancer.DueChecks(now)) {
      const int status = health_ ? health_(SimHealthCheck{check.target_group,
                                                          TaskOf(check.target_group, check.port),
                                                          check.port, check.path, now})
                                 : 200;
      const alb::CheckResult result =
          status <= 0 ? alb::CheckConnectionFailed("connection refused")
                      : alb::CheckFromStatus(PolicyOf(check.target_group), status);
      balancer.CheckDone(check, result, now);
    }
    Carry(balancer.Sweep(now));
    std::vector<alb::TargetGroupReport> report = balancer.Report();
    if (on_report_) on_report_(report);
    return report;
  }

  void Stop() override {
    stopped = true;
    pushes_at_stop = pushes;
  }

  // The target registered for `task` (any state the balancer still reports).
  std::optional<alb::TargetReport> TargetOf(const std::string& task) const {
    for (const alb::TargetGroupReport& group : balancer.Report()) {
      for (const alb::TargetReport& target : group.targets) {
        if (target.target.task == task) return target;
      }
    }
    return std::nullopt;
  }

  alb::LoadBalancer balancer;
  std::vector<alb::DataPlaneEffect> effects;
  bool answering = true;
  bool stopped = false;
  int pushes = 0;
  int pushes_at_stop = -1;  // pushes when Stop() came (-1: not yet)

 private:
  void Carry(std::vector<alb::DataPlaneEffect> more) {
    effects.insert(effects.end(), more.begin(), more.end());
  }
  std::string TaskOf(const std::string& group, int port) const {
    for (const alb::TargetGroupReport& report : balancer.Report()) {
      if (report.name != group) continue;
      for (const alb::TargetReport& target : report.targets) {
        if (target.target.port == port && alb::IsRegistered(target.health)) {
          return target.target.task;
        }
      }
    }
    return "";
  }
  alb::HealthCheckPolicy PolicyOf(const std::string& group) const {
    if (spec_) {
      for (const alb::TargetGroupSpec& spec : spec_->target_groups) {
        if (spec.name == group) return spec.health_check;
      }
    }
    return {};
  }

  runtime::Clock& clock_;
  HealthHook health_;
  std::function<void(const std::vector<alb::TargetGroupReport>&)> on_report_;
  std::optional<alb::LoadBalancerSpec> spec_;  // the last configuration pushed
};

}  // namespace drydock::live::testing

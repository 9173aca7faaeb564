#include "live/load_balancer_link.h"

#include <utility>

namespace drydock::live {

Result<alb::LoadBalancerSpec> LoadBalancerSpecFor(const config::Settings& settings) {
  Result<alb::Listener> listener = alb::ListenerFromSettings(settings);
  if (!listener.ok()) return listener.status();
  alb::LoadBalancerSpec spec;
  spec.listener = std::move(*listener);
  // Certificate paths as written, the self-signed default as empty paths:
  // the control plane's link resolves them (cli/proxy_link.h).
  Result<std::optional<alb::HttpsListenerSpec>> https =
      alb::HttpsListenerFromSettings(settings, "", alb::CertificateFiles{});
  if (!https.ok()) return https.status();
  spec.https = std::move(*https);
  for (const config::ServiceSettings& service : settings.services) {
    Result<alb::HealthCheckPolicy> policy =
        alb::HealthCheckPolicyFromSettings(service.health_check);
    if (!policy.ok()) {
      return InvalidArgument("services." + service.name + "." + policy.status().message());
    }
    Result<alb::Algorithm> algorithm = alb::ParseAlgorithm(service.load_balancing_algorithm);
    if (!algorithm.ok()) {
      return InvalidArgument("services." + service.name + ".load_balancing_algorithm " +
                             algorithm.status().message());
    }
    alb::TargetGroupSpec group;
    group.name = alb::TargetGroupName(service.name);
    group.health_check = std::move(*policy);
    group.deregistration_delay = Seconds(service.deregistration_delay);
    group.algorithm = *algorithm;
    spec.target_groups.push_back(std::move(group));
  }
  return spec;
}

alb::LoadBalancerSpec WithTargets(alb::LoadBalancerSpec base, const state::Snapshot& snapshot) {
  for (alb::TargetGroupSpec& group : base.target_groups) group.targets.clear();
  for (const state::Task& task : snapshot.tasks) {
    const bool serving = task.last_status == state::TaskStatus::kActivating ||
                         task.last_status == state::TaskStatus::kRunning;
    if (task.desired_status != state::TaskStatus::kRunning || !serving || task.host_port == 0) {
      continue;
    }
    const std::string name = alb::TargetGroupName(task.service);
    for (alb::TargetGroupSpec& group : base.target_groups) {
      if (group.name == name) group.targets.push_back({"127.0.0.1", task.host_port, task.task_id});
    }
  }
  return base;
}

control::TargetView TargetViewOf(const std::vector<alb::TargetGroupReport>& groups,
                                 const config::Settings& settings,
                                 const state::ClusterIdentity& identity, Duration drain_margin) {
  control::TargetView view;
  view.enabled = view.reported = true;
  for (const alb::TargetGroupReport& group : groups) {
    for (const alb::TargetReport& target : group.targets) {
      if (target.target.task.empty()) continue;
      if (target.health.state == alb::TargetState::kUnused) continue;
      view.known.insert(target.target.task);
      if (alb::IsRegistered(target.health)) view.registered.insert(target.target.task);
      if (target.health.state == alb::TargetState::kHealthy) view.healthy.insert(target.target.task);
      if (target.health.state == alb::TargetState::kUnhealthy) {
        view.unhealthy[target.target.task] = {target.target.port,
                                              identity.TargetGroupArn(group.name),
                                              target.health.description};
      }
    }
  }
  for (const config::ServiceSettings& service : settings.services) {
    view.drain_bound[service.name] = Seconds(service.deregistration_delay) + drain_margin;
  }
  return view;
}

}  // namespace drydock::live

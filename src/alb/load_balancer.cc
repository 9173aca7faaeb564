#include "alb/load_balancer.h"

#include <algorithm>
#include <set>
#include <utility>

namespace drydock::alb {
namespace {

// Route's working vectors, reused from one request to the next so that a
// routing decision allocates nothing here once they have grown (the picker
// still allocates for kLeastOutstandingRequests). thread_local rather than
// static: LoadBalancer is single-threaded, but two instances may live on two
// threads (tests, several proxies).
struct RouteScratch {
  std::vector<TargetHealth> health;  // copy-assigned: strings keep their capacity
  std::vector<int> outstanding;
  std::vector<size_t> routable;
};

RouteScratch& Scratch() {
  thread_local RouteScratch scratch;
  return scratch;
}

DataPlaneEffect Effect(DataPlaneEffect::Kind kind, const TargetSpec& target) {
  return DataPlaneEffect{.kind = kind, .host = target.host, .port = target.port};
}

}  // namespace

std::string TargetKey(std::string_view host, int port) {
  // IPv6 literals get brackets, as in listen_address ("[::1]:8080"), so that
  // the port stays unambiguous.
  const bool v6 = host.find(':') != std::string_view::npos;
  std::string key;
  key.reserve(host.size() + 8);
  if (v6) key += '[';
  key += host;
  if (v6) key += ']';
  key += ':';
  key += std::to_string(port);
  return key;
}

LoadBalancer::Target* LoadBalancer::FindTarget(const std::string& group, std::string_view host,
                                               int port) {
  const auto it = groups_.find(group);
  if (it == groups_.end()) return nullptr;
  for (Target& target : it->second.targets) {
    if (target.spec.port == port && target.spec.host == host) return &target;
  }
  return nullptr;
}

std::vector<DataPlaneEffect> LoadBalancer::Apply(const LoadBalancerSpec& spec, TimePoint now) {
  listener_ = spec.listener;
  SortRules(listener_.rules);  // alb::Route requires the order; callers may build rules unsorted

  for (auto& [name, group] : groups_) group.listed = false;
  // Per group, the keys listed now: whatever else is registered starts draining below.
  std::map<std::string, std::set<std::string>> listed_keys;

  for (const TargetGroupSpec& group_spec : spec.target_groups) {
    Group& group = groups_[group_spec.name];  // a new group starts with a fresh picker
    group.listed = true;
    // Policy, delay and algorithm replace the old ones; the targets are handled here.
    group.spec.name = group_spec.name;
    group.spec.health_check = group_spec.health_check;
    group.spec.deregistration_delay = group_spec.deregistration_delay;
    group.spec.algorithm = group_spec.algorithm;
    group.spec.targets.clear();

    std::set<std::string>& keys = listed_keys[group_spec.name];
    for (const TargetSpec& target_spec : group_spec.targets) {
      keys.insert(TargetKey(target_spec.host, target_spec.port));
      Target* target = FindTarget(group_spec.name, target_spec.host, target_spec.port);
      if (target == nullptr) {
        group.targets.push_back(Target{.spec = target_spec,
                                       .health = BeginChecking(Registered()),
                                       .in_flight = 0,
                                       .next_check = now,
                                       .check_in_flight = false,
                                       .cut = false});
        continue;
      }
      target->spec = target_spec;  // the task may be informational only, but keep it current
      if (!IsRegistered(target->health)) {
        // Listed again while draining: registered afresh, at its old place in the
        // rotation. Its requests and any running check are real, so in_flight and
        // check_in_flight stay; a check already running will report on the new
        // registration.
        target->health = BeginChecking(Registered());
        target->next_check = now;
        target->cut = false;
      }
    }
  }

  // Deregistrations, in group name then registration order.
  std::vector<DataPlaneEffect> effects;
  for (auto& [name, group] : groups_) {
    const auto keys = listed_keys.find(name);
    for (Target& target : group.targets) {
      if (!IsRegistered(target.health)) continue;
      const bool listed =
          group.listed && keys != listed_keys.end() &&
          keys->second.count(TargetKey(target.spec.host, target.spec.port)) > 0;
      if (listed) continue;
      target.health = StartDraining(target.health, now);
      effects.push_back(Effect(DataPlaneEffect::Kind::kCloseIdle, target.spec));
    }
  }
  // A gone group with nothing left to drain is forgotten at once.
  std::erase_if(groups_, [](const auto& entry) {
    return !entry.second.listed && entry.second.targets.empty();
  });
  return effects;
}

RouteChoice LoadBalancer::Route(std::string_view request_target) {
  RouteChoice choice;
  const RouteDecision decision = alb::Route(listener_, request_target);
  if (decision.rule == nullptr) {
    choice.kind = RouteChoice::Kind::kFixed;
    choice.fixed = listener_.default_action;
    return choice;
  }
  choice.kind = RouteChoice::Kind::kNoTargets;
  choice.target_group = decision.rule->target_group;
  const auto it = groups_.find(decision.rule->target_group);
  // A gone group still draining has no routable target either; say so explicitly.
  if (it == groups_.end() || !it->second.listed) return choice;
  Group& group = it->second;

  RouteScratch& scratch = Scratch();
  const size_t count = group.targets.size();
  scratch.health.resize(count);
  scratch.outstanding.resize(count);
  for (size_t i = 0; i < count; ++i) {
    scratch.health[i] = group.targets[i].health;
    scratch.outstanding[i] = group.targets[i].in_flight;
  }
  RoutableTargetsInto(scratch.health, scratch.routable);
  if (scratch.routable.empty()) return choice;

  Target& target = group.targets[group.picker.Pick(scratch.routable, scratch.outstanding,
                                                   group.spec.algorithm)];
  ++target.in_flight;
  choice.kind = RouteChoice::Kind::kForward;
  choice.host = target.spec.host;
  choice.port = target.spec.port;
  return choice;
}

void LoadBalancer::Finished(const RouteChoice& choice) {
  if (choice.kind != RouteChoice::Kind::kForward) return;
  Target* target = FindTarget(choice.target_group, choice.host, choice.port);
  if (target != nullptr && target->in_flight > 0) --target->in_flight;
}

std::vector<HealthCheckRequest> LoadBalancer::DueChecks(TimePoint now) {
  std::vector<HealthCheckRequest> checks;
  for (auto& [name, group] : groups_) {
    for (Target& target : group.targets) {
      if (!IsRegistered(target.health) || target.check_in_flight || target.next_check > now) {
        continue;
      }
      target.check_in_flight = true;
      checks.push_back(HealthCheckRequest{.target_group = name,
                                          .host = target.spec.host,
                                          .port = target.spec.port,
                                          .path = group.spec.health_check.path,
                                          .timeout = group.spec.health_check.timeout});
    }
  }
  return checks;
}

void LoadBalancer::CheckDone(const HealthCheckRequest& check, const CheckResult& result,
                             TimePoint now) {
  Target* target = FindTarget(check.target_group, check.host, check.port);
  if (target == nullptr) return;
  target->check_in_flight = false;
  if (!IsRegistered(target->health)) return;  // draining: results are ignored
  const HealthCheckPolicy& policy = groups_.at(check.target_group).spec.health_check;
  target->health = AfterCheck(target->health, result, policy);
  target->next_check = now + policy.interval;
}

std::vector<DataPlaneEffect> LoadBalancer::Sweep(TimePoint now) {
  std::vector<DataPlaneEffect> effects;
  for (auto& [name, group] : groups_) {
    for (Target& target : group.targets) {
      if (!DrainComplete(target.health, now, group.spec.deregistration_delay, target.in_flight)) {
        continue;
      }
      // Complete with requests still in flight: the delay has passed, and ALB
      // cuts them. Their Finished calls later find no target, which is fine.
      if (target.in_flight > 0 && !target.cut) {
        target.cut = true;
        effects.push_back(Effect(DataPlaneEffect::Kind::kCut, target.spec));
      } else if (target.in_flight <= 0) {
        // Connections that finished their exchange while draining went back
        // to the pool: nothing will use them again.
        effects.push_back(Effect(DataPlaneEffect::Kind::kCloseIdle, target.spec));
      }
      target.health = Finish(target.health);
    }
    // Unused targets are forgotten. Removing one shifts the indices after it,
    // so the round-robin rotation may repeat or skip one target once.
    std::erase_if(group.targets, [](const Target& target) {
      return target.health.state == TargetState::kUnused;
    });
  }
  std::erase_if(groups_, [](const auto& entry) {
    return !entry.second.listed && entry.second.targets.empty();
  });
  return effects;
}

std::optional<TimePoint> LoadBalancer::NextDeadline() const {
  std::optional<TimePoint> earliest;
  const auto consider = [&earliest](TimePoint t) {
    if (!earliest.has_value() || t < *earliest) earliest = t;
  };
  for (const auto& [name, group] : groups_) {
    for (const Target& target : group.targets) {
      if (IsRegistered(target.health)) {
        if (!target.check_in_flight) consider(target.next_check);
      } else if (target.health.state == TargetState::kDraining &&
                 target.health.draining_since.has_value()) {
        // Nothing in flight: the drain is complete already and Sweep has work
        // now. Otherwise at the end of the deregistration delay.
        consider(target.in_flight <= 0
                     ? *target.health.draining_since
                     : *target.health.draining_since + group.spec.deregistration_delay);
      }
    }
  }
  return earliest;
}

std::vector<TargetGroupReport> LoadBalancer::Report() const {
  std::vector<TargetGroupReport> reports;
  reports.reserve(groups_.size());
  for (const auto& [name, group] : groups_) {
    TargetGroupReport report{.name = name, .targets = {}};
    report.targets.reserve(group.targets.size());
    for (const Target& target : group.targets) {
      report.targets.push_back(TargetReport{
          .target = target.spec, .health = target.health, .in_flight = target.in_flight});
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace drydock::alb

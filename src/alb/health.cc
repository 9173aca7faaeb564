#include "alb/health.h"

#include <utility>

namespace drydock::alb {
namespace {

Status RangeError(std::string_view field, int value, int low, int high, std::string_view unit) {
  return InvalidArgument("health_check." + std::string(field) + " " + std::to_string(value) +
                         " is outside " + std::to_string(low) + ".." + std::to_string(high) +
                         std::string(unit));
}

void Become(TargetHealth& health, TargetState state, std::string_view reason,
            std::string description) {
  health.state = state;
  health.reason = std::string(reason);
  health.description = std::move(description);
}

}  // namespace

std::string_view TargetStateName(TargetState state) {
  switch (state) {
    case TargetState::kInitial:
      return "initial";
    case TargetState::kHealthy:
      return "healthy";
    case TargetState::kUnhealthy:
      return "unhealthy";
    case TargetState::kDraining:
      return "draining";
    case TargetState::kUnused:
      return "unused";
  }
  return "unknown";
}

Result<HealthCheckPolicy> HealthCheckPolicyFromSettings(
    const config::HealthCheckSettings& settings) {
  if (settings.interval_seconds < aws::kMinHealthCheckInterval ||
      settings.interval_seconds > aws::kMaxHealthCheckInterval) {
    return RangeError("interval_seconds", settings.interval_seconds, aws::kMinHealthCheckInterval,
                      aws::kMaxHealthCheckInterval, " seconds");
  }
  if (settings.timeout_seconds < aws::kMinHealthCheckTimeout ||
      settings.timeout_seconds > aws::kMaxHealthCheckTimeout) {
    return RangeError("timeout_seconds", settings.timeout_seconds, aws::kMinHealthCheckTimeout,
                      aws::kMaxHealthCheckTimeout, " seconds");
  }
  if (settings.timeout_seconds >= settings.interval_seconds) {
    return InvalidArgument(
        "health_check.timeout_seconds " + std::to_string(settings.timeout_seconds) +
        " is not shorter than interval_seconds " + std::to_string(settings.interval_seconds));
  }
  if (settings.healthy_threshold < aws::kMinHealthCheckThreshold ||
      settings.healthy_threshold > aws::kMaxHealthCheckThreshold) {
    return RangeError("healthy_threshold", settings.healthy_threshold,
                      aws::kMinHealthCheckThreshold, aws::kMaxHealthCheckThreshold, "");
  }
  if (settings.unhealthy_threshold < aws::kMinHealthCheckThreshold ||
      settings.unhealthy_threshold > aws::kMaxHealthCheckThreshold) {
    return RangeError("unhealthy_threshold", settings.unhealthy_threshold,
                      aws::kMinHealthCheckThreshold, aws::kMaxHealthCheckThreshold, "");
  }
  if (settings.path.empty() || settings.path.front() != '/' ||
      settings.path.size() > aws::kMaxHealthCheckPathLength) {
    return InvalidArgument("health_check.path \"" + settings.path +
                           "\" must start with \"/\" and be at most 1024 characters");
  }
  Result<std::vector<aws::CodeRange>> matcher = aws::ParseHealthCheckMatcher(settings.matcher);
  if (!matcher.ok()) {
    return InvalidArgument("health_check.matcher \"" + settings.matcher +
                           "\": " + matcher.status().message());
  }
  return HealthCheckPolicy{.path = settings.path,
                           .interval = Seconds(settings.interval_seconds),
                           .timeout = Seconds(settings.timeout_seconds),
                           .healthy_threshold = settings.healthy_threshold,
                           .unhealthy_threshold = settings.unhealthy_threshold,
                           .matcher = std::move(matcher).value()};
}

bool MatcherAccepts(const HealthCheckPolicy& policy, int status) {
  return aws::MatcherAccepts(policy.matcher, status);
}

CheckResult CheckFromStatus(const HealthCheckPolicy& policy, int status) {
  if (MatcherAccepts(policy, status)) {
    return CheckResult{.passed = true, .reason = "", .description = ""};
  }
  return CheckResult{
      .passed = false,
      .reason = std::string(kReasonResponseCodeMismatch),
      .description = "Health checks failed with these codes: [" + std::to_string(status) + "]"};
}

CheckResult CheckTimedOut() {
  return CheckResult{
      .passed = false, .reason = std::string(kReasonTimeout), .description = "Request timed out"};
}

CheckResult CheckConnectionFailed(std::string description) {
  return CheckResult{.passed = false,
                     .reason = std::string(kReasonFailedHealthChecks),
                     .description = std::move(description)};
}

TargetHealth Registered() { return TargetHealth{}; }

TargetHealth BeginChecking(TargetHealth health) {
  if (health.state == TargetState::kInitial) {
    health.reason = std::string(kReasonInitialHealthChecking);
    health.description = "Initial health checks in progress";
  }
  return health;
}

TargetHealth AfterCheck(TargetHealth health, const CheckResult& check,
                        const HealthCheckPolicy& policy) {
  if (health.state == TargetState::kDraining || health.state == TargetState::kUnused) {
    return health;
  }
  if (check.passed) {
    ++health.consecutive_passes;
    health.consecutive_failures = 0;
    // A new target needs one passing check; recovery needs healthy_threshold.
    const bool becomes_healthy = health.state == TargetState::kInitial ||
                                 (health.state == TargetState::kUnhealthy &&
                                  health.consecutive_passes >= policy.healthy_threshold);
    if (becomes_healthy) Become(health, TargetState::kHealthy, "", "");
    return health;
  }
  ++health.consecutive_failures;
  health.consecutive_passes = 0;
  if (health.state == TargetState::kUnhealthy) {
    // Still unhealthy: report the latest failure.
    health.reason = check.reason;
    health.description = check.description;
  } else if (health.consecutive_failures >= policy.unhealthy_threshold) {
    Become(health, TargetState::kUnhealthy, check.reason, check.description);
  }
  return health;
}

TargetHealth StartDraining(TargetHealth health, TimePoint now) {
  if (health.state == TargetState::kDraining || health.state == TargetState::kUnused) {
    return health;
  }
  Become(health, TargetState::kDraining, kReasonDeregistrationInProgress,
         "Target deregistration is in progress");
  health.consecutive_passes = 0;
  health.consecutive_failures = 0;
  health.draining_since = now;
  return health;
}

bool DrainComplete(const TargetHealth& health, TimePoint now, Duration deregistration_delay,
                   int in_flight_requests) {
  if (health.state != TargetState::kDraining || !health.draining_since.has_value()) return false;
  return in_flight_requests <= 0 || now - *health.draining_since >= deregistration_delay;
}

TargetHealth Finish(TargetHealth health) {
  Become(health, TargetState::kUnused, kReasonNotRegistered,
         "Target is not registered to the target group");
  health.consecutive_passes = 0;
  health.consecutive_failures = 0;
  health.draining_since.reset();
  return health;
}

bool IsRegistered(const TargetHealth& health) {
  return health.state != TargetState::kDraining && health.state != TargetState::kUnused;
}

bool AnyRegistered(const std::vector<TargetHealth>& targets) {
  for (const TargetHealth& target : targets) {
    if (IsRegistered(target)) return true;
  }
  return false;
}

std::vector<size_t> RoutableTargets(const std::vector<TargetHealth>& targets) {
  std::vector<size_t> routable;
  RoutableTargetsInto(targets, routable);
  return routable;
}

void RoutableTargetsInto(const std::vector<TargetHealth>& targets, std::vector<size_t>& out) {
  // The healthy ones; if there are none, the unhealthy ones (fail open).
  out.clear();
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].state == TargetState::kHealthy) out.push_back(i);
  }
  if (!out.empty()) return;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (targets[i].state == TargetState::kUnhealthy) out.push_back(i);
  }
}

}  // namespace drydock::alb

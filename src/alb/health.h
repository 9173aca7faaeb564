// Target health as ALB reports it (rulebook section 6, "Health checks" and
// "Deregistration"; AWS TargetHealth API). Pure transitions: the caller runs
// the checks and the clock, and passes results and times in.
//
//   Registered --BeginChecking--> initial (Elb.InitialHealthChecking)
//   initial   --1 pass--> healthy
//   initial   --unhealthy_threshold consecutive failures--> unhealthy
//   healthy   --unhealthy_threshold consecutive failures--> unhealthy
//   unhealthy --healthy_threshold consecutive passes--> healthy
//   any but unused --StartDraining--> draining --Finish--> unused
// Draining and unused targets ignore check results.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/alb_rules.h"
#include "base/status.h"
#include "base/time.h"
#include "config/spec/settings.h"

namespace drydock::alb {

enum class TargetState { kInitial, kHealthy, kUnhealthy, kDraining, kUnused };

// "initial", "healthy", "unhealthy", "draining", "unused" (the API's values).
std::string_view TargetStateName(TargetState state);

// Reason codes of the TargetHealth API.
inline constexpr std::string_view kReasonRegistrationInProgress = "Elb.RegistrationInProgress";
inline constexpr std::string_view kReasonInitialHealthChecking = "Elb.InitialHealthChecking";
inline constexpr std::string_view kReasonResponseCodeMismatch = "Target.ResponseCodeMismatch";
inline constexpr std::string_view kReasonTimeout = "Target.Timeout";
inline constexpr std::string_view kReasonFailedHealthChecks = "Target.FailedHealthChecks";
inline constexpr std::string_view kReasonDeregistrationInProgress =
    "Target.DeregistrationInProgress";
inline constexpr std::string_view kReasonNotRegistered = "Target.NotRegistered";

struct HealthCheckPolicy {
  std::string path = "/";
  Duration interval = Seconds(30);
  Duration timeout = Seconds(5);
  int healthy_threshold = 5;
  int unhealthy_threshold = 2;
  std::vector<aws::CodeRange> matcher = {{200, 200}};  // inclusive ranges
};

// The policy of a service's health_check settings. Errors name the field:
// interval 5..300 s, timeout 2..120 s and less than the interval, thresholds
// 2..10, path starting with "/" and at most 1024 characters, matcher codes
// and ranges within 200..499 ("200", "200,202", "200-299").
Result<HealthCheckPolicy> HealthCheckPolicyFromSettings(
    const config::HealthCheckSettings& settings);

// True when the policy's matcher accepts `status`.
bool MatcherAccepts(const HealthCheckPolicy& policy, int status);

struct TargetHealth {
  TargetState state = TargetState::kInitial;
  std::string reason = std::string(kReasonRegistrationInProgress);  // "" when healthy
  std::string description;
  int consecutive_passes = 0;
  int consecutive_failures = 0;
  std::optional<TimePoint> draining_since;
};

// The outcome of one health check.
struct CheckResult {
  bool passed = false;
  // When !passed: Target.ResponseCodeMismatch, Target.Timeout or
  // Target.FailedHealthChecks (connection refused, reset, ...).
  std::string reason;
  std::string description;  // "Health checks failed with these codes: [502]"
};

// A check result for an HTTP status code, or for a timeout / failed connection.
CheckResult CheckFromStatus(const HealthCheckPolicy& policy, int status);
CheckResult CheckTimedOut();
CheckResult CheckConnectionFailed(std::string description);

// A newly registered target: initial, Elb.RegistrationInProgress.
TargetHealth Registered();

// Health checks have started: an initial target's reason becomes
// Elb.InitialHealthChecking. Other states are returned unchanged.
TargetHealth BeginChecking(TargetHealth health);

// The health after one check (see the diagram above).
TargetHealth AfterCheck(TargetHealth health, const CheckResult& check,
                        const HealthCheckPolicy& policy);

// Deregistration: draining since `now`, reason Target.DeregistrationInProgress.
// Draining and unused targets are returned unchanged.
TargetHealth StartDraining(TargetHealth health, TimePoint now);

// True when a draining target may become unused: nothing is in flight, or
// `deregistration_delay` has passed since draining started. False for a
// target that is not draining.
bool DrainComplete(const TargetHealth& health, TimePoint now, Duration deregistration_delay,
                   int in_flight_requests);

// The end of draining: unused, reason Target.NotRegistered.
TargetHealth Finish(TargetHealth health);

// True when the target takes part in routing decisions: not draining, not
// unused (initial counts: it is registered).
bool IsRegistered(const TargetHealth& health);
// True when any target is registered; when false, the caller answers 503.
bool AnyRegistered(const std::vector<TargetHealth>& targets);

// Indices (ascending) of the targets that may get a new request: the healthy
// ones; when none is healthy, fail open to the unhealthy ones. Initial,
// draining and unused targets never get new requests (docs/alb.md). Empty
// when nothing is routable; the caller then answers 503.
std::vector<size_t> RoutableTargets(const std::vector<TargetHealth>& targets);
// The same, into `out` (replaced): no allocation once `out` has grown, for a
// caller that reuses it from one request to the next.
void RoutableTargetsInto(const std::vector<TargetHealth>& targets, std::vector<size_t>& out);

}  // namespace drydock::alb

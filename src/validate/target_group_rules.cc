// Target groups: health checks and deregistration delay (rulebook section 6).
#include <string>

#include "aws/alb_rules.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

void CheckHealthCheckPath(Report& report, const ServiceSettings& service) {
  const std::string setting = ServicePath(service, "health_check.path");
  const std::string& path = service.health_check.path;
  if (path.empty() || path.front() != '/') {
    report.Error(setting, "health-check-path",
                 Quote(path) + " does not start with '/'; ALB health checks request a path",
                 "write health_check.path = " + Quote("/" + path));
  } else if (path.size() > aws::kMaxHealthCheckPathLength) {
    report.Error(setting, "health-check-path",
                 "the path is " + Str(static_cast<int>(path.size())) +
                     " characters long; ALB accepts at most 1024",
                 "use a shorter health check path, e.g. \"/health\"");
  }
}

void CheckHealthCheckTimes(Report& report, const ServiceSettings& service) {
  const config::HealthCheckSettings& check = service.health_check;
  const bool interval_ok = RequireRange(
      report, ServicePath(service, "health_check.interval_seconds"), "health-check-interval-range",
      check.interval_seconds, aws::kMinHealthCheckInterval, aws::kMaxHealthCheckInterval,
      "ALB health check intervals in seconds");
  const bool timeout_ok =
      RequireRange(report, ServicePath(service, "health_check.timeout_seconds"),
                   "health-check-timeout-range", check.timeout_seconds, aws::kMinHealthCheckTimeout,
                   aws::kMaxHealthCheckTimeout, "ALB health check timeouts in seconds");
  if (interval_ok && timeout_ok && check.timeout_seconds >= check.interval_seconds) {
    report.Error(
        ServicePath(service, "health_check.timeout_seconds"), "health-check-timeout-interval",
        "the timeout (" + Str(check.timeout_seconds) + " s) is not shorter than the interval (" +
            Str(check.interval_seconds) + " s); ALB requires timeout < interval",
        "set health_check.timeout_seconds below " + Str(check.interval_seconds) +
            " or raise health_check.interval_seconds");
  }
}

void CheckHealthCheck(Report& report, const ServiceSettings& service) {
  const config::HealthCheckSettings& check = service.health_check;
  CheckHealthCheckPath(report, service);
  CheckHealthCheckTimes(report, service);
  RequireRange(report, ServicePath(service, "health_check.healthy_threshold"),
               "health-check-threshold-range", check.healthy_threshold,
               aws::kMinHealthCheckThreshold, aws::kMaxHealthCheckThreshold,
               "ALB healthy threshold counts");
  RequireRange(report, ServicePath(service, "health_check.unhealthy_threshold"),
               "health-check-threshold-range", check.unhealthy_threshold,
               aws::kMinHealthCheckThreshold, aws::kMaxHealthCheckThreshold,
               "ALB unhealthy threshold counts");
  Result<std::vector<aws::CodeRange>> matcher = aws::ParseHealthCheckMatcher(check.matcher);
  if (!matcher.ok()) {
    report.Error(
        ServicePath(service, "health_check.matcher"), "health-check-matcher",
        "the matcher " + Quote(check.matcher) + " is invalid: " + matcher.status().message(),
        "write codes 200..499 as \"200\", \"200,202\" or \"200-299\"");
  }
}

}  // namespace

void CheckTargetGroups(Report& report) {
  for (const ServiceSettings& service : report.settings().services) {
    CheckHealthCheck(report, service);
    RequireRange(report, ServicePath(service, "deregistration_delay"), "deregistration-delay-range",
                 service.deregistration_delay, 0, aws::kMaxDeregistrationDelay,
                 "target group deregistration delays in seconds");
    const std::string& algorithm = service.load_balancing_algorithm;
    if (algorithm != "round_robin" && algorithm != "least_outstanding_requests") {
      report.Error(ServicePath(service, "load_balancing_algorithm"), "load-balancing-algorithm",
                   "the load balancing algorithm " + Quote(algorithm) + " is not supported",
                   "write \"round_robin\" (the default) or \"least_outstanding_requests\"");
    }
  }
}

}  // namespace drydock::validate

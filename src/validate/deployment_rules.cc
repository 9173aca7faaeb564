// Rolling deployments (rulebook section 4) and the Spot drain window
// (section 5).
#include <algorithm>
#include <string>

#include "aws/alb_rules.h"
#include "aws/ecs_rules.h"
#include "validate/instances.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

constexpr int kSpotNoticeSeconds = 120;
constexpr int kSpotDrainBudgetSeconds = 110;  // the rulebook's margin below the notice

int AutoscalingMin(const ServiceSettings& service) {
  return service.autoscaling_min_capacity == -1 ? service.desired_count
                                                : service.autoscaling_min_capacity;
}

// "floor = ceil(3 x 75 / 100) = 3 healthy, ceiling = floor(3 x 125 / 100) = 3 tasks".
std::string Bounds(const ServiceSettings& service, int count) {
  const int min = service.deployment_minimum_healthy_percent;
  const int max = service.deployment_maximum_percent;
  return "ECS must keep ceil(" + Str(count) + " x " + Str(min) +
         " / 100) = " + Str(aws::HealthyFloor(count, min)) + " healthy and may run floor(" +
         Str(count) + " x " + Str(max) + " / 100) = " + Str(aws::RunningCeiling(count, max)) +
         " tasks";
}

// The smallest maximum percent whose ceiling exceeds `count`, and the largest
// minimum healthy percent whose floor is below it.
std::string StallFix(int count) {
  const int max = ((count + 1) * 100 + count - 1) / count;
  const int min = (count - 1) * 100 / count;
  return "raise deployment_maximum_percent to at least " + Str(std::max(max, 101)) +
         " (so a new task may start first), or lower deployment_minimum_healthy_percent to " +
         (min == 0 ? "0" : "at most " + Str(min)) + " (so an old task may stop first)";
}

void CheckStall(Report& report, const ServiceSettings& service) {
  const int d = service.desired_count;
  const int min = service.deployment_minimum_healthy_percent;
  const int max = service.deployment_maximum_percent;
  if (aws::DeploymentStalls(d, min, max)) {
    report.Error(ServicePath(service, "desired_count"), "deployment-stall",
                 "with desired_count = " + Str(d) + ", " + Bounds(service, d) +
                     ": a deployment can neither start a new task nor stop an old one, so it "
                     "never makes progress (ECS: \"unable to stop or start tasks during a "
                     "deployment\")",
                 StallFix(d));
    return;
  }
  const int low = std::max(AutoscalingMin(service), 1);
  // A count c stalls only when c * (max - 100) < 100 and c * (100 - min) < 100,
  // so no count above 100 stalls unless all do (then `low` is found first).
  const int high = std::min(service.autoscaling_max_capacity, 101);
  for (int count = low; count <= high; ++count) {
    if (!aws::DeploymentStalls(count, min, max)) continue;
    report.Warning(ServicePath(service, "deployment_maximum_percent"),
                   "deployment-stall-autoscaling",
                   "service auto scaling may set the count to " + Str(count) +
                       " (within autoscaling_min_capacity..autoscaling_max_capacity), and then " +
                       Bounds(service, count) + ": deployments at that count never progress",
                   StallFix(count));
    return;
  }
}

void CheckSpotDrain(Report& report, const ServiceSettings& service) {
  const config::Settings& s = report.settings();
  if (!SpotCanBeUsed(s) || s.spot_instance_types.empty()) return;
  const int drain = service.deregistration_delay + service.stop_timeout;
  if (drain < kSpotDrainBudgetSeconds) return;
  report.Warning(ServicePath(service, "deregistration_delay"), "spot-drain-window",
                 "draining a task takes up to deregistration_delay " +
                     Str(service.deregistration_delay) + " s + stop_timeout " +
                     Str(service.stop_timeout) + " s = " + Str(drain) +
                     " s, but a Spot interruption notice gives " + Str(kSpotNoticeSeconds) +
                     " s: tasks on a reclaimed Spot instance are killed mid-drain",
                 "keep deregistration_delay + stop_timeout below " + Str(kSpotDrainBudgetSeconds) +
                     " s, e.g. deregistration_delay = 30 and "
                     "stop_timeout = 30");
}

}  // namespace

void CheckDeployments(Report& report) {
  for (const ServiceSettings& service : report.settings().services) {
    const bool min_ok =
        RequireRange(report, ServicePath(service, "deployment_minimum_healthy_percent"),
                     "deployment-minimum-healthy-range", service.deployment_minimum_healthy_percent,
                     aws::kMinMinimumHealthyPercent, aws::kMaxMinimumHealthyPercent,
                     "minimumHealthyPercent for a REPLICA service");
    const bool max_ok = RequireRange(report, ServicePath(service, "deployment_maximum_percent"),
                                     "deployment-maximum-range", service.deployment_maximum_percent,
                                     aws::kMinMaximumPercent, aws::kMaxMaximumPercent,
                                     "maximumPercent drydock accepts");
    const bool stop_ok = service.stop_timeout >= 0;
    if (!stop_ok) {
      report.Error(ServicePath(service, "stop_timeout"), "stop-timeout-range",
                   Str(service.stop_timeout) +
                       " s is negative; it is the time between SIGTERM "
                       "and SIGKILL",
                   "set stop_timeout = 30 (the ECS default) or another value >= 0");
    }
    if (min_ok && max_ok && service.desired_count >= 0) CheckStall(report, service);
    if (stop_ok && service.deregistration_delay >= 0 &&
        service.deregistration_delay <= aws::kMaxDeregistrationDelay) {
      CheckSpotDrain(report, service);  // out-of-range delays are reported on their own
    }
  }
}

}  // namespace drydock::validate

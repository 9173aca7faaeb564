// Service ports and counts, service auto scaling (rulebook section 7) and log
// retention (section 10).
#include <string>
#include <vector>

#include "aws/log_retention.h"
#include "base/strings.h"
#include "validate/rules.h"

namespace drydock::validate {
namespace {

using config::ServiceSettings;

void CheckCounts(Report& report, const ServiceSettings& service) {
  RequireRange(report, ServicePath(service, "container_port"), "container-port-range",
               service.container_port, 1, 65535, "TCP ports");
  const std::string desired = ServicePath(service, "desired_count");
  if (service.desired_count < 0) {
    report.Error(desired, "desired-count-range",
                 Str(service.desired_count) + " is negative; a service runs 0 or more tasks",
                 "set desired_count = 1 or more");
  } else if (service.desired_count == 0) {
    report.Warning(desired, "desired-count-zero",
                   "service " + service.name +
                       " runs no task: its path patterns answer 503 "
                       "until it is scaled up",
                   "set desired_count = 1 or more, or remove the service");
  }
}

void CheckAutoscaling(Report& report, const ServiceSettings& service) {
  // The decoder defaults the minimum to desired_count; -1 means "not decoded".
  const int min = service.autoscaling_min_capacity == -1 ? service.desired_count
                                                         : service.autoscaling_min_capacity;
  const int max = service.autoscaling_max_capacity;
  const std::string min_path = ServicePath(service, "autoscaling_min_capacity");
  const std::string max_path = ServicePath(service, "autoscaling_max_capacity");
  if (!RequireRange(report, min_path, "autoscaling-capacity-range", min, 0, kNoUpperBound,
                    "service auto scaling capacities")) {
    return;
  }
  if (max < min) {
    report.Error(max_path, "autoscaling-capacity-range",
                 "autoscaling_max_capacity (" + Str(max) + ") is below autoscaling_min_capacity (" +
                     Str(min) + ")",
                 "set autoscaling_max_capacity to " + Str(min) + " or more");
    return;
  }
  const int d = service.desired_count;
  if (d >= 0 && (d < min || d > max)) {
    report.Warning(ServicePath(service, "desired_count"), "desired-count-outside-autoscaling",
                   "desired_count = " + Str(d) + " is outside autoscaling_min_capacity.." +
                       "autoscaling_max_capacity = " + Str(min) + ".." + Str(max) +
                       ": Application Auto Scaling moves it to " + Str(d < min ? min : max) +
                       " at once",
                   "set desired_count within " + Str(min) + ".." + Str(max));
  }
}

void CheckTarget(Report& report, const std::string& setting, double value) {
  if (value > 0 && value <= 100) return;
  report.Error(setting, "scaling-target-range",
               Str(value) +
                   " % is outside (0, 100], the utilization a target-tracking policy "
                   "can aim for",
               "set a percentage above 0 and at most 100, e.g. 70");
}

void CheckServiceScaling(Report& report) {
  const config::Settings& s = report.settings();
  CheckTarget(report, "service_cpu_target", s.service_cpu_target);
  CheckTarget(report, "service_memory_target", s.service_memory_target);
  if (!(s.alb_requests_per_target > 0)) {
    report.Error("alb_requests_per_target", "alb-requests-per-target-range",
                 Str(s.alb_requests_per_target) +
                     " is not above 0; it is the requests per "
                     "target per minute to aim for",
                 "set a positive number, e.g. alb_requests_per_target = 1000");
  }
  const char* cooldowns[] = {"service_scale_out_cooldown", "service_scale_in_cooldown"};
  const int values[] = {s.service_scale_out_cooldown, s.service_scale_in_cooldown};
  for (int i = 0; i < 2; ++i) {
    if (values[i] >= 0) continue;
    report.Error(cooldowns[i], "cooldown-range",
                 Str(values[i]) + " s is negative; a cooldown is a wait in seconds",
                 "set 0 or more seconds (the ECS default is 300)");
  }
}

void CheckLogRetention(Report& report) {
  const int days = report.settings().log_retention_in_days;
  if (aws::IsAllowedRetention(days)) return;
  std::vector<std::string> nearest;
  for (int value : aws::NearestRetentions(days)) nearest.push_back(Str(value));
  report.Error("log_retention_in_days", "log-retention-value",
               Str(days) +
                   " is not a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, "
                   "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, "
                   "3288, 3653; 0 = never expire)",
               "use " + Join(nearest, " or "));
}

}  // namespace

void CheckServices(Report& report) {
  for (const ServiceSettings& service : report.settings().services) {
    CheckCounts(report, service);
    CheckAutoscaling(report, service);
  }
  CheckServiceScaling(report);
  CheckLogRetention(report);
}

}  // namespace drydock::validate

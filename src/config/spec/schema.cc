#include "config/spec/schema.h"

namespace drydock::config {

const std::vector<Field<Settings>>& TopLevelFields() {
  using S = Settings;
  static const std::vector<Field<S>> kFields = {
      // The origin's variables.
      {.name = "region", .member = &S::region},
      {.name = "environment", .member = &S::environment},
      {.name = "vpc_cidr", .member = &S::vpc_cidr},
      {.name = "cluster_name", .member = &S::cluster_name},
      {.name = "instance_type", .member = &S::instance_type},
      {.name = "asg_min_size", .member = &S::asg_min_size},
      {.name = "asg_max_size", .member = &S::asg_max_size},
      {.name = "asg_desired_capacity", .member = &S::asg_desired_capacity},
      {.name = "on_demand_base_capacity", .member = &S::on_demand_base_capacity},
      {.name = "on_demand_percentage_above_base", .member = &S::on_demand_percentage_above_base},
      {.name = "services",
       .member = &S::services,
       .required = true,
       .example = "{ api = { desired_count = 2, path_pattern = [\"/api*\"], priority = 100, "
                  "container_port = 80, cpu = 256, memory = 512 } }"},
      {.name = "service_cpu_target", .member = &S::service_cpu_target},
      {.name = "service_memory_target", .member = &S::service_memory_target},
      {.name = "alb_requests_per_target", .member = &S::alb_requests_per_target},
      // Values the origin hard-codes.
      {.name = "availability_zone_count", .member = &S::availability_zone_count},
      {.name = "spot_instance_types", .member = &S::spot_instance_types},
      {.name = "spot_allocation_strategy", .member = &S::spot_allocation_strategy},
      {.name = "capacity_provider_target_capacity",
       .member = &S::capacity_provider_target_capacity},
      {.name = "capacity_provider_minimum_scaling_step_size",
       .member = &S::capacity_provider_minimum_scaling_step_size},
      {.name = "capacity_provider_maximum_scaling_step_size",
       .member = &S::capacity_provider_maximum_scaling_step_size},
      {.name = "capacity_provider_instance_warmup_period",
       .member = &S::capacity_provider_instance_warmup_period},
      {.name = "managed_termination_protection", .member = &S::managed_termination_protection},
      {.name = "managed_draining", .member = &S::managed_draining},
      {.name = "service_scale_out_cooldown", .member = &S::service_scale_out_cooldown},
      {.name = "service_scale_in_cooldown", .member = &S::service_scale_in_cooldown},
      {.name = "log_retention_in_days", .member = &S::log_retention_in_days},
      {.name = "network_mode", .member = &S::network_mode},
      {.name = "container_insights", .member = &S::container_insights},
      {.name = "nat_gateway_per_az", .member = &S::nat_gateway_per_az},
      {.name = "alb_idle_timeout", .member = &S::alb_idle_timeout},
      // AWS-only.
      {.name = "certificate_arn", .member = &S::certificate_arn},
      {.name = "additional_certificate_arns", .member = &S::additional_certificate_arns},
      {.name = "enable_waf", .member = &S::enable_waf},
      {.name = "enable_vpc_endpoints", .member = &S::enable_vpc_endpoints},
      {.name = "alarm_sns_topic_arn", .member = &S::alarm_sns_topic_arn},
      // Local-only.
      {.name = "listen_address", .member = &S::listen_address},
      {.name = "https_listen_address", .member = &S::https_listen_address},
      {.name = "certificate_file", .member = &S::certificate_file},
      {.name = "private_key_file", .member = &S::private_key_file},
      {.name = "additional_certificates", .member = &S::additional_certificates},
      {.name = "ssl_policy", .member = &S::ssl_policy},
      {.name = "redirect_http_to_https", .member = &S::redirect_http_to_https},
  };
  return kFields;
}

const std::vector<Field<ServiceSettings>>& ServiceFields() {
  using S = ServiceSettings;
  static const std::vector<Field<S>> kFields = {
      {.name = "desired_count", .member = &S::desired_count, .required = true, .example = "2"},
      {.name = "path_pattern",
       .member = &S::path_pattern,
       .required = true,
       .example = "[\"/api*\"]"},
      {.name = "priority", .member = &S::priority, .required = true, .example = "100"},
      {.name = "container_port", .member = &S::container_port, .required = true, .example = "80"},
      {.name = "cpu", .member = &S::cpu, .required = true, .example = "256"},
      {.name = "memory", .member = &S::memory, .required = true, .example = "512"},
      {.name = "image", .member = &S::image},
      {.name = "health_check", .member = &S::health_check},
      {.name = "deregistration_delay", .member = &S::deregistration_delay},
      {.name = "load_balancing_algorithm", .member = &S::load_balancing_algorithm},
      {.name = "deployment_maximum_percent", .member = &S::deployment_maximum_percent},
      {.name = "deployment_minimum_healthy_percent",
       .member = &S::deployment_minimum_healthy_percent},
      {.name = "deployment_circuit_breaker", .member = &S::deployment_circuit_breaker},
      {.name = "stop_timeout", .member = &S::stop_timeout},
      {.name = "autoscaling_min_capacity", .member = &S::autoscaling_min_capacity},
      {.name = "autoscaling_max_capacity", .member = &S::autoscaling_max_capacity},
      {.name = "command", .member = &S::command, .shell_string = true},
      {.name = "environment", .member = &S::environment},
      {.name = "secrets", .member = &S::secrets},
  };
  return kFields;
}

const std::vector<Field<HealthCheckSettings>>& HealthCheckFields() {
  using S = HealthCheckSettings;
  static const std::vector<Field<S>> kFields = {
      {.name = "path", .member = &S::path},
      {.name = "interval_seconds", .member = &S::interval_seconds},
      {.name = "timeout_seconds", .member = &S::timeout_seconds},
      {.name = "healthy_threshold", .member = &S::healthy_threshold},
      {.name = "unhealthy_threshold", .member = &S::unhealthy_threshold},
      {.name = "matcher", .member = &S::matcher},
  };
  return kFields;
}

const std::vector<Field<CircuitBreakerSettings>>& CircuitBreakerFields() {
  using S = CircuitBreakerSettings;
  static const std::vector<Field<S>> kFields = {
      {.name = "enable", .member = &S::enable},
      {.name = "rollback", .member = &S::rollback},
  };
  return kFields;
}

const std::vector<Field<CertificateSettings>>& CertificateFields() {
  using S = CertificateSettings;
  static const std::vector<Field<S>> kFields = {
      {.name = "certificate_file", .member = &S::certificate_file, .required = true,
       .example = "\"certs/b.example.pem\""},
      {.name = "private_key_file", .member = &S::private_key_file, .required = true,
       .example = "\"certs/b.example.key\""},
  };
  return kFields;
}

namespace {

template <typename S>
void AppendPaths(const std::vector<Field<S>>& fields, const std::string& prefix,
                 std::vector<std::string>* paths) {
  for (const Field<S>& field : fields) paths->push_back(prefix + field.name);
}

}  // namespace

std::vector<std::string> AllSettingPaths() {
  std::vector<std::string> paths;
  AppendPaths(TopLevelFields(), "", &paths);
  AppendPaths(ServiceFields(), "services.<name>.", &paths);
  AppendPaths(HealthCheckFields(), "services.<name>.health_check.", &paths);
  AppendPaths(CircuitBreakerFields(), "services.<name>.deployment_circuit_breaker.", &paths);
  AppendPaths(CertificateFields(), "additional_certificates.<index>.", &paths);
  return paths;
}

}  // namespace drydock::config

// The typed configuration: every variable of the origin's terraform.tfvars and
// every value the origin hard-codes, each with the origin's value as default.
// docs/configuration.md lists them all with range and meaning; keep it in sync.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/source.h"

namespace drydock::config {

struct HealthCheckSettings {
  std::string path = "/";
  int interval_seconds = 30;
  int timeout_seconds = 5;
  int healthy_threshold = 2;
  int unhealthy_threshold = 2;
  std::string matcher = "200";  // "200", "200,202" or "200-299"
};

struct CircuitBreakerSettings {
  bool enable = true;
  bool rollback = true;
};

// One extra certificate of the HTTPS listener (ALB's listener certificates,
// chosen by SNI). PEM paths, relative to the configuration file's directory.
struct CertificateSettings {
  std::string certificate_file;
  std::string private_key_file;
};

struct ServiceSettings {
  std::string name;  // the key in `services`

  // The origin's per-service attributes (required, as in the origin).
  int desired_count = 0;
  std::vector<std::string> path_pattern;
  int priority = 0;
  int container_port = 0;
  int cpu = 0;     // CPU units (1024 per vCPU)
  int memory = 0;  // MiB

  // Values the origin hard-codes, now optional.
  std::string image = "nginx:latest";  // used by the AWS target only
  HealthCheckSettings health_check;
  int deregistration_delay = 30;                  // seconds, 0..3600
  // The target group's load_balancing.algorithm.type.
  std::string load_balancing_algorithm = "round_robin";  // | least_outstanding_requests
  int deployment_maximum_percent = 200;
  int deployment_minimum_healthy_percent = 100;
  CircuitBreakerSettings deployment_circuit_breaker;
  int stop_timeout = 30;  // seconds between SIGTERM and SIGKILL
  int autoscaling_min_capacity = -1;  // -1 until decoded: defaults to desired_count
  int autoscaling_max_capacity = 20;

  // containerDefinitions[].secrets: environment variable name -> valueFrom
  // (a secret ARN or name, optionally ":json-key:version-stage:version-id").
  // Default: the service's whole vault as one variable, DefaultSecrets().
  std::map<std::string, std::string> secrets;

  // Local-only settings (ignored by the AWS target).
  std::vector<std::string> command;            // argv of the task process
  std::map<std::string, std::string> environment;
};

// The origin's exposure of a service's vault: the whole secret (a JSON
// object, first {"PORT": "<container_port>"}) as the variable SECRETS, so
// keys added to the vault later reach new tasks without a task-definition
// change.
inline constexpr const char* kDefaultSecretsVariable = "SECRETS";
std::map<std::string, std::string> DefaultSecrets(const std::string& service_name);

struct Settings {
  // The origin's variables.
  std::string region = "us-east-1";
  std::string environment = "production";
  std::string vpc_cidr = "10.0.0.0/16";
  std::string cluster_name = "production-cluster";
  std::string instance_type = "t3.medium";
  int asg_min_size = 2;
  int asg_max_size = 10;
  int asg_desired_capacity = 2;
  int on_demand_base_capacity = 1;
  int on_demand_percentage_above_base = 20;
  std::vector<ServiceSettings> services;  // in source order
  double service_cpu_target = 70;
  double service_memory_target = 80;
  double alb_requests_per_target = 1000;

  // Values the origin hard-codes, now optional.
  int availability_zone_count = 2;
  std::vector<std::string> spot_instance_types = {"t3.medium", "t3a.medium", "t2.medium"};
  std::string spot_allocation_strategy = "price-capacity-optimized";
  int capacity_provider_target_capacity = 100;
  int capacity_provider_minimum_scaling_step_size = 1;
  int capacity_provider_maximum_scaling_step_size = 10;
  int capacity_provider_instance_warmup_period = 300;
  bool managed_termination_protection = true;
  bool managed_draining = true;
  int service_scale_out_cooldown = 60;
  int service_scale_in_cooldown = 300;
  int log_retention_in_days = 14;
  std::string network_mode = "awsvpc";  // awsvpc | bridge | host
  bool container_insights = true;
  bool nat_gateway_per_az = false;  // the origin runs one shared NAT gateway
  int alb_idle_timeout = 60;        // seconds, 1..4000

  // AWS-only settings (docs/plan.md lists the resources each one adds).
  // The AWS HTTPS listener (443) exists iff certificate_arn is set: an ACM or
  // IAM server-certificate ARN; the extra ones are chosen by SNI.
  std::string certificate_arn;
  std::vector<std::string> additional_certificate_arns;
  bool enable_waf = false;            // a WAF web ACL with AWS managed rules on the ALB
  bool enable_vpc_endpoints = false;  // S3 gateway + ECR, Secrets Manager, Logs interface endpoints
  std::string alarm_sns_topic_arn;    // "" = the CloudWatch alarms notify nobody

  // Local-only settings.
  std::string listen_address = "127.0.0.1:8080";
  // The local HTTPS listener (docs/alb.md, "HTTPS"); "" = none. The AWS
  // target's is certificate_arn's.
  std::string https_listen_address;
  // The default certificate, PEM paths relative to the file's directory;
  // both "" with HTTPS on: a self-signed pair under <state-dir>/tls/.
  std::string certificate_file;
  std::string private_key_file;
  std::vector<CertificateSettings> additional_certificates;  // chosen by SNI
  // Both HTTPS listeners' (local and AWS).
  std::string ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06";
  bool redirect_http_to_https = false;  // the HTTP listener only redirects (301)
};

// Where each setting was written. Keys are dotted setting paths
// ("services.api.health_check.interval_seconds"). A setting left at its default
// has no entry; PositionOf() then falls back to the closest written parent,
// and finally to line 1, column 1.
class SourceMap {
 public:
  void Record(const std::string& path, SourcePos pos) { positions_[path] = pos; }
  bool Has(const std::string& path) const { return positions_.count(path) > 0; }
  SourcePos PositionOf(const std::string& path) const;

 private:
  std::map<std::string, SourcePos> positions_;
};

// A decoded configuration file.
struct Config {
  std::string file;
  Settings settings;
  SourceMap sources;
};

}  // namespace drydock::config

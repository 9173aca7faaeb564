// module "ecs-service", once per service: its log group, its own secret (the
// "vault"), an execution role that may read only that secret, a task role,
// the target group and listener rule on the shared ALB, the task definition,
// the service with rolling deployment settings, target-tracking scaling, and
// alarms on unhealthy targets, CPU, memory and (with Container Insights)
// missing tasks.
#include <utility>

#include "aws/iam_names.h"
#include "plan/resources.h"

namespace drydock::plan {
namespace {

struct Names {
  std::string prefix;  // "<cluster>-<service>", for IAM roles and security groups
  bool awsvpc = false;
  bool https = false;     // an HTTPS listener on AWS (certificate_arn)
  bool redirect = false;  // its HTTP listener only redirects (redirect_http_to_https)
};

void AddLogsAndSecret(const config::Settings& s, const config::ServiceSettings& svc,
                      ModuleBuilder& m) {
  m.Add("aws_cloudwatch_log_group", "service")
      .Str("name", "/ecs/" + svc.name)
      .Num("retention_in_days", s.log_retention_in_days);
  m.Add("aws_secretsmanager_secret", "service").Str("name", svc.name);
  // Only the initial value: the vault is edited by people afterwards.
  m.Add("aws_secretsmanager_secret_version", "service")
      .Ref("secret_id", "aws_secretsmanager_secret.service.id")
      .Str("secret_string", "{\"PORT\":\"" + std::to_string(svc.container_port) + "\"}")
      .List("lifecycle.ignore_changes", {"secret_string"});
}

void AddRoles(const Names& n, ModuleBuilder& m) {
  m.Add("aws_iam_role", "execution")
      .Str("name", n.prefix + "-execution")  // aws::ExecutionRoleName
      .Str("assume_role_principal", "ecs-tasks.amazonaws.com");
  m.Add("aws_iam_role_policy_attachment", "execution")
      .Ref("role", "aws_iam_role.execution.name")
      .Str("policy_arn", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
  // A managed policy rather than an inline one, so that it can be detached
  // and attached again (`drydock iam detach|attach`, scenario S2).
  m.Add("aws_iam_policy", "execution_secrets")
      .Str("name", n.prefix + "-secrets")
      .List("actions", {"secretsmanager:GetSecretValue"})
      .Refs("resources", {"aws_secretsmanager_secret.service.arn"});
  m.Add("aws_iam_role_policy_attachment", "execution_secrets")
      .Ref("role", "aws_iam_role.execution.name")
      .Ref("policy_arn", "aws_iam_policy.execution_secrets.arn");
  m.Add("aws_iam_role", "task")
      .Str("name", n.prefix + "-task")
      .Str("assume_role_principal", "ecs-tasks.amazonaws.com");
}

void AddRouting(const config::ServiceSettings& svc, const Names& n, ModuleBuilder& m) {
  if (n.awsvpc) {
    m.Add("aws_security_group", "service")
        .Str("name", n.prefix + "-tasks")
        .Ref("vpc_id", "module.networking.aws_vpc.main.id")
        .List("ingress", {"tcp " + std::to_string(svc.container_port) +
                          " from module.alb.aws_security_group.alb.id"})
        .List("egress", {"all to 0.0.0.0/0"});
  }
  const config::HealthCheckSettings& hc = svc.health_check;
  m.Add("aws_lb_target_group", "service")
      .Str("name", svc.name + "-tg")
      .Num("port", svc.container_port)
      .Str("protocol", "HTTP")
      .Str("target_type", n.awsvpc ? "ip" : "instance")
      .Ref("vpc_id", "module.networking.aws_vpc.main.id")
      .Num("deregistration_delay", svc.deregistration_delay)
      .Str("load_balancing_algorithm_type", svc.load_balancing_algorithm)
      .Str("health_check.path", hc.path)
      .Num("health_check.interval", hc.interval_seconds)
      .Num("health_check.timeout", hc.timeout_seconds)
      .Num("health_check.healthy_threshold", hc.healthy_threshold)
      .Num("health_check.unhealthy_threshold", hc.unhealthy_threshold)
      .Str("health_check.matcher", hc.matcher);
  // With HTTPS the rules are the HTTPS listener's too; with the redirect on,
  // only its: the HTTP listener's one action is the redirect.
  auto add_rule = [&](const std::string& name, const std::string& listener) {
    m.Add("aws_lb_listener_rule", name)
        .Ref("listener_arn", "module.alb.aws_lb_listener." + listener + ".arn")
        .Num("priority", svc.priority)
        .List("path_pattern", svc.path_pattern)
        .Str("action.type", "forward")
        .Ref("action.target_group_arn", "aws_lb_target_group.service.arn");
  };
  if (!n.https || !n.redirect) add_rule("service", "http");
  if (n.https) add_rule("service_https", "https");
}

// "NAME=valueFrom" per secret, the service's own vault by its ARN: drydock's
// name shorthand ("api", "api:PORT::") becomes the ARN form ECS requires.
std::vector<std::string> SecretEntries(const config::ServiceSettings& svc) {
  std::vector<std::string> entries;
  for (const auto& [name, value_from] : svc.secrets) {
    std::string reference = value_from;
    if (value_from == svc.name || value_from.rfind(svc.name + ":", 0) == 0) {
      reference = "aws_secretsmanager_secret.service.arn" + value_from.substr(svc.name.size());
    }
    entries.push_back(name + "=" + reference);
  }
  return entries;
}

void AddTaskDefinition(const config::Settings& s, const config::ServiceSettings& svc,
                       ModuleBuilder& m) {
  // bridge: dynamic host port (0); awsvpc and host: the container port.
  const int host_port = s.network_mode == "bridge" ? 0 : svc.container_port;
  m.Add("aws_ecs_task_definition", "service")
      .Str("family", svc.name)
      .List("requires_compatibilities", {"EC2"})
      .Str("network_mode", s.network_mode)
      .Num("cpu", svc.cpu)
      .Num("memory", svc.memory)
      .Ref("execution_role_arn", "aws_iam_role.execution.arn")
      .Ref("task_role_arn", "aws_iam_role.task.arn")
      .Str("container.name", svc.name)
      .Str("container.image", svc.image)
      .Num("container.container_port", svc.container_port)
      .Num("container.host_port", host_port)
      .List("container.secrets", SecretEntries(svc))
      .Num("container.stop_timeout", svc.stop_timeout)
      .Str("container.log_driver", "awslogs")
      .Str("container.log_group", "/ecs/" + svc.name)
      .Str("container.log_stream_prefix", "ecs");
}

void AddEcsService(const config::Settings& s, const config::ServiceSettings& svc, const Names& n,
                   ModuleBuilder& m) {
  m.Add("aws_ecs_service", "service")
      .Str("name", svc.name)
      .Ref("cluster", "module.ecs-cluster.aws_ecs_cluster.main.id")
      .Ref("task_definition", "aws_ecs_task_definition.service.arn")
      .Num("desired_count", svc.desired_count)
      .Num("deployment_maximum_percent", svc.deployment_maximum_percent)
      .Num("deployment_minimum_healthy_percent", svc.deployment_minimum_healthy_percent)
      .Bool("deployment_circuit_breaker.enable", svc.deployment_circuit_breaker.enable)
      .Bool("deployment_circuit_breaker.rollback", svc.deployment_circuit_breaker.rollback)
      .Str("capacity_provider_strategy.capacity_provider", CapacityProviderName(s))
      .Num("capacity_provider_strategy.weight", 1)
      .Ref("load_balancer.target_group_arn", "aws_lb_target_group.service.arn")
      .Str("load_balancer.container_name", svc.name)
      .Num("load_balancer.container_port", svc.container_port);
  if (n.awsvpc) {
    m.Refs("network_configuration.subnets",
           IndexedRefs("module.networking.aws_subnet.private", s.availability_zone_count, ".id"))
        .Refs("network_configuration.security_groups", {"aws_security_group.service.id"});
  }
  // Service auto scaling owns desired_count once the service exists.
  m.List("lifecycle.ignore_changes", {"desired_count"});
}

void AddPolicy(const config::Settings& s, const std::string& name, const std::string& metric,
               double target, ModuleBuilder& m) {
  m.Add("aws_appautoscaling_policy", name)
      .Str("policy_type", "TargetTrackingScaling")
      .Ref("resource_id", "aws_appautoscaling_target.service.resource_id")
      .Str("predefined_metric", metric)
      .Num("target_value", target)
      .Num("scale_out_cooldown", s.service_scale_out_cooldown)
      .Num("scale_in_cooldown", s.service_scale_in_cooldown);
}

void AddScaling(const config::Settings& s, const config::ServiceSettings& svc, ModuleBuilder& m) {
  const int min_capacity =
      svc.autoscaling_min_capacity >= 0 ? svc.autoscaling_min_capacity : svc.desired_count;
  m.Add("aws_appautoscaling_target", "service")
      .Str("service_namespace", "ecs")
      .Str("resource_id", "service/" + s.cluster_name + "/" + svc.name)
      .Str("scalable_dimension", "ecs:service:DesiredCount")
      .Num("min_capacity", min_capacity)
      .Num("max_capacity", svc.autoscaling_max_capacity);
  AddPolicy(s, "cpu", "ECSServiceAverageCPUUtilization", s.service_cpu_target, m);
  AddPolicy(s, "memory", "ECSServiceAverageMemoryUtilization", s.service_memory_target, m);
  AddPolicy(s, "requests", "ALBRequestCountPerTarget", s.alb_requests_per_target, m);
  m.Ref("resource_label",
        "module.alb.aws_lb.main.arn_suffix/aws_lb_target_group.service.arn_suffix");
}

void AddAlarms(const config::Settings& s, const config::ServiceSettings& svc, const Names& n,
               ModuleBuilder& m) {
  const std::vector<std::string> service = {"ClusterName=" + s.cluster_name,
                                            "ServiceName=" + svc.name};
  if (s.container_insights) {
    AddAlarm(s,
             AlarmSpec{.name = "running_tasks",
                       .alarm_name = n.prefix + "-running-tasks",
                       .metric_namespace = "ECS/ContainerInsights",
                       .expression = "desired - running",
                       .metrics = {"desired=DesiredTaskCount", "running=RunningTaskCount"},
                       .dimensions = service,
                       .statistic = "Average",
                       .threshold = 0,
                       .comparison = "GreaterThanThreshold"},
             m);
  }
  AddAlarm(s,
           AlarmSpec{.name = "unhealthy_hosts",
                     .alarm_name = n.prefix + "-unhealthy-hosts",
                     .metric_namespace = "AWS/ApplicationELB",
                     .metric_name = "UnHealthyHostCount",
                     .dimensions = {"TargetGroup=aws_lb_target_group.service.arn_suffix",
                                    "LoadBalancer=module.alb.aws_lb.main.arn_suffix"},
                     .statistic = "Maximum",
                     .threshold = 0,
                     .comparison = "GreaterThanThreshold"},
           m);
  for (const auto& [name, metric] : {std::pair<std::string, std::string>{"cpu", "CPUUtilization"},
                                     {"memory", "MemoryUtilization"}}) {
    AddAlarm(s,
             AlarmSpec{.name = name,
                       .alarm_name = n.prefix + "-" + name + "-high",
                       .metric_namespace = "AWS/ECS",
                       .metric_name = metric,
                       .dimensions = service,
                       .statistic = "Average",
                       .threshold = 90,
                       .comparison = "GreaterThanThreshold"},
             m);
  }
}

}  // namespace

void AddService(const config::Settings& s, const config::ServiceSettings& svc,
                std::vector<Resource>* out) {
  ModuleBuilder m(out, ServiceModule(svc.name));
  const Names n{aws::ServiceResourcePrefix(s.cluster_name, svc.name), s.network_mode == "awsvpc",
                !s.certificate_arn.empty(), s.redirect_http_to_https};
  AddLogsAndSecret(s, svc, m);
  AddRoles(n, m);
  AddRouting(svc, n, m);
  AddTaskDefinition(s, svc, m);
  AddEcsService(s, svc, n, m);
  AddScaling(s, svc, m);
  AddAlarms(s, svc, n, m);
}

}  // namespace drydock::plan

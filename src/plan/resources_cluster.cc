// module "ecs-cluster": the cluster, the instances' security group, IAM role
// and launch template, the Auto Scaling group with its mixed instances policy,
// the capacity provider, the Spot-interruption EventBridge rule, and alarms on
// Spot interruptions and on tasks waiting for instances.
#include <algorithm>

#include "aws/pricing.h"
#include "plan/capacity.h"
#include "plan/resources.h"

namespace drydock::plan {
namespace {

const char* Enabled(bool on) { return on ? "ENABLED" : "DISABLED"; }

// What may reach the instances themselves. awsvpc tasks have their own ENI
// and security group, so nothing; bridge tasks get dynamic host ports from the
// ephemeral range; host-mode tasks bind their container port on the host.
std::vector<std::string> InstanceIngress(const config::Settings& s) {
  const std::string from = " from module.alb.aws_security_group.alb.id";
  if (s.network_mode == "bridge") return {"tcp 32768-65535" + from};
  std::vector<std::string> rules;
  if (s.network_mode != "host") return rules;
  std::vector<int> ports;
  for (const config::ServiceSettings& service : s.services) {
    if (std::find(ports.begin(), ports.end(), service.container_port) == ports.end()) {
      ports.push_back(service.container_port);
    }
  }
  for (int port : ports) rules.push_back("tcp " + std::to_string(port) + from);
  return rules;
}

void AddInstanceRole(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_security_group", "ecs_instances")
      .Str("name", s.cluster_name + "-ecs-instances")
      .Ref("vpc_id", "module.networking.aws_vpc.main.id")
      .List("ingress", InstanceIngress(s))
      .List("egress", {"all to 0.0.0.0/0"});
  m.Add("aws_iam_role", "ecs_instance")
      .Str("name", s.cluster_name + "-ecs-instance")
      .Str("assume_role_principal", "ec2.amazonaws.com");
  m.Add("aws_iam_role_policy_attachment", "ecs_instance")
      .Ref("role", "aws_iam_role.ecs_instance.name")
      .Str("policy_arn",
           "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role");
  m.Add("aws_iam_instance_profile", "ecs_instance")
      .Str("name", s.cluster_name + "-ecs-instance")
      .Ref("role", "aws_iam_role.ecs_instance.name");
}

void AddLaunchTemplate(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_launch_template", "ecs")
      .Str("name_prefix", s.cluster_name + "-")
      .Str("image_id", "ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")
      .Str("instance_type", s.instance_type)
      .Ref("iam_instance_profile", "aws_iam_instance_profile.ecs_instance.arn")
      .Refs("vpc_security_group_ids", {"aws_security_group.ecs_instances.id"})
      .Str("metadata_options.http_tokens", "required")
      .Bool("monitoring.enabled", true)
      .Num("root_volume.size_gb", aws::kRootVolumeGb)  // priced in cost.cc
      .Str("root_volume.type", "gp3")
      .List("user_data.ecs_config",
            {"ECS_CLUSTER=" + s.cluster_name, "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"});
}

void AddGroup(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_autoscaling_group", "ecs")
      .Str("name", s.cluster_name + "-asg")
      .Num("min_size", s.asg_min_size)
      .Num("max_size", s.asg_max_size)
      .Num("desired_capacity", s.asg_desired_capacity)
      .Refs("vpc_zone_identifier",
            IndexedRefs("module.networking.aws_subnet.private", s.availability_zone_count, ".id"))
      .Bool("protect_from_scale_in", s.managed_termination_protection)
      .Num("instances_distribution.on_demand_base_capacity", s.on_demand_base_capacity)
      .Num("instances_distribution.on_demand_percentage_above_base_capacity",
           s.on_demand_percentage_above_base)
      .Str("instances_distribution.on_demand_allocation_strategy", "prioritized")
      .Str("instances_distribution.spot_allocation_strategy", s.spot_allocation_strategy)
      .Ref("launch_template.id", "aws_launch_template.ecs.id")
      .List("launch_template.overrides", ConfiguredInstanceTypes(s))
      .Str("tag.AmazonECSManaged", "true")
      .List("lifecycle.ignore_changes", {"desired_capacity"});
}

void AddCapacityProvider(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_ecs_capacity_provider", "main")
      .Str("name", CapacityProviderName(s))
      .Ref("auto_scaling_group_arn", "aws_autoscaling_group.ecs.arn")
      .Str("managed_termination_protection", Enabled(s.managed_termination_protection))
      .Str("managed_draining", Enabled(s.managed_draining))
      .Str("managed_scaling.status", "ENABLED")
      .Num("managed_scaling.target_capacity", s.capacity_provider_target_capacity)
      .Num("managed_scaling.minimum_scaling_step_size",
           s.capacity_provider_minimum_scaling_step_size)
      .Num("managed_scaling.maximum_scaling_step_size",
           s.capacity_provider_maximum_scaling_step_size)
      .Num("managed_scaling.instance_warmup_period", s.capacity_provider_instance_warmup_period);
  m.Add("aws_ecs_cluster_capacity_providers", "main")
      .Ref("cluster_name", "aws_ecs_cluster.main.name")
      .Refs("capacity_providers", {"aws_ecs_capacity_provider.main.name"})
      .Ref("default_strategy.capacity_provider", "aws_ecs_capacity_provider.main.name")
      .Num("default_strategy.base", 0)
      .Num("default_strategy.weight", 1);
}

// EventBridge -> CloudWatch Logs needs the /aws/events/ prefix and a log
// resource policy that lets events.amazonaws.com write.
void AddSpotInterruption(const config::Settings& s, ModuleBuilder& m) {
  m.Add("aws_cloudwatch_event_rule", "spot_interruption")
      .Str("name", s.cluster_name + "-spot-interruption")
      .List("event_pattern.source", {"aws.ec2"})
      .List("event_pattern.detail-type", {"EC2 Spot Instance Interruption Warning"});
  m.Add("aws_cloudwatch_event_target", "spot_interruption")
      .Ref("rule", "aws_cloudwatch_event_rule.spot_interruption.name")
      .Ref("arn", "aws_cloudwatch_log_group.spot_interruption.arn");
  m.Add("aws_cloudwatch_log_group", "spot_interruption")
      .Str("name", "/aws/events/" + s.cluster_name + "/spot-interruption")
      .Num("retention_in_days", s.log_retention_in_days);
  m.Add("aws_cloudwatch_log_resource_policy", "spot_interruption")
      .Str("policy_name", s.cluster_name + "-spot-interruption")
      .Str("principal", "events.amazonaws.com")
      .List("actions", {"logs:CreateLogStream", "logs:PutLogEvents"})
      .Ref("resource", "aws_cloudwatch_log_group.spot_interruption.arn");
}

void AddAlarms(const config::Settings& s, ModuleBuilder& m) {
  // Two interruption warnings in 5 minutes: Spot capacity is being reclaimed.
  AddAlarm(s,
           AlarmSpec{.name = "spot_interruptions",
                     .alarm_name = s.cluster_name + "-spot-interruptions",
                     .metric_namespace = "AWS/Events",
                     .metric_name = "TriggeredRules",
                     .dimensions = {"RuleName=aws_cloudwatch_event_rule.spot_interruption.name"},
                     .statistic = "Sum",
                     .period = 300,
                     .evaluation_periods = 1,
                     .threshold = 2,
                     .comparison = "GreaterThanOrEqualToThreshold"},
           m);
  // A reservation above 100 % means tasks wait for instances; 15 minutes of
  // it is more than a scale-out takes.
  AddAlarm(s,
           AlarmSpec{.name = "capacity_reservation",
                     .alarm_name = s.cluster_name + "-capacity-reservation",
                     .metric_namespace = "AWS/ECS/ManagedScaling",
                     .metric_name = "CapacityProviderReservation",
                     .dimensions = {"ClusterName=" + s.cluster_name,
                                    "CapacityProviderName=" + CapacityProviderName(s)},
                     .statistic = "Average",
                     .period = 60,
                     .evaluation_periods = 15,
                     .threshold = 100,
                     .comparison = "GreaterThanThreshold"},
           m);
}

}  // namespace

void AddCluster(const config::Settings& s, std::vector<Resource>* out) {
  ModuleBuilder m(out, "ecs-cluster");
  m.Add("aws_ecs_cluster", "main")
      .Str("name", s.cluster_name)
      .Str("setting.containerInsights", s.container_insights ? "enabled" : "disabled");
  AddInstanceRole(s, m);
  AddLaunchTemplate(s, m);
  AddGroup(s, m);
  AddCapacityProvider(s, m);
  AddSpotInterruption(s, m);
  AddAlarms(s, m);
}

}  // namespace drydock::plan

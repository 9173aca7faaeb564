# The AWS target of drydock: the configuration `drydock up` runs locally,
# deployed on ECS on EC2. `drydock plan <tfvars>` lists exactly the resources
# these modules create for the same file (docs/plan.md); keep them in step.

locals {
  # On every resource. Provider default tags reach neither the Auto Scaling
  # group nor what it launches, so modules/ecs-cluster also gets them as
  # `tags` for the group, its instances and their volumes.
  tags = {
    Environment = var.environment
    Cluster     = var.cluster_name
    ManagedBy   = "terraform"
    Project     = "drydock"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# Zones in ascending name order (<region>a, <region>b, ... in most accounts,
# which is what `drydock plan` shows). Local Zones and Wavelength Zones are
# opt-in and are left out: an ALB and the NAT gateways need regular zones.
data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

# "aws", "aws-cn" or "aws-us-gov": the partition of the AWS managed policy ARNs.
data "aws_partition" "current" {}

locals {
  # The AWS HTTPS listener exists iff certificate_arn is set (https_listen_address
  # is the local runtime's HTTPS listener only), and the HTTP listener only
  # redirects when both it and redirect_http_to_https are set.
  https_enabled  = var.certificate_arn != ""
  http_redirects = local.https_enabled && var.redirect_http_to_https

  # Host ports the instances must open to the ALB in host network mode.
  service_container_ports = distinct([for name, svc in var.services : svc.container_port])
}

module "networking" {
  source = "./modules/networking"

  name                    = var.cluster_name
  region                  = var.region
  vpc_cidr                = var.vpc_cidr
  availability_zones      = data.aws_availability_zones.available.names
  availability_zone_count = var.availability_zone_count
  nat_gateway_per_az      = var.nat_gateway_per_az
  enable_vpc_endpoints    = var.enable_vpc_endpoints
}

module "alb" {
  source = "./modules/alb"

  name                        = var.cluster_name
  vpc_id                      = module.networking.vpc_id
  vpc_cidr                    = module.networking.vpc_cidr
  public_subnet_ids           = module.networking.public_subnet_ids
  idle_timeout                = var.alb_idle_timeout
  https_enabled               = local.https_enabled
  certificate_arn             = var.certificate_arn
  additional_certificate_arns = var.additional_certificate_arns
  ssl_policy                  = var.ssl_policy
  redirect_http_to_https      = local.http_redirects
  enable_waf                  = var.enable_waf
  alarm_sns_topic_arn         = var.alarm_sns_topic_arn
}

module "ecs-cluster" {
  source = "./modules/ecs-cluster"

  cluster_name                    = var.cluster_name
  partition                       = data.aws_partition.current.partition
  vpc_id                          = module.networking.vpc_id
  private_subnet_ids              = module.networking.private_subnet_ids
  alb_security_group_id           = module.alb.security_group_id
  network_mode                    = var.network_mode
  host_ports                      = local.service_container_ports
  container_insights              = var.container_insights
  instance_type                   = var.instance_type
  spot_instance_types             = var.spot_instance_types
  asg_min_size                    = var.asg_min_size
  asg_max_size                    = var.asg_max_size
  asg_desired_capacity            = var.asg_desired_capacity
  on_demand_base_capacity         = var.on_demand_base_capacity
  on_demand_percentage_above_base = var.on_demand_percentage_above_base
  spot_allocation_strategy        = var.spot_allocation_strategy
  target_capacity                 = var.capacity_provider_target_capacity
  minimum_scaling_step_size       = var.capacity_provider_minimum_scaling_step_size
  maximum_scaling_step_size       = var.capacity_provider_maximum_scaling_step_size
  instance_warmup_period          = var.capacity_provider_instance_warmup_period
  managed_termination_protection  = var.managed_termination_protection
  managed_draining                = var.managed_draining
  log_retention_in_days           = var.log_retention_in_days
  alarm_sns_topic_arn             = var.alarm_sns_topic_arn
  tags                            = local.tags
}

module "ecs-service" {
  source   = "./modules/ecs-service"
  for_each = var.services

  name = each.key

  # Shared infrastructure.
  region                  = var.region
  partition               = data.aws_partition.current.partition
  cluster_name            = module.ecs-cluster.cluster_name
  cluster_id              = module.ecs-cluster.cluster_id
  capacity_provider_name  = module.ecs-cluster.capacity_provider_name
  vpc_id                  = module.networking.vpc_id
  private_subnet_ids      = module.networking.private_subnet_ids
  alb_security_group_id   = module.alb.security_group_id
  alb_arn_suffix          = module.alb.arn_suffix
  http_listener_arn       = module.alb.http_listener_arn
  https_listener_arn      = module.alb.https_listener_arn
  http_listener_redirects = local.http_redirects
  https_enabled           = local.https_enabled
  network_mode            = var.network_mode
  container_insights      = var.container_insights
  log_retention_in_days   = var.log_retention_in_days
  alarm_sns_topic_arn     = var.alarm_sns_topic_arn

  # Service auto scaling (top-level settings, the same for every service).
  cpu_target          = var.service_cpu_target
  memory_target       = var.service_memory_target
  requests_per_target = var.alb_requests_per_target
  scale_out_cooldown  = var.service_scale_out_cooldown
  scale_in_cooldown   = var.service_scale_in_cooldown

  # The service's own settings (`command` and `environment` are local-only).
  desired_count                      = each.value.desired_count
  path_pattern                       = each.value.path_pattern
  priority                           = each.value.priority
  container_port                     = each.value.container_port
  cpu                                = each.value.cpu
  memory                             = each.value.memory
  image                              = each.value.image
  health_check                       = each.value.health_check
  deregistration_delay               = each.value.deregistration_delay
  load_balancing_algorithm           = each.value.load_balancing_algorithm
  deployment_maximum_percent         = each.value.deployment_maximum_percent
  deployment_minimum_healthy_percent = each.value.deployment_minimum_healthy_percent
  deployment_circuit_breaker         = each.value.deployment_circuit_breaker
  stop_timeout                       = each.value.stop_timeout
  autoscaling_min_capacity           = each.value.autoscaling_min_capacity
  autoscaling_max_capacity           = each.value.autoscaling_max_capacity
  secrets                            = each.value.secrets
}

# Cross-setting consistency that drydock reports as warnings
# (docs/validation.md); `check` blocks warn without stopping the apply.
check "redirect_without_certificate" {
  assert {
    condition     = !var.redirect_http_to_https || var.certificate_arn != ""
    error_message = "redirect_http_to_https is set but certificate_arn is empty: the AWS HTTP listener keeps serving (no HTTPS listener to redirect to)."
  }
}

check "additional_certificates_without_certificate" {
  assert {
    condition     = length(var.additional_certificate_arns) == 0 || var.certificate_arn != ""
    error_message = "additional_certificate_arns is set but certificate_arn is empty: there is no HTTPS listener to attach them to (drydock warning https-setting-unused)."
  }
}

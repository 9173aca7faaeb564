locals {
  # HTTPS when the load balancer has a certificate (its HTTP listener may
  # then only redirect).
  alb_url = "${local.https_enabled ? "https" : "http"}://${module.alb.dns_name}"
}

output "alb_url" {
  description = "URL of the load balancer: https:// when certificate_arn is set, else http://."
  value       = local.alb_url
}

output "alb_dns_name" {
  description = "DNS name of the load balancer (point a CNAME or Route 53 alias at it)."
  value       = module.alb.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone ID of the load balancer, for alias records."
  value       = module.alb.zone_id
}

output "alb_arn" {
  description = "ARN of the load balancer."
  value       = module.alb.arn
}

output "service_endpoints" {
  description = "URL of each service: the load balancer URL followed by the service's first path pattern without a trailing *."
  value = {
    for name, svc in var.services : name => "${local.alb_url}${trimsuffix(svc.path_pattern[0], "*")}"
  }
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.ecs-cluster.cluster_name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = module.ecs-cluster.cluster_arn
}

output "autoscaling_group_name" {
  description = "Name of the container instances' Auto Scaling group."
  value       = module.ecs-cluster.autoscaling_group_name
}

output "capacity_provider_name" {
  description = "Name of the ECS capacity provider."
  value       = module.ecs-cluster.capacity_provider_name
}

output "spot_interruption_log_group_name" {
  description = "Log group receiving the EC2 Spot interruption warnings."
  value       = module.ecs-cluster.spot_interruption_log_group_name
}

output "secret_arns" {
  description = "ARN of each service's Secrets Manager secret (its vault), by service."
  value       = { for name, svc in module.ecs-service : name => svc.secret_arn }
}

output "log_group_names" {
  description = "CloudWatch log group of each service, by service."
  value       = { for name, svc in module.ecs-service : name => svc.log_group_name }
}

output "task_definition_arns" {
  description = "Current task definition (with revision) of each service, by service."
  value       = { for name, svc in module.ecs-service : name => svc.task_definition_arn }
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.networking.vpc_id
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways)."
  value       = module.networking.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Private subnets (instances, tasks)."
  value       = module.networking.private_subnet_ids
}

output "nat_gateway_public_ips" {
  description = "Public IPs the instances' and tasks' outbound traffic leaves from."
  value       = module.networking.nat_gateway_public_ips
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL on the load balancer; null without enable_waf."
  value       = module.alb.web_acl_arn
}

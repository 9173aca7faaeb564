output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.main.name
}

output "cluster_id" {
  description = "ID (ARN) of the ECS cluster."
  value       = aws_ecs_cluster.main.id
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.main.arn
}

# Read through the cluster association, so that services created with this
# name wait until the capacity provider is attached to the cluster (a service
# naming an unattached provider fails to create).
output "capacity_provider_name" {
  description = "Name of the capacity provider (<cluster>-cp), attached to the cluster."
  value       = one(aws_ecs_cluster_capacity_providers.main.capacity_providers)
}

output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group."
  value       = aws_autoscaling_group.ecs.name
}

output "autoscaling_group_arn" {
  description = "ARN of the Auto Scaling group."
  value       = aws_autoscaling_group.ecs.arn
}

output "instance_security_group_id" {
  description = "Security group of the container instances."
  value       = aws_security_group.ecs_instances.id
}

output "instance_role_name" {
  description = "IAM role of the container instances."
  value       = aws_iam_role.ecs_instance.name
}

output "launch_template_id" {
  description = "ID of the instances' launch template."
  value       = aws_launch_template.ecs.id
}

output "spot_interruption_log_group_name" {
  description = "Log group receiving the EC2 Spot interruption warnings."
  value       = aws_cloudwatch_log_group.spot_interruption.name
}

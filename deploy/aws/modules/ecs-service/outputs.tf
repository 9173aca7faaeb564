output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.service.name
}

output "service_id" {
  description = "ID (ARN) of the ECS service."
  value       = aws_ecs_service.service.id
}

output "secret_arn" {
  description = "ARN of the service's Secrets Manager secret (its vault)."
  value       = aws_secretsmanager_secret.service.arn
}

output "secret_name" {
  description = "Name of the service's secret."
  value       = aws_secretsmanager_secret.service.name
}

output "log_group_name" {
  description = "CloudWatch log group of the service's containers."
  value       = aws_cloudwatch_log_group.service.name
}

output "task_definition_arn" {
  description = "ARN (with revision) of the service's task definition."
  value       = aws_ecs_task_definition.service.arn
}

output "target_group_arn" {
  description = "ARN of the service's target group."
  value       = aws_lb_target_group.service.arn
}

output "execution_role_arn" {
  description = "ARN of the task execution role (reads the secret)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role (the application's AWS identity)."
  value       = aws_iam_role.task.arn
}

output "security_group_id" {
  description = "Security group of the task ENIs; null unless network_mode is awsvpc."
  value       = one(aws_security_group.service[*].id)
}

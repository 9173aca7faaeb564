# ---------------------------------------------------------------------------
# Shared infrastructure (the other modules' outputs and top-level settings)
# ---------------------------------------------------------------------------

variable "name" {
  description = "Name of the service (its key in `services`): the ECS service, task family, container, secret and log group /ecs/<name>."
  type        = string
}

variable "region" {
  description = "Region of the awslogs log driver."
  type        = string
}

variable "partition" {
  description = "AWS partition of the managed policy ARNs (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "cluster_name" {
  description = "Name of the ECS cluster (role and alarm name prefix, scaling resource ID, alarm dimension)."
  type        = string
}

variable "cluster_id" {
  description = "ID (ARN) of the ECS cluster."
  type        = string
}

variable "capacity_provider_name" {
  description = "Capacity provider of the service's strategy."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group and the awsvpc security group."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the task ENIs (awsvpc)."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer, the only source the tasks admit (awsvpc)."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (request-count scaling label, alarm dimension)."
  type        = string
}

variable "http_listener_arn" {
  description = "ARN of the HTTP listener."
  type        = string
}

variable "https_listener_arn" {
  description = "ARN of the HTTPS listener; null without one."
  type        = string
  default     = null
}

variable "https_enabled" {
  description = "The HTTPS listener exists: the service gets a rule on it (service_https)."
  type        = bool
}

variable "http_listener_redirects" {
  description = "The HTTP listener only redirects to HTTPS: the service gets no rule on it."
  type        = bool
}

variable "network_mode" {
  description = "Task network mode: awsvpc, bridge or host."
  type        = string
}

variable "container_insights" {
  description = "Container Insights is on: the running-tasks alarm can use its metrics."
  type        = bool
}

variable "log_retention_in_days" {
  description = "Retention of /ecs/<name>; 0 = never expire."
  type        = number
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic of the alarms' actions; empty = none."
  type        = string
}

variable "cpu_target" {
  description = "Target of the CPU target-tracking policy (%)."
  type        = number
}

variable "memory_target" {
  description = "Target of the memory target-tracking policy (%)."
  type        = number
}

variable "requests_per_target" {
  description = "Target of the ALBRequestCountPerTarget policy (requests per target per minute)."
  type        = number
}

variable "scale_out_cooldown" {
  description = "Scale-out cooldown of the target-tracking policies (seconds)."
  type        = number
}

variable "scale_in_cooldown" {
  description = "Scale-in cooldown of the target-tracking policies (seconds)."
  type        = number
}

# ---------------------------------------------------------------------------
# The service's settings (docs/configuration.md, "Service settings")
# ---------------------------------------------------------------------------

variable "desired_count" {
  description = "Tasks the service starts with; service auto scaling owns the count afterwards."
  type        = number
}

variable "path_pattern" {
  description = "Path patterns of the listener rules (1..3)."
  type        = list(string)
}

variable "priority" {
  description = "Priority of the listener rules."
  type        = number
}

variable "container_port" {
  description = "Port the container listens on; traffic and health checks go there."
  type        = number
}

variable "cpu" {
  description = "CPU units of the task."
  type        = number
}

variable "memory" {
  description = "Memory of the task (MiB, hard limit)."
  type        = number
}

variable "image" {
  description = "Container image of the task definition."
  type        = string
}

variable "health_check" {
  description = "Target-group health check."
  type = object({
    path                = string
    interval_seconds    = number
    timeout_seconds     = number
    healthy_threshold   = number
    unhealthy_threshold = number
    matcher             = string
  })
}

variable "deregistration_delay" {
  description = "Seconds a deregistered target drains in-flight requests."
  type        = number
}

variable "load_balancing_algorithm" {
  description = "round_robin or least_outstanding_requests."
  type        = string
}

variable "deployment_maximum_percent" {
  description = "Ceiling on running + pending tasks during a deployment (% of desired)."
  type        = number
}

variable "deployment_minimum_healthy_percent" {
  description = "Floor of healthy tasks during a deployment (% of desired)."
  type        = number
}

variable "deployment_circuit_breaker" {
  description = "Deployment circuit breaker: enable, rollback."
  type = object({
    enable   = bool
    rollback = bool
  })
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL."
  type        = number
}

variable "autoscaling_min_capacity" {
  description = "Lower bound of service auto scaling; null = desired_count."
  type        = number
  default     = null
}

variable "autoscaling_max_capacity" {
  description = "Upper bound of service auto scaling."
  type        = number
}

variable "secrets" {
  description = "Container secrets, variable name => valueFrom; the service's own secret may be named by the service name (\"api\", \"api:KEY::\"). null = { SECRETS = \"<name>\" }."
  type        = map(string)
  default     = null
}

variable "cluster_name" {
  description = "Name of the ECS cluster and prefix of the derived names."
  type        = string
}

variable "partition" {
  description = "AWS partition of the managed policy ARNs (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instances' security group."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets the Auto Scaling group launches into, one per zone."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer, the only source the instances admit (bridge and host modes)."
  type        = string
}

variable "network_mode" {
  description = "Task network mode: awsvpc, bridge or host; decides what the instances' security group opens."
  type        = string
}

variable "host_ports" {
  description = "The services' container ports, opened to the load balancer in host mode."
  type        = list(number)
}

variable "container_insights" {
  description = "CloudWatch Container Insights on the cluster."
  type        = bool
}

variable "instance_type" {
  description = "Instance type of the launch template and first override."
  type        = string
}

variable "spot_instance_types" {
  description = "Further overrides of the mixed instances policy, in priority order."
  type        = list(string)
}

variable "asg_min_size" {
  description = "Minimum size of the Auto Scaling group."
  type        = number
}

variable "asg_max_size" {
  description = "Maximum size of the Auto Scaling group."
  type        = number
}

variable "asg_desired_capacity" {
  description = "Initial size of the Auto Scaling group."
  type        = number
}

variable "on_demand_base_capacity" {
  description = "Instances that are always On-Demand."
  type        = number
}

variable "on_demand_percentage_above_base" {
  description = "Percentage of On-Demand instances above the base."
  type        = number
}

variable "spot_allocation_strategy" {
  description = "Spot allocation strategy of the mixed instances policy."
  type        = string
}

variable "target_capacity" {
  description = "Managed scaling target of CapacityProviderReservation (%)."
  type        = number
}

variable "minimum_scaling_step_size" {
  description = "Fewest instances managed scaling adds at once."
  type        = number
}

variable "maximum_scaling_step_size" {
  description = "Most instances managed scaling adds at once."
  type        = number
}

variable "instance_warmup_period" {
  description = "Seconds a new instance counts as warming up."
  type        = number
}

variable "managed_termination_protection" {
  description = "ECS protects instances running tasks from scale-in (and the group protects new instances)."
  type        = bool
}

variable "managed_draining" {
  description = "ECS drains instances before the group terminates them."
  type        = bool
}

variable "log_retention_in_days" {
  description = "Retention of the Spot-interruption log group; 0 = never expire."
  type        = number
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic of the alarms' actions; empty = none."
  type        = string
}

variable "tags" {
  description = "Tags for the Auto Scaling group, its instances and their volumes (provider default tags reach none of them)."
  type        = map(string)
}

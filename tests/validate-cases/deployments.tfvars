# Deployment and service mistakes: percentages that can never make progress,
# a drain longer than a Spot notice, an invalid retention, a bad matcher.
region                = "us-east-1"
vpc_cidr              = "10.0.0.0/16"
cluster_name          = "prod"
instance_type         = "t3.medium"
network_mode          = "bridge"
log_retention_in_days = 10

services = {
  api = {
    desired_count                      = 3
    path_pattern                       = ["/api*"]
    priority                           = 100
    container_port                     = 80
    cpu                                = 256
    memory                             = 512
    deployment_minimum_healthy_percent = 75
    deployment_maximum_percent         = 125
  }
  web = {
    desired_count                      = 4
    autoscaling_min_capacity           = 2
    path_pattern                       = ["/web*"]
    priority                           = 110
    container_port                     = 80
    cpu                                = 256
    memory                             = 512
    deployment_minimum_healthy_percent = 75
    deployment_maximum_percent         = 125
    deregistration_delay               = 90
    health_check = {
      matcher = "200-600"
    }
  }
}

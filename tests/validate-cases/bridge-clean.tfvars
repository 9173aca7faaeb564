# The origin's architecture in bridge mode: tasks share the instance's ENI, so
# deployments fit on the two instances and validation is silent.
region      = "us-east-1"
environment = "production"
vpc_cidr    = "10.0.0.0/16"

cluster_name         = "production-cluster"
instance_type        = "t3.medium"
asg_min_size         = 2
asg_max_size         = 10
asg_desired_capacity = 2

on_demand_base_capacity         = 1
on_demand_percentage_above_base = 20
network_mode                    = "bridge"

services = {
  nginx = {
    desired_count  = 2
    path_pattern   = ["/nginx*"]
    priority       = 100
    container_port = 80
    cpu            = 256
    memory         = 512
  }
  api = {
    desired_count  = 2
    path_pattern   = ["/api*"]
    priority       = 110
    container_port = 80
    cpu            = 256
    memory         = 512
  }
}

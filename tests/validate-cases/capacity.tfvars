# Capacity mistakes: a Spot percentage with no Spot types, a task no
# instance type can hold, a desired capacity above the maximum.
region               = "us-east-1"
vpc_cidr             = "10.0.0.0/16"
cluster_name         = "batch"
instance_type        = "t3.medium"
spot_instance_types  = []
asg_min_size         = 1
asg_max_size         = 4
asg_desired_capacity = 5

on_demand_base_capacity         = 1
on_demand_percentage_above_base = 20

services = {
  worker = {
    desired_count  = 1
    path_pattern   = ["/work*"]
    priority       = 100
    container_port = 80
    cpu            = 4096
    memory         = 1024
  }
}

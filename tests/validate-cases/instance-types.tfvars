# Instance type mistakes: typos, a duplicate, an unknown allocation strategy,
# Spot types of one family, a task that does not fit the smallest type and
# more tasks than the desired capacity holds.
region                   = "us-east-1"
vpc_cidr                 = "10.0.0.0/16"
cluster_name             = "prod"
instance_type            = "t3.meduim"
spot_instance_types      = ["t3.large", "t3.small", "t3.large", "t3.xlarg"]
spot_allocation_strategy = "capacity-optimised"
asg_min_size             = 1
asg_max_size             = 6
asg_desired_capacity     = 1

services = {
  api = {
    desired_count  = 4
    path_pattern   = ["/api*"]
    priority       = 100
    container_port = 80
    cpu            = 512
    memory         = 3000
  }
}

# The origin's settings (terraform.tfvars, unchanged) plus what `drydock up` runs locally.
# `command` is a local-runtime setting: the AWS target runs a service's `image` instead.
region      = "us-east-1"
environment = "production"
vpc_cidr    = "10.0.0.0/16"

cluster_name         = "production-cluster"
instance_type        = "t3.medium"
asg_min_size         = 2
asg_max_size         = 10
asg_desired_capacity = 2

# Cost optimization: 1 On-Demand + 80% Spot above base
on_demand_base_capacity         = 1
on_demand_percentage_above_base = 20

# Local only (and the fix the AWS target documents): bridge mode with dynamic host ports. The
# origin's awsvpc mode gives every task an ENI, and a t3.medium has room for 2, so its 4 tasks
# fill both instances and a 200 % rolling deployment has nowhere to start the new tasks until
# the cluster scales out (docs/live.md, "Deployments").
network_mode = "bridge"

services = {
  nginx = {
    desired_count  = 2
    path_pattern   = ["/nginx*"]
    priority       = 100
    container_port = 80
    cpu            = 256
    memory         = 512

    # Local only: the task's process under `drydock up` (nginx on 127.0.0.1:$PORT).
    # `api` has no command, so it runs drydock's built-in stand-in app, which answers
    # JSON naming its task, instance and AZ.
    command = ["./nginx/run-nginx.sh"]
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

# A complete drydock configuration exercising every setting kind.
region      = "us-east-1"
environment = "staging"
vpc_cidr    = "10.20.0.0/16"

cluster_name         = "staging-cluster"
instance_type        = "t3.large"
asg_min_size         = 1
asg_max_size         = 6
asg_desired_capacity = 2

on_demand_base_capacity         = 0
on_demand_percentage_above_base = 25

services = {
  web = {
    desired_count  = 3
    path_pattern   = ["/", "/static/*"]
    priority       = 100
    container_port = 8080
    cpu            = 512
    memory         = 1024
    secrets = {
      "DB_PASSWORD" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:web/db-AbCdEf"
    }
    deployment = {
      minimum_healthy_percent = 50
      maximum_percent         = 200
    }
  }
  "api-v2" = {
    desired_count  = 2
    path_pattern   = ["/api/v2*"]
    priority       = 110
    container_port = 80
    cpu            = 256
    memory         = 512
    command        = ["sh", "-c", "echo $${HOME} && exec server --port=80"]
  }
}

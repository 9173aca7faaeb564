# Listener rule mistakes: a duplicate priority, a character ALB rejects, too
# many values, a pattern without a leading slash and a shadowed rule.
region        = "us-east-1"
vpc_cidr      = "10.0.0.0/16"
cluster_name  = "shop"
instance_type = "t3.medium"
network_mode  = "bridge"

services = {
  web = {
    desired_count  = 2
    path_pattern   = ["/*"]
    priority       = 10
    container_port = 8080
    cpu            = 256
    memory         = 512
  }
  api = {
    desired_count  = 2
    path_pattern   = ["/api/*", "/v1 api"]
    priority       = 20
    container_port = 8080
    cpu            = 256
    memory         = 512
  }
  admin = {
    desired_count  = 1
    path_pattern   = ["/a", "/b", "/c", "admin"]
    priority       = 20
    container_port = 8080
    cpu            = 256
    memory         = 512
  }
}

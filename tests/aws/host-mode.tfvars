# The AWS target in host network mode without Container Insights (tests/aws/modules_check.js).
cluster_name       = "host-mode"
network_mode       = "host"
container_insights = false
services = {
  api = {
    desired_count  = 2
    path_pattern   = ["/api*"]
    priority       = 100
    container_port = 8080
    cpu            = 256
    memory         = 512
  }
}

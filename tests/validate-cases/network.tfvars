# Network mistakes: a VPC too small for the subnets, host bits set, a public
# range, one availability zone, a malformed region and listener address.
region                  = "us_east_1"
vpc_cidr                = "8.8.8.1/27"
availability_zone_count = 1
cluster_name            = "prod_cluster"
instance_type           = "t3.medium"
network_mode            = "bridge"
listen_address          = "localhost"

services = {
  my_api = {
    desired_count  = 2
    path_pattern   = ["/api*"]
    priority       = 100
    container_port = 80
    cpu            = 256
    memory         = 512
  }
}

# The AWS target with every optional resource switched on (tests/aws/modules_check.js compares
# `drydock plan` of this file with deploy/aws's modules). Also a worked example for docs/aws.md.
region      = "us-east-1"
environment = "staging"
vpc_cidr    = "10.20.0.0/16"

cluster_name         = "features"
instance_type        = "t3.large"
asg_min_size         = 2
asg_max_size         = 6
asg_desired_capacity = 3

on_demand_base_capacity         = 1
on_demand_percentage_above_base = 50

availability_zone_count = 3
nat_gateway_per_az      = true
enable_vpc_endpoints    = true
enable_waf              = true
network_mode            = "bridge"

# HTTPS on AWS: an ACM certificate, extra ones for SNI, HTTP redirected.
certificate_arn             = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
additional_certificate_arns = [
  "arn:aws:acm:us-east-1:123456789012:certificate/1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1",
  "arn:aws:acm:us-east-1:123456789012:certificate/2d3e4f50-6172-8394-a5b6-c7d8e9f0a1b2",
]
redirect_http_to_https = true
ssl_policy             = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
https_listen_address   = "127.0.0.1:8443"

alarm_sns_topic_arn   = "arn:aws:sns:us-east-1:123456789012:ops-alerts"
log_retention_in_days = 30

services = {
  web = {
    desired_count  = 2
    path_pattern   = ["/", "/static/*"]
    priority       = 200
    container_port = 8080
    cpu            = 512
    memory         = 1024
    image          = "public.ecr.aws/nginx/nginx:1.27"
  }
  api = {
    desired_count  = 3
    path_pattern   = ["/api/*"]
    priority       = 100
    container_port = 9000
    cpu            = 256
    memory         = 512
    image          = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:2.3.1"
    secrets = {
      DATABASE_URL = "api:DATABASE_URL::"
      API_TOKEN    = "api:API_TOKEN::"
    }
    health_check = {
      path     = "/api/health"
      matcher  = "200-299"
    }
    autoscaling_max_capacity = 12
  }
}

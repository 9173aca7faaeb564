output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.main.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension LoadBalancer, ALBRequestCountPerTarget resource label)."
  value       = aws_lb.main.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.main.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone of the load balancer, for alias records."
  value       = aws_lb.main.zone_id
}

output "security_group_id" {
  description = "Security group of the load balancer: the source the targets allow."
  value       = aws_security_group.alb.id
}

output "http_listener_arn" {
  description = "ARN of the HTTP listener (port 80)."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener (port 443); null without a certificate."
  value       = one(aws_lb_listener.https[*].arn)
}

output "web_acl_arn" {
  description = "ARN of the WAF web ACL; null without enable_waf."
  value       = one(aws_wafv2_web_acl.main[*].arn)
}

variable "name" {
  description = "Prefix of the resource names (the cluster name); the load balancer is <name>-alb."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer's security group."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC: the only destination of the load balancer's egress."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the load balancer (at least two zones)."
  type        = list(string)
}

variable "idle_timeout" {
  description = "Connection idle timeout, in seconds."
  type        = number
}

variable "https_enabled" {
  description = "Create the HTTPS listener (certificate_arn is set). A separate flag because count cannot depend on the ARN once it is computed."
  type        = bool
}

variable "certificate_arn" {
  description = "Default certificate of the HTTPS listener."
  type        = string
}

variable "additional_certificate_arns" {
  description = "Extra certificates of the HTTPS listener, chosen by SNI."
  type        = list(string)
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener."
  type        = string
}

variable "redirect_http_to_https" {
  description = "The HTTP listener only redirects to HTTPS (already false without an HTTPS listener)."
  type        = bool
}

variable "enable_waf" {
  description = "Associate a WAF web ACL with AWS managed rule groups."
  type        = bool
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic of the alarm's actions; empty = none."
  type        = string
}

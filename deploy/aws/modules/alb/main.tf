# The shared Application Load Balancer: its security group, the HTTP listener
# (default 404, or only a redirect to HTTPS), the HTTPS listener and its extra
# certificates when a certificate is given, the optional WAF web ACL and the
# 5xx alarm. The per-service listener rules live in modules/ecs-service.

locals {
  alarm_actions = var.alarm_sns_topic_arn == "" ? [] : [var.alarm_sns_topic_arn]

  # Evaluated in this order; "none" keeps each group's own actions (block).
  # AWS WAF Developer Guide, "AWS Managed Rules rule groups list": baseline
  # (CommonRuleSet, KnownBadInputsRuleSet) and IP reputation groups.
  waf_rule_groups = [
    { name = "AWSManagedRulesCommonRuleSet", priority = 1 },
    { name = "AWSManagedRulesKnownBadInputsRuleSet", priority = 2 },
    { name = "AWSManagedRulesAmazonIpReputationList", priority = 3 },
  ]
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Load balancer: HTTP(S) in from anywhere, out to the VPC only"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTP"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  dynamic "ingress" {
    for_each = var.https_enabled ? [443] : []
    content {
      description = "HTTPS"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }

  # Targets (task ENIs, instances) are all inside the VPC.
  egress {
    description = "To the targets in the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = {
    Name = "${var.name}-alb"
  }
}

resource "aws_lb" "main" {
  name               = "${var.name}-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]
  idle_timeout       = var.idle_timeout

  tags = {
    Name = "${var.name}-alb"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  # With the redirect on, it is the listener's only action: the service rules
  # then sit on the HTTPS listener alone (modules/ecs-service). Host, path and
  # query keep ALB's defaults (#{host}, /#{path}, #{query}).
  dynamic "default_action" {
    for_each = var.redirect_http_to_https ? [1] : []
    content {
      type = "redirect"

      redirect {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }

  # Otherwise paths no service claims get a plain 404, as drydock's local
  # load balancer answers.
  dynamic "default_action" {
    for_each = var.redirect_http_to_https ? [] : [1]
    content {
      type = "fixed-response"

      fixed_response {
        status_code  = "404"
        content_type = "text/plain"
        message_body = "Not Found"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = var.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      status_code  = "404"
      content_type = "text/plain"
      message_body = "Not Found"
    }
  }
}

# The listener's certificate list beyond the default; ALB picks one by SNI
# (Elastic Load Balancing, "SSL certificates for your Application Load
# Balancer", "Certificate list").
resource "aws_lb_listener_certificate" "additional" {
  count = var.https_enabled ? length(var.additional_certificate_arns) : 0

  listener_arn    = aws_lb_listener.https[0].arn
  certificate_arn = var.additional_certificate_arns[count.index]
}

# ---------------------------------------------------------------------------
# WAF (enable_waf)
# ---------------------------------------------------------------------------

resource "aws_wafv2_web_acl" "main" {
  count = var.enable_waf ? 1 : 0

  name        = "${var.name}-alb"
  description = "AWS managed rule groups in front of ${var.name}-alb"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = local.waf_rule_groups
    content {
      name     = rule.value.name
      priority = rule.value.priority

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.value.name
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.value.name}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-alb"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "main" {
  count = var.enable_waf ? 1 : 0

  resource_arn = aws_lb.main.arn
  web_acl_arn  = aws_wafv2_web_acl.main[0].arn
}

# ---------------------------------------------------------------------------
# Alarm
# ---------------------------------------------------------------------------

# Share of requests answered 5xx, by the load balancer itself (no healthy
# target, 502/504 from a target that hung up) or by the targets. RequestCount
# leaves out requests the load balancer answered before choosing a target
# (Elastic Load Balancing, "CloudWatch metrics for your Application Load
# Balancer"), such as a 503 for a group with no healthy target, so those are
# added back to the denominator: a service with no target alarms at 100 %.
# FILL(...,0) turns minutes without any 5xx into zeros instead of gaps;
# minutes without requests give no value, which notBreaching ignores.
resource "aws_cloudwatch_metric_alarm" "http_5xx" {
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "More than 1% of the requests to ${var.name}-alb answered 5xx for 5 minutes in a row."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "error_rate"
    expression  = "100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / (FILL(requests, 0) + FILL(elb5xx, 0))"
    label       = "5xx responses (%)"
    return_data = true
  }

  metric_query {
    id = "elb5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = aws_lb.main.arn_suffix
      }
    }
  }

  metric_query {
    id = "target5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = aws_lb.main.arn_suffix
      }
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = aws_lb.main.arn_suffix
      }
    }
  }
}

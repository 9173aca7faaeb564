# One ECS service (instantiated per entry of `services`): its log group, its
# own Secrets Manager secret (the "vault"), an execution role that may read
# only that secret, a task role, the target group and listener rule(s) on the
# shared ALB, the task definition, the service with rolling deployments,
# target-tracking auto scaling, and its alarms.

locals {
  # "<cluster>-<service>": prefix of the IAM roles, policy, security group
  # and alarms (drydock aws::ServiceResourcePrefix).
  prefix = "${var.cluster_name}-${var.name}"

  awsvpc = var.network_mode == "awsvpc"

  # bridge: host port 0 = a dynamic port from the ephemeral range; awsvpc
  # requires hostPort = containerPort; host binds the container port itself
  # (Amazon ECS API Reference, "PortMapping").
  host_port = var.network_mode == "bridge" ? 0 : var.container_port

  min_capacity = var.autoscaling_min_capacity == null ? var.desired_count : var.autoscaling_min_capacity

  # drydock's default: the whole vault as one variable, so keys added to the
  # secret later reach new tasks without a task-definition change.
  secrets = var.secrets == null ? { SECRETS = var.name } : var.secrets

  # ECS needs the full ARN whenever a JSON key or version follows the name
  # (Amazon ECS Developer Guide, "Pass Secrets Manager secrets through Amazon
  # ECS environment variables"), and the secret's ARN ends in a random
  # suffix, so drydock's shorthand "<service>[:json-key:stage:id]" becomes
  # "<ARN>[:json-key:stage:id]". Other values (full ARNs, other secrets'
  # names) are passed through as written.
  container_secrets = [
    for variable_name, value_from in local.secrets : {
      name = variable_name
      valueFrom = (
        value_from == var.name || startswith(value_from, "${var.name}:")
        ? "${aws_secretsmanager_secret.service.arn}${substr(value_from, length(var.name), -1)}"
        : value_from
      )
    }
  ]

  alarm_actions = var.alarm_sns_topic_arn == "" ? [] : [var.alarm_sns_topic_arn]

  # Target-tracking policies: name suffix => (predefined metric, target).
  scaling_policies = {
    cpu      = { metric = "ECSServiceAverageCPUUtilization", target = var.cpu_target }
    memory   = { metric = "ECSServiceAverageMemoryUtilization", target = var.memory_target }
    requests = { metric = "ALBRequestCountPerTarget", target = var.requests_per_target }
  }
}

# ---------------------------------------------------------------------------
# Logs and secret
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "service" {
  name = "/ecs/${var.name}"
  # 0 is Terraform's (and drydock's) "never expire".
  retention_in_days = var.log_retention_in_days
}

# The service's vault, named after the service. Deleting it schedules the
# deletion (30-day recovery window by default), so a re-created stack with
# the same service name must first restore or force-delete the old secret.
resource "aws_secretsmanager_secret" "service" {
  name        = var.name
  description = "Secrets of the ${var.name} service (cluster ${var.cluster_name}), read by its tasks at start"
}

# Only the initial value: people edit the vault afterwards (console, CLI),
# and Terraform must neither overwrite their keys nor keep them in plan
# output beyond this first one.
resource "aws_secretsmanager_secret_version" "service" {
  secret_id     = aws_secretsmanager_secret.service.id
  secret_string = jsonencode({ PORT = tostring(var.container_port) })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

# ---------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------

# Used by the ECS agent to pull the image, write logs and read the secrets.
resource "aws_iam_role" "execution" {
  name = "${local.prefix}-execution"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  lifecycle {
    precondition {
      # IAM role names are at most 64 characters (IAM User Guide, "IAM and
      # AWS STS quotas").
      condition     = length("${local.prefix}-execution") <= 64
      error_message = "The role name ${local.prefix}-execution exceeds IAM's 64 characters: shorten cluster_name or the service name."
    }
  }
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${var.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

# A customer-managed policy rather than an inline one, so that it can be
# detached and attached again on its own (`drydock iam detach|attach`).
# GetSecretValue on this service's secret only: a task definition naming
# another service's vault fails to start (ResourceInitializationError).
resource "aws_iam_policy" "execution_secrets" {
  name        = "${local.prefix}-secrets"
  description = "Read the ${var.name} service's own secret"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadOwnSecret"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [aws_secretsmanager_secret.service.arn]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution_secrets" {
  role       = aws_iam_role.execution.name
  policy_arn = aws_iam_policy.execution_secrets.arn
}

# The application's own AWS identity; no permissions until someone grants
# some.
resource "aws_iam_role" "task" {
  name = "${local.prefix}-task"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# ---------------------------------------------------------------------------
# Load balancing
# ---------------------------------------------------------------------------

# awsvpc only: each task's ENI gets this group; in bridge and host modes the
# instances' group (modules/ecs-cluster) admits the ALB instead.
resource "aws_security_group" "service" {
  count = local.awsvpc ? 1 : 0

  name        = "${local.prefix}-tasks"
  description = "Tasks of ${var.name}: port ${var.container_port} from the ALB only"
  vpc_id      = var.vpc_id

  ingress {
    description     = "From the ALB"
    from_port       = var.container_port
    to_port         = var.container_port
    protocol        = "tcp"
    security_groups = [var.alb_security_group_id]
  }

  egress {
    description = "All outbound (registries, AWS APIs, dependencies)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${local.prefix}-tasks"
  }
}

resource "aws_lb_target_group" "service" {
  name     = "${var.name}-tg"
  port     = var.container_port
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  # awsvpc tasks register by ENI IP; bridge and host tasks by instance and
  # host port (Amazon ECS Developer Guide, "Use a load balancer to distribute
  # Amazon ECS service traffic").
  target_type = local.awsvpc ? "ip" : "instance"

  deregistration_delay          = var.deregistration_delay
  load_balancing_algorithm_type = var.load_balancing_algorithm

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check.path
    interval            = var.health_check.interval_seconds
    timeout             = var.health_check.timeout_seconds
    healthy_threshold   = var.health_check.healthy_threshold
    unhealthy_threshold = var.health_check.unhealthy_threshold
    matcher             = var.health_check.matcher
  }
}

# On the HTTP listener, unless that listener only redirects to HTTPS.
resource "aws_lb_listener_rule" "service" {
  count = var.http_listener_redirects ? 0 : 1

  listener_arn = var.http_listener_arn
  priority     = var.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service.arn
  }

  condition {
    path_pattern {
      values = var.path_pattern
    }
  }
}

# The same rule on the HTTPS listener, when there is one.
resource "aws_lb_listener_rule" "service_https" {
  count = var.https_enabled ? 1 : 0

  listener_arn = var.https_listener_arn
  priority     = var.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service.arn
  }

  condition {
    path_pattern {
      values = var.path_pattern
    }
  }
}

# ---------------------------------------------------------------------------
# Task definition and service
# ---------------------------------------------------------------------------

resource "aws_ecs_task_definition" "service" {
  family                   = var.name
  requires_compatibilities = ["EC2"]
  network_mode             = var.network_mode
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([{
    name      = var.name
    image     = var.image
    essential = true

    portMappings = [{
      containerPort = var.container_port
      hostPort      = local.host_port
      protocol      = "tcp"
    }]

    # Resolved by the agent with the execution role, once, when a task starts.
    secrets = local.container_secrets

    stopTimeout = var.stop_timeout

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "ecs"
      }
    }
  }])
}

resource "aws_ecs_service" "service" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.service.arn
  desired_count   = var.desired_count

  deployment_maximum_percent         = var.deployment_maximum_percent
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent

  deployment_circuit_breaker {
    enable   = var.deployment_circuit_breaker.enable
    rollback = var.deployment_circuit_breaker.rollback
  }

  # Tasks go through the capacity provider, so that pending tasks make
  # managed scaling add instances (a launch type would bypass it).
  capacity_provider_strategy {
    capacity_provider = var.capacity_provider_name
    weight            = 1
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.service.arn
    container_name   = var.name
    container_port   = var.container_port
  }

  dynamic "network_configuration" {
    for_each = local.awsvpc ? [1] : []
    content {
      subnets          = var.private_subnet_ids
      security_groups  = [aws_security_group.service[0].id]
      assign_public_ip = false
    }
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"

  lifecycle {
    # Service auto scaling owns the count once the service exists.
    ignore_changes = [desired_count]
  }

  # CreateService fails while the target group belongs to no load balancer,
  # that is until a listener rule forwards to it; and the first tasks need
  # the secrets policy in place or they stop with ResourceInitializationError.
  depends_on = [
    aws_lb_listener_rule.service,
    aws_lb_listener_rule.service_https,
    aws_iam_role_policy_attachment.execution,
    aws_iam_role_policy_attachment.execution_secrets,
  ]
}

# ---------------------------------------------------------------------------
# Service auto scaling
# ---------------------------------------------------------------------------

resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.service.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = local.min_capacity
  max_capacity       = var.autoscaling_max_capacity
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.prefix}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = local.scaling_policies.cpu.metric
    }

    target_value       = local.scaling_policies.cpu.target
    scale_out_cooldown = var.scale_out_cooldown
    scale_in_cooldown  = var.scale_in_cooldown
  }
}

resource "aws_appautoscaling_policy" "memory" {
  name               = "${local.prefix}-memory"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = local.scaling_policies.memory.metric
    }

    target_value       = local.scaling_policies.memory.target
    scale_out_cooldown = var.scale_out_cooldown
    scale_in_cooldown  = var.scale_in_cooldown
  }
}

# Requests per target per minute; the label names the load balancer and the
# target group ("app/<lb>/<id>/targetgroup/<tg>/<id>", Application Auto
# Scaling API Reference, "PredefinedMetricSpecification").
resource "aws_appautoscaling_policy" "requests" {
  name               = "${local.prefix}-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  resource_id        = aws_appautoscaling_target.service.resource_id
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = local.scaling_policies.requests.metric
      resource_label         = "${var.alb_arn_suffix}/${aws_lb_target_group.service.arn_suffix}"
    }

    target_value       = local.scaling_policies.requests.target
    scale_out_cooldown = var.scale_out_cooldown
    scale_in_cooldown  = var.scale_in_cooldown
  }
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

# Fewer tasks running than desired for 5 minutes: tasks crash-loop, cannot
# be placed, or wait for instances. The two counts are Container Insights
# metrics, hence only with container_insights.
resource "aws_cloudwatch_metric_alarm" "running_tasks" {
  count = var.container_insights ? 1 : 0

  alarm_name          = "${local.prefix}-running-tasks"
  alarm_description   = "Service ${var.name} has run fewer tasks than desired for 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "missing"
    expression  = "desired - running"
    label       = "Desired minus running tasks"
    return_data = true
  }

  metric_query {
    id = "desired"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      period      = 60
      stat        = "Average"
      dimensions = {
        ClusterName = var.cluster_name
        ServiceName = aws_ecs_service.service.name
      }
    }
  }

  metric_query {
    id = "running"

    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      period      = 60
      stat        = "Average"
      dimensions = {
        ClusterName = var.cluster_name
        ServiceName = aws_ecs_service.service.name
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${local.prefix}-unhealthy-hosts"
  alarm_description   = "A target of ${var.name} has failed its health checks for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    TargetGroup  = aws_lb_target_group.service.arn_suffix
    LoadBalancer = var.alb_arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "${local.prefix}-cpu-high"
  alarm_description   = "Service ${var.name} has used more than 90% of its CPU reservation for 5 minutes."
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    ClusterName = var.cluster_name
    ServiceName = aws_ecs_service.service.name
  }
}

resource "aws_cloudwatch_metric_alarm" "memory" {
  alarm_name          = "${local.prefix}-memory-high"
  alarm_description   = "Service ${var.name} has used more than 90% of its memory for 5 minutes."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  statistic           = "Average"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 90
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    ClusterName = var.cluster_name
    ServiceName = aws_ecs_service.service.name
  }
}

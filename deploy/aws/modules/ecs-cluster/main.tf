# The ECS cluster on EC2: the instances' security group, IAM role and launch
# template, the Auto Scaling group with its On-Demand/Spot mixed instances
# policy, the capacity provider that scales and drains it, the Spot
# interruption EventBridge rule with its log group, and the cluster alarms.

locals {
  capacity_provider_name = "${var.cluster_name}-cp"

  alarm_actions = var.alarm_sns_topic_arn == "" ? [] : [var.alarm_sns_topic_arn]

  # instance_type first, then the Spot types, without duplicates: the
  # overrides are in priority order, which the "prioritized" On-Demand
  # strategy follows (Amazon EC2 Auto Scaling User Guide, "Allocation
  # strategies for multiple instance types").
  instance_types = distinct(concat([var.instance_type], var.spot_instance_types))

  # What may reach the instances themselves, always from the ALB only:
  # awsvpc tasks have their own ENI and security group (modules/ecs-service),
  # so nothing; bridge tasks get dynamic host ports from the ephemeral range
  # (Amazon ECS API Reference, "PortMapping": hostPort 0); host-mode tasks
  # bind their container port on the instance.
  instance_ingress = concat(
    [for ports in [{ from = 32768, to = 65535 }] : merge(ports, { description = "Dynamic host ports (bridge mode) from the ALB" }) if var.network_mode == "bridge"],
    [for port in var.host_ports : { from = port, to = port, description = "Port ${port} (host mode) from the ALB" } if var.network_mode == "host"],
  )

  # Read by the ECS agent at start (Amazon ECS Developer Guide, "Amazon ECS
  # container agent configuration"). Spot draining: on the two-minute Spot
  # interruption notice the agent sets the instance to DRAINING, so its tasks
  # are replaced elsewhere before the instance goes ("Spot Instance draining").
  ecs_config = [
    "ECS_CLUSTER=${var.cluster_name}",
    "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true",
  ]
}

resource "aws_ecs_cluster" "main" {
  name = var.cluster_name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

# ---------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------

resource "aws_security_group" "ecs_instances" {
  name        = "${var.cluster_name}-ecs-instances"
  description = "ECS container instances of ${var.cluster_name}"
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = local.instance_ingress
    content {
      description     = ingress.value.description
      from_port       = ingress.value.from
      to_port         = ingress.value.to
      protocol        = "tcp"
      security_groups = [var.alb_security_group_id]
    }
  }

  # The agent reaches ECS, ECR, Secrets Manager and CloudWatch Logs through
  # the NAT gateway (or the VPC endpoints); image registries may be anywhere.
  egress {
    description = "All outbound"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name = "${var.cluster_name}-ecs-instances"
  }
}

resource "aws_iam_role" "ecs_instance" {
  name = "${var.cluster_name}-ecs-instance"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "ecs_instance" {
  role       = aws_iam_role.ecs_instance.name
  policy_arn = "arn:${var.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "ecs_instance" {
  name = "${var.cluster_name}-ecs-instance"
  role = aws_iam_role.ecs_instance.name
}

resource "aws_launch_template" "ecs" {
  name_prefix = "${var.cluster_name}-"

  # The ECS-optimized Amazon Linux 2023 AMI, resolved from its public SSM
  # parameter each time an instance launches, so new instances get the
  # current AMI without a Terraform change (Amazon EC2 User Guide, "Use a
  # Systems Manager parameter instead of an AMI ID"; Amazon ECS Developer
  # Guide, "Retrieving Amazon ECS-optimized Linux AMI metadata").
  image_id      = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
  instance_type = var.instance_type

  iam_instance_profile {
    arn = aws_iam_instance_profile.ecs_instance.arn
  }

  vpc_security_group_ids = [aws_security_group.ecs_instances.id]

  # IMDSv2 only. A hop limit of 1 (set explicitly: AMIs marked ImdsSupport
  # v2.0 default to 2) keeps bridge-mode containers, one network hop further,
  # from obtaining IMDSv2 tokens and so the instance role's credentials; tasks
  # use their task role through the ECS credentials endpoint instead, and the
  # agent (host network) still reads the Spot interruption notice (Amazon EC2
  # User Guide, "Configure the Instance Metadata Service options"). Host-mode
  # tasks share the instance's network and are not kept out; awsvpc tasks are
  # kept out only with the agent's ECS_AWSVPC_BLOCK_IMDS, not set here.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  # One-minute EC2 metrics (the origin's "detailed monitoring").
  monitoring {
    enabled = true
  }

  # /dev/xvda is the root device of the AL2023 ECS-optimized AMI; 30 GiB is
  # the AMI's own size, gp3 instead of its gp2 for the same price or less.
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = 30
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat >> /etc/ecs/ecs.config <<'ECS_CONFIG'
    ${join("\n", local.ecs_config)}
    ECS_CONFIG
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-ecs" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.cluster_name}-ecs" })
  }
}

resource "aws_autoscaling_group" "ecs" {
  name                = "${var.cluster_name}-asg"
  min_size            = var.asg_min_size
  max_size            = var.asg_max_size
  desired_capacity    = var.asg_desired_capacity
  vpc_zone_identifier = var.private_subnet_ids

  # Managed termination protection requires the group to protect new
  # instances from scale-in; ECS then lifts the protection from instances
  # that run no task (Amazon ECS Developer Guide, "Auto Scaling group
  # capacity providers", managed termination protection).
  protect_from_scale_in = var.managed_termination_protection

  # Protected instances would block a plain delete (terraform destroy) until
  # it times out: force-delete terminates them with the group.
  force_delete = true

  mixed_instances_policy {
    # Rounding of the percentage favours On-Demand (drydock plan, "Capacity").
    instances_distribution {
      on_demand_base_capacity                  = var.on_demand_base_capacity
      on_demand_percentage_above_base_capacity = var.on_demand_percentage_above_base
      on_demand_allocation_strategy            = "prioritized"
      spot_allocation_strategy                 = var.spot_allocation_strategy
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.ecs.id
        version            = "$Latest"
      }

      dynamic "override" {
        for_each = local.instance_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  # Marks the group as managed by an ECS capacity provider; ECS adds it on
  # its own if missing, which Terraform would then see as drift (Amazon ECS
  # Developer Guide, "Auto Scaling group capacity providers").
  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }

  tag {
    key                 = "Name"
    value               = "${var.cluster_name}-ecs"
    propagate_at_launch = true
  }

  # The group's own tags; its instances and volumes get them from the launch
  # template's tag specifications.
  dynamic "tag" {
    for_each = var.tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }

  lifecycle {
    # The capacity provider's managed scaling owns the group's size.
    ignore_changes = [desired_capacity]

    precondition {
      condition     = var.asg_min_size <= var.asg_desired_capacity && var.asg_desired_capacity <= var.asg_max_size
      error_message = "asg_min_size <= asg_desired_capacity <= asg_max_size must hold (drydock rule asg-size-order)."
    }

    precondition {
      condition     = var.on_demand_base_capacity <= var.asg_max_size
      error_message = "on_demand_base_capacity must not exceed asg_max_size (drydock rule on-demand-base-range)."
    }
  }
}

# ---------------------------------------------------------------------------
# Capacity provider
# ---------------------------------------------------------------------------

resource "aws_ecs_capacity_provider" "main" {
  name = local.capacity_provider_name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.ecs.arn
    managed_termination_protection = var.managed_termination_protection ? "ENABLED" : "DISABLED"
    # Managed draining: ECS drains an instance (its tasks move elsewhere)
    # before scale-in or instance refresh terminates it (Amazon ECS Developer
    # Guide, "Safely stop Amazon ECS workloads running on EC2 instances").
    managed_draining = var.managed_draining ? "ENABLED" : "DISABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = var.target_capacity
      minimum_scaling_step_size = var.minimum_scaling_step_size
      maximum_scaling_step_size = var.maximum_scaling_step_size
      instance_warmup_period    = var.instance_warmup_period
    }
  }

  lifecycle {
    precondition {
      # CreateCapacityProvider refuses these prefixes (Amazon ECS API
      # Reference, "CreateCapacityProvider", name).
      condition     = !can(regex("^(aws|ecs|fargate)", lower(local.capacity_provider_name)))
      error_message = "The capacity provider name ${local.capacity_provider_name} starts with aws, ecs or fargate, which ECS refuses: choose another cluster_name."
    }

    precondition {
      condition     = var.minimum_scaling_step_size <= var.maximum_scaling_step_size
      error_message = "capacity_provider_minimum_scaling_step_size must not exceed capacity_provider_maximum_scaling_step_size."
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.main.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.main.name
    base              = 0
    weight            = 1
  }
}

# ---------------------------------------------------------------------------
# Spot interruption warnings -> CloudWatch Logs
# ---------------------------------------------------------------------------

# A record of every two-minute warning for this account and region (the
# draining itself is the agent's, ECS_ENABLE_SPOT_INSTANCE_DRAINING). The
# event names only the instance, so no pattern can narrow it to this
# cluster's group: other stacks' Spot instances in the region count too.
resource "aws_cloudwatch_event_rule" "spot_interruption" {
  name        = "${var.cluster_name}-spot-interruption"
  description = "EC2 Spot Instance Interruption Warnings"

  event_pattern = jsonencode({
    source        = ["aws.ec2"]
    "detail-type" = ["EC2 Spot Instance Interruption Warning"]
  })
}

resource "aws_cloudwatch_event_target" "spot_interruption" {
  rule = aws_cloudwatch_event_rule.spot_interruption.name
  arn  = aws_cloudwatch_log_group.spot_interruption.arn

  # EventBridge writes with the log group's resource policy, not a role.
  depends_on = [aws_cloudwatch_log_resource_policy.spot_interruption]
}

# The /aws/events/ prefix is where EventBridge log targets conventionally
# live (the console only offers those). retention_in_days = 0 is Terraform's
# "never expire", drydock's 0 too.
resource "aws_cloudwatch_log_group" "spot_interruption" {
  name              = "/aws/events/${var.cluster_name}/spot-interruption"
  retention_in_days = var.log_retention_in_days
}

# EventBridge may only deliver to a log group whose resource policy lets
# events.amazonaws.com create streams and put events (Amazon EventBridge User
# Guide, "Using resource-based policies", CloudWatch Logs permissions). An
# account holds at most 10 such policies per region.
resource "aws_cloudwatch_log_resource_policy" "spot_interruption" {
  policy_name = "${var.cluster_name}-spot-interruption"

  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeToSpotInterruptionLogs"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      # The streams of the group: its ARN followed by ":*".
      Resource = "${aws_cloudwatch_log_group.spot_interruption.arn}:*"
    }]
  })
}

# ---------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------

# Two or more warnings within 5 minutes: a Spot pool is being reclaimed,
# not a single instance. Counts the whole region's warnings (see the rule).
resource "aws_cloudwatch_metric_alarm" "spot_interruptions" {
  alarm_name          = "${var.cluster_name}-spot-interruptions"
  alarm_description   = "At least 2 EC2 Spot interruption warnings within 5 minutes (rule ${aws_cloudwatch_event_rule.spot_interruption.name})."
  namespace           = "AWS/Events"
  metric_name         = "TriggeredRules"
  statistic           = "Sum"
  period              = 300
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 2
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    RuleName = aws_cloudwatch_event_rule.spot_interruption.name
  }
}

# CapacityProviderReservation above 100 means tasks are waiting for
# instances (Amazon ECS Developer Guide, "Amazon ECS cluster auto scaling");
# for 15 minutes in a row, more than any warm-up explains: the group is at
# asg_max_size or cannot launch (Spot capacity, quotas).
resource "aws_cloudwatch_metric_alarm" "capacity_reservation" {
  alarm_name          = "${var.cluster_name}-capacity-reservation"
  alarm_description   = "Tasks of ${var.cluster_name} have waited for instances for 15 minutes (CapacityProviderReservation above 100%)."
  namespace           = "AWS/ECS/ManagedScaling"
  metric_name         = "CapacityProviderReservation"
  statistic           = "Average"
  period              = 60
  comparison_operator = "GreaterThanThreshold"
  threshold           = 100
  evaluation_periods  = 15
  datapoints_to_alarm = 15
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    ClusterName          = aws_ecs_cluster.main.name
    CapacityProviderName = aws_ecs_capacity_provider.main.name
  }
}

# Every setting of drydock's configuration (docs/configuration.md), with
# drydock's types and defaults, so that the file `drydock up` / `drydock plan`
# reads is also this project's terraform.tfvars. `drydock validate` enforces
# the full rule set (docs/validation.md); the validation blocks below mirror
# the main single-setting rules so that `terraform plan` fails early too.
#
# Defaults are non-nullable: as in drydock, `setting = null` means "use the
# default" (Terraform: nullable = false on a variable with a default).

# ---------------------------------------------------------------------------
# The origin's variables
# ---------------------------------------------------------------------------

variable "region" {
  description = "AWS region the target deploys to."
  type        = string
  default     = "us-east-1"
  nullable    = false

  validation {
    # drydock rule region-format: two letters, words, a number.
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must look like an AWS region code, e.g. us-east-1 or us-gov-west-1."
  }
}

variable "environment" {
  description = "Environment name used in tags (not a service's `environment` map)."
  type        = string
  default     = "production"
  nullable    = false
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC, split into one public and one private subnet per availability zone."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    # drydock rules vpc-cidr-syntax, vpc-cidr-prefix-range, vpc-cidr-not-canonical.
    condition = (
      can(cidrhost(var.vpc_cidr, 0)) &&
      can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+$", var.vpc_cidr)) &&
      try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 28, false) &&
      try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr, false)
    )
    error_message = "vpc_cidr must be an IPv4 CIDR with a /16../28 prefix and no host bits set, e.g. 10.0.0.0/16."
  }
}

variable "cluster_name" {
  description = "Name of the ECS cluster and prefix of the names derived from it (<cluster_name>-alb, -asg, -cp, ...)."
  type        = string
  default     = "production-cluster"
  nullable    = false

  validation {
    # drydock rules cluster-name and load-balancer-name (ELB names: 32 characters).
    # The load balancer name <cluster_name>-alb: letters, digits and hyphens, no hyphen first,
    # not "internal-" first, at most 32 characters.
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,27}$", var.cluster_name)) && !startswith(var.cluster_name, "internal-")
    error_message = "cluster_name must be 1..28 letters, digits and hyphens, not starting with a hyphen or \"internal-\", so that <cluster_name>-alb is a valid load balancer name (32 characters at most)."
  }
}

variable "instance_type" {
  description = "Instance type of the launch template: the first On-Demand choice and the first override of the mixed instances policy."
  type        = string
  default     = "t3.medium"
  nullable    = false
}

variable "asg_min_size" {
  description = "Minimum size of the Auto Scaling group."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.asg_min_size >= 0 && floor(var.asg_min_size) == var.asg_min_size
    error_message = "asg_min_size must be a whole number >= 0."
  }
}

variable "asg_max_size" {
  description = "Maximum size of the Auto Scaling group; managed scaling never goes above it."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.asg_max_size >= 1 && floor(var.asg_max_size) == var.asg_max_size
    error_message = "asg_max_size must be a whole number >= 1."
  }
}

variable "asg_desired_capacity" {
  description = "Initial size of the Auto Scaling group; afterwards the capacity provider's managed scaling owns it."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.asg_desired_capacity >= 0 && floor(var.asg_desired_capacity) == var.asg_desired_capacity
    error_message = "asg_desired_capacity must be a whole number >= 0."
  }
}

variable "on_demand_base_capacity" {
  description = "Instances that are always On-Demand, filled first as the group grows."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.on_demand_base_capacity >= 0
    error_message = "on_demand_base_capacity must be >= 0."
  }
}

variable "on_demand_percentage_above_base" {
  description = "Percentage of the instances above the base that are On-Demand (the rest are Spot)."
  type        = number
  default     = 20
  nullable    = false

  validation {
    # drydock rule on-demand-percentage-range.
    condition     = var.on_demand_percentage_above_base >= 0 && var.on_demand_percentage_above_base <= 100
    error_message = "on_demand_percentage_above_base must be within 0..100."
  }
}

variable "services" {
  description = "The ECS services, keyed by name. The first six attributes are the origin's and are required; the others default to the origin's hard-coded values (docs/configuration.md, \"Service settings\")."
  nullable    = false

  type = map(object({
    desired_count  = number
    path_pattern   = list(string)
    priority       = number
    container_port = number
    cpu            = number
    memory         = number

    image = optional(string, "nginx:latest")
    health_check = optional(object({
      path                = optional(string, "/")
      interval_seconds    = optional(number, 30)
      timeout_seconds     = optional(number, 5)
      healthy_threshold   = optional(number, 2)
      unhealthy_threshold = optional(number, 2)
      matcher             = optional(string, "200")
    }), {})
    deregistration_delay               = optional(number, 30)
    load_balancing_algorithm           = optional(string, "round_robin")
    deployment_maximum_percent         = optional(number, 200)
    deployment_minimum_healthy_percent = optional(number, 100)
    deployment_circuit_breaker = optional(object({
      enable   = optional(bool, true)
      rollback = optional(bool, true)
    }), {})
    stop_timeout = optional(number, 30)
    # null = the service's desired_count (computed in modules/ecs-service).
    autoscaling_min_capacity = optional(number)
    autoscaling_max_capacity = optional(number, 20)
    # null = { SECRETS = "<service>" }: the whole vault as one variable
    # (computed in modules/ecs-service).
    secrets = optional(map(string))

    # drydock local runtime only: the AWS target runs `image` with the image's
    # own command and no environment map; these two are accepted so the same
    # file works and are not used here. `command` is a list of strings or
    # one string in drydock, hence `any`.
    command     = optional(any)
    environment = optional(map(string), {})
  }))

  validation {
    # drydock rules service-name and target-group-name: <service>-tg is an ELB name.
    condition     = length(var.services) > 0 && alltrue([for name in keys(var.services) : can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,28}$", name))])
    error_message = "services must hold at least one service; each name must be 1..29 letters, digits and hyphens, not starting with a hyphen, so that <service>-tg is a valid target group name (32 characters at most)."
  }

  validation {
    # drydock rules listener-priority-range, path-pattern-empty, path-pattern-too-many-values.
    condition = alltrue([for s in values(var.services) :
      s.priority >= 1 && s.priority <= 50000 && length(s.path_pattern) >= 1 && length(s.path_pattern) <= 3
    ])
    error_message = "Each service needs a priority within 1..50000 and 1..3 path patterns."
  }

  validation {
    # drydock rule listener-priority-duplicate.
    condition     = length(distinct([for s in values(var.services) : s.priority])) == length(var.services)
    error_message = "No two services may share a listener-rule priority."
  }

  validation {
    # drydock rules container-port-range, desired-count-range, task-cpu-minimum, task-memory-minimum.
    condition = alltrue([for s in values(var.services) :
      s.container_port >= 1 && s.container_port <= 65535 && s.desired_count >= 0 && s.cpu >= 128 && s.memory >= 6
    ])
    error_message = "Each service needs container_port 1..65535, desired_count >= 0, cpu >= 128 and memory >= 6."
  }

  validation {
    # drydock rules deployment-maximum-range, deployment-minimum-healthy-range, stop-timeout-range,
    # deregistration-delay-range, load-balancing-algorithm.
    condition = alltrue([for s in values(var.services) :
      s.deployment_maximum_percent >= 100 && s.deployment_maximum_percent <= 200 &&
      s.deployment_minimum_healthy_percent >= 0 && s.deployment_minimum_healthy_percent <= 100 &&
      s.stop_timeout >= 0 && s.deregistration_delay >= 0 && s.deregistration_delay <= 3600 &&
      contains(["round_robin", "least_outstanding_requests"], s.load_balancing_algorithm)
    ])
    error_message = "Each service needs deployment_maximum_percent 100..200, deployment_minimum_healthy_percent 0..100, stop_timeout >= 0, deregistration_delay 0..3600 and load_balancing_algorithm round_robin or least_outstanding_requests."
  }

  validation {
    # drydock rules health-check-interval-range, -timeout-range, -timeout-interval,
    # -threshold-range, -path.
    condition = alltrue([for s in values(var.services) :
      s.health_check.interval_seconds >= 5 && s.health_check.interval_seconds <= 300 &&
      s.health_check.timeout_seconds >= 2 && s.health_check.timeout_seconds <= 120 &&
      s.health_check.timeout_seconds < s.health_check.interval_seconds &&
      s.health_check.healthy_threshold >= 2 && s.health_check.healthy_threshold <= 10 &&
      s.health_check.unhealthy_threshold >= 2 && s.health_check.unhealthy_threshold <= 10 &&
      startswith(s.health_check.path, "/") && length(s.health_check.path) <= 1024
    ])
    error_message = "Each health_check needs interval_seconds 5..300, timeout_seconds 2..120 and below the interval, thresholds 2..10 and a path starting with / (at most 1024 characters)."
  }

  validation {
    # drydock rule autoscaling-capacity-range.
    condition = alltrue([for s in values(var.services) :
      (s.autoscaling_min_capacity == null ? s.desired_count : s.autoscaling_min_capacity) >= 0 &&
      (s.autoscaling_min_capacity == null ? s.desired_count : s.autoscaling_min_capacity) <= s.autoscaling_max_capacity
    ])
    error_message = "Each service needs 0 <= autoscaling_min_capacity (default: desired_count) <= autoscaling_max_capacity."
  }
}

variable "service_cpu_target" {
  description = "Target of each service's CPU target-tracking policy, in % of the task's CPU reservation."
  type        = number
  default     = 70
  nullable    = false

  validation {
    condition     = var.service_cpu_target > 0 && var.service_cpu_target <= 100
    error_message = "service_cpu_target must be above 0 and at most 100."
  }
}

variable "service_memory_target" {
  description = "Target of each service's memory target-tracking policy, in % of the task's memory reservation."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.service_memory_target > 0 && var.service_memory_target <= 100
    error_message = "service_memory_target must be above 0 and at most 100."
  }
}

variable "alb_requests_per_target" {
  description = "Target of each service's ALBRequestCountPerTarget policy: requests per target per minute."
  type        = number
  default     = 1000
  nullable    = false

  validation {
    condition     = var.alb_requests_per_target > 0
    error_message = "alb_requests_per_target must be above 0."
  }
}

# ---------------------------------------------------------------------------
# Values the origin hard-codes, now optional (defaults = the origin's values)
# ---------------------------------------------------------------------------

variable "availability_zone_count" {
  description = "Availability zones used for subnets, instances and the load balancer (an ALB needs 2)."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.availability_zone_count >= 1 && var.availability_zone_count <= 6 && floor(var.availability_zone_count) == var.availability_zone_count
    error_message = "availability_zone_count must be a whole number within 1..6."
  }
}

variable "spot_instance_types" {
  description = "Instance types of the mixed instances policy's overrides after instance_type, in priority order."
  type        = list(string)
  default     = ["t3.medium", "t3a.medium", "t2.medium"]
  nullable    = false

  validation {
    # drydock rule spot-instance-type-duplicate.
    condition     = length(distinct(var.spot_instance_types)) == length(var.spot_instance_types)
    error_message = "spot_instance_types must not list a type twice."
  }
}

variable "spot_allocation_strategy" {
  description = "How the Auto Scaling group picks Spot pools."
  type        = string
  default     = "price-capacity-optimized"
  nullable    = false

  validation {
    condition     = contains(["lowest-price", "capacity-optimized", "capacity-optimized-prioritized", "price-capacity-optimized"], var.spot_allocation_strategy)
    error_message = "spot_allocation_strategy must be lowest-price, capacity-optimized, capacity-optimized-prioritized or price-capacity-optimized."
  }
}

variable "capacity_provider_target_capacity" {
  description = "Target of managed scaling's CapacityProviderReservation: 100 = no spare instances."
  type        = number
  default     = 100
  nullable    = false

  validation {
    condition     = var.capacity_provider_target_capacity >= 1 && var.capacity_provider_target_capacity <= 100
    error_message = "capacity_provider_target_capacity must be within 1..100."
  }
}

variable "capacity_provider_minimum_scaling_step_size" {
  description = "Fewest instances managed scaling adds at once."
  type        = number
  default     = 1
  nullable    = false

  validation {
    condition     = var.capacity_provider_minimum_scaling_step_size >= 1 && var.capacity_provider_minimum_scaling_step_size <= 10000
    error_message = "capacity_provider_minimum_scaling_step_size must be within 1..10000."
  }
}

variable "capacity_provider_maximum_scaling_step_size" {
  description = "Most instances managed scaling adds at once."
  type        = number
  default     = 10
  nullable    = false

  validation {
    condition     = var.capacity_provider_maximum_scaling_step_size >= 1 && var.capacity_provider_maximum_scaling_step_size <= 10000
    error_message = "capacity_provider_maximum_scaling_step_size must be within 1..10000."
  }
}

variable "capacity_provider_instance_warmup_period" {
  description = "Seconds a new instance counts as warming up for managed scaling."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.capacity_provider_instance_warmup_period >= 0 && var.capacity_provider_instance_warmup_period <= 10000
    error_message = "capacity_provider_instance_warmup_period must be within 0..10000."
  }
}

variable "managed_termination_protection" {
  description = "ECS protects instances that run tasks from scale-in (the group then protects new instances, as AWS requires)."
  type        = bool
  default     = true
  nullable    = false
}

variable "managed_draining" {
  description = "ECS drains an instance before the Auto Scaling group terminates it."
  type        = bool
  default     = true
  nullable    = false
}

variable "service_scale_out_cooldown" {
  description = "Scale-out cooldown (seconds) of each service's target-tracking policies."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.service_scale_out_cooldown >= 0
    error_message = "service_scale_out_cooldown must be >= 0."
  }
}

variable "service_scale_in_cooldown" {
  description = "Scale-in cooldown (seconds) of each service's target-tracking policies."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.service_scale_in_cooldown >= 0
    error_message = "service_scale_in_cooldown must be >= 0."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the services' and the Spot-interruption log groups; 0 = never expire."
  type        = number
  default     = 14
  nullable    = false

  validation {
    # drydock rule log-retention-value (CloudWatch Logs PutRetentionPolicy values).
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be 0 (never expire) or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "network_mode" {
  description = "Task network mode: awsvpc (an ENI per task), bridge (dynamic host ports) or host."
  type        = string
  default     = "awsvpc"
  nullable    = false

  validation {
    condition     = contains(["awsvpc", "bridge", "host"], var.network_mode)
    error_message = "network_mode must be awsvpc, bridge or host."
  }
}

variable "container_insights" {
  description = "CloudWatch Container Insights on the cluster (also adds each service's running-tasks alarm)."
  type        = bool
  default     = true
  nullable    = false
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per availability zone instead of a single shared one."
  type        = bool
  default     = false
  nullable    = false
}

variable "alb_idle_timeout" {
  description = "Connection idle timeout of the load balancer, in seconds."
  type        = number
  default     = 60
  nullable    = false

  validation {
    condition     = var.alb_idle_timeout >= 1 && var.alb_idle_timeout <= 4000
    error_message = "alb_idle_timeout must be within 1..4000."
  }
}

variable "ssl_policy" {
  description = "Security policy of the HTTPS listener (TLS 1.3 policies only)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  nullable    = false

  validation {
    # drydock rule ssl-policy: no policy allowing TLS 1.0 or 1.1.
    condition     = contains(["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06"], var.ssl_policy)
    error_message = "ssl_policy must be ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06 or ELBSecurityPolicy-TLS13-1-3-2021-06."
  }
}

variable "redirect_http_to_https" {
  description = "The HTTP listener answers only with a 301 redirect to HTTPS (on AWS: only when certificate_arn is set)."
  type        = bool
  default     = false
  nullable    = false
}

# ---------------------------------------------------------------------------
# AWS-only settings
# ---------------------------------------------------------------------------

variable "certificate_arn" {
  description = "ACM (or IAM server) certificate ARN of the HTTPS listener on 443; the listener exists iff this is set."
  type        = string
  default     = ""
  nullable    = false

  validation {
    # drydock rule certificate-arn.
    condition = (
      var.certificate_arn == "" ||
      can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$", var.certificate_arn)) ||
      can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:server-certificate/.+$", var.certificate_arn))
    )
    error_message = "certificate_arn must be empty or look like arn:aws:acm:<region>:<12 digits>:certificate/<id> or arn:aws:iam::<12 digits>:server-certificate/<name>."
  }
}

variable "additional_certificate_arns" {
  description = "Extra certificates of the HTTPS listener, chosen by SNI (used only with certificate_arn)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition = alltrue([for arn in var.additional_certificate_arns :
      can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$", arn)) ||
      can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:server-certificate/.+$", arn))
    ])
    error_message = "Each additional_certificate_arns entry must look like arn:aws:acm:<region>:<12 digits>:certificate/<id> or arn:aws:iam::<12 digits>:server-certificate/<name>."
  }
}

variable "enable_waf" {
  description = "Associate an AWS WAF web ACL (AWS managed rule groups) with the load balancer."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_vpc_endpoints" {
  description = "VPC endpoints (S3 gateway; ECR API, ECR Docker, Secrets Manager, CloudWatch Logs interface) so image pulls, secrets and logs stay off the NAT gateway (which remains, for everything else)."
  type        = bool
  default     = false
  nullable    = false
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic the CloudWatch alarms notify (alarm and OK); empty = the alarms notify nobody."
  type        = string
  default     = ""
  nullable    = false

  validation {
    # drydock rule sns-topic-arn.
    condition     = var.alarm_sns_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be empty or look like arn:aws:sns:<region>:<12 digits>:<name>."
  }
}

# ---------------------------------------------------------------------------
# drydock local runtime only: declared so the same terraform.tfvars works
# here; the AWS target does not use them.
# ---------------------------------------------------------------------------

variable "listen_address" {
  description = "drydock local runtime only: HOST:PORT where the local load balancer listens."
  type        = string
  default     = "127.0.0.1:8080"
  nullable    = false
}

variable "https_listen_address" {
  description = "drydock local runtime only: HOST:PORT of the local HTTPS listener (\"\" = none). The AWS HTTPS listener exists iff certificate_arn is set."
  type        = string
  default     = ""
  nullable    = false
}

variable "certificate_file" {
  description = "drydock local runtime only: PEM certificate (and chain) of the local HTTPS listener. On AWS, see certificate_arn."
  type        = string
  default     = ""
  nullable    = false
}

variable "private_key_file" {
  description = "drydock local runtime only: PEM private key of certificate_file."
  type        = string
  default     = ""
  nullable    = false
}

variable "additional_certificates" {
  description = "drydock local runtime only: extra PEM certificate/key pairs of the local HTTPS listener (SNI). On AWS, see additional_certificate_arns."
  type = list(object({
    certificate_file = string
    private_key_file = string
  }))
  default  = []
  nullable = false
}

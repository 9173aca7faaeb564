terraform {
  # 1.5: `check` blocks (main.tf) and optional() attribute defaults (1.3+).
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.34.0 added managed_draining to aws_ecs_capacity_provider
      # (terraform-provider-aws CHANGELOG, v5.34.0).
      version = "~> 5.34"
    }
  }
}

// List prices for the AWS services the architecture uses, other than EC2
// instance-hours (those are in the instance catalog). us-east-1, Linux, as of
// 2026-11; every figure and its source is in docs/pricing.md - keep in sync.
#pragma once

#include <string_view>

namespace drydock::aws {

// AWS's convention for monthly figures: 730 hours (8 760 / 12).
inline constexpr double kHoursPerMonth = 730;

// The region whose prices the tables hold; other regions are priced the same
// with a note.
inline constexpr std::string_view kPricingRegion = "us-east-1";
inline constexpr std::string_view kPricesAsOf = "2026-11";

struct ServicePrices {
  double alb_hour;               // Application Load Balancer, per ALB-hour
  double alb_lcu_hour;           // per Load Balancer Capacity Unit-hour
  double nat_gateway_hour;       // per NAT gateway-hour
  double nat_gateway_gb;         // per GB processed (not in the estimate; noted)
  double public_ipv4_hour;       // per public IPv4 address-hour (since 2024-02-01)
  double secret_month;           // Secrets Manager, per secret-month
  double secret_api_10k;         // per 10 000 API calls (not in the estimate; noted)
  double logs_ingest_gb;         // CloudWatch Logs standard ingestion, per GB
  double logs_storage_gb_month;  // CloudWatch Logs archival storage, per GB-month
  double ebs_gp3_gb_month;       // EBS gp3 volume, per GB-month
  double alarm_metric_month;     // CloudWatch standard-resolution alarm, per metric-month
  double vpc_endpoint_az_hour;   // VPC interface endpoint, per endpoint per AZ-hour
  double vpc_endpoint_gb;        // per GB processed (not in the estimate; noted)
  double waf_web_acl_month;      // AWS WAF, per web ACL-month
  double waf_rule_month;         // per rule (a managed rule group counts as one)-month
  double waf_million_requests;   // per million requests (not in the estimate; noted)
};

const ServicePrices& UsEast1Prices();

// Assumptions the estimate makes where usage is unknown; stated in the plan.
inline constexpr int kAssumedLcus = 1;                     // per ALB
inline constexpr double kAssumedLogGbPerServiceMonth = 1;  // ingestion per service
inline constexpr int kRootVolumeGb = 30;  // ECS-optimized Amazon Linux 2023 AMI default

}  // namespace drydock::aws

#include "aws/pricing.h"

namespace drydock::aws {

const ServicePrices& UsEast1Prices() {
  // Sources and date: docs/pricing.md.
  static constexpr ServicePrices kPrices{
      .alb_hour = 0.0225,
      .alb_lcu_hour = 0.008,
      .nat_gateway_hour = 0.045,
      .nat_gateway_gb = 0.045,
      .public_ipv4_hour = 0.005,
      .secret_month = 0.40,
      .secret_api_10k = 0.05,
      .logs_ingest_gb = 0.50,
      .logs_storage_gb_month = 0.03,
      .ebs_gp3_gb_month = 0.08,
      .alarm_metric_month = 0.10,
      .vpc_endpoint_az_hour = 0.01,
      .vpc_endpoint_gb = 0.01,
      .waf_web_acl_month = 5.00,
      .waf_rule_month = 1.00,
      .waf_million_requests = 0.60,
  };
  return kPrices;
}

}  // namespace drydock::aws

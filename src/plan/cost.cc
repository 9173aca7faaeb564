#include "plan/cost.h"

#include <fmt/format.h>

#include "aws/asg_mix.h"
#include "aws/instance_types.h"
#include "aws/pricing.h"
#include "plan/resources.h"

namespace drydock::plan {
namespace {

CostItem Hourly(std::string item, double quantity, std::string unit, double unit_usd) {
  CostItem c{std::move(item), quantity, std::move(unit), unit_usd, true, 0, 0};
  c.hourly_usd = quantity * unit_usd;
  c.monthly_usd = c.hourly_usd * aws::kHoursPerMonth;
  return c;
}

CostItem Monthly(std::string item, double quantity, std::string unit, double unit_usd) {
  CostItem c{std::move(item), quantity, std::move(unit), unit_usd, false, 0, 0};
  c.monthly_usd = quantity * unit_usd;
  c.hourly_usd = c.monthly_usd / aws::kHoursPerMonth;
  return c;
}

// The configured Spot type with the lowest typical Spot price.
const aws::InstanceType* CheapestSpot(const config::Settings& s) {
  const aws::InstanceType* best = nullptr;
  for (const std::string& name : s.spot_instance_types) {
    const aws::InstanceType* type = aws::FindInstanceType(name);
    if (type && (!best || type->spot_usd_per_hour < best->spot_usd_per_hour)) best = type;
  }
  return best ? best : aws::FindInstanceType(s.instance_type);
}

void AddInstances(const config::Settings& s, CostReport& report) {
  const aws::InstanceType* od = aws::FindInstanceType(s.instance_type);
  const aws::InstanceType* spot = CheapestSpot(s);
  report.on_demand_type = s.instance_type;
  report.spot_type = spot ? std::string(spot->name) : "";
  report.items.push_back(Hourly("EC2 On-Demand " + s.instance_type, report.on_demand,
                                "instance-hour", od ? od->on_demand_usd_per_hour : 0));
  report.items.push_back(Hourly("EC2 Spot " + (spot ? report.spot_type : s.instance_type),
                                report.spot, "instance-hour", spot ? spot->spot_usd_per_hour : 0));
  report.items.push_back(Monthly(
      fmt::format("EBS gp3 root volumes ({} GB each)", aws::kRootVolumeGb),
      report.instances * aws::kRootVolumeGb, "GB-month", aws::UsEast1Prices().ebs_gp3_gb_month));
}

void AddNetwork(const config::Settings& s, CostReport& report) {
  const aws::ServicePrices& p = aws::UsEast1Prices();
  const int nat_gateways = s.nat_gateway_per_az ? s.availability_zone_count : 1;
  report.items.push_back(Hourly("Application Load Balancer", 1, "ALB-hour", p.alb_hour));
  report.items.push_back(
      Hourly(fmt::format("ALB capacity units ({} LCU assumed)", aws::kAssumedLcus),
             aws::kAssumedLcus, "LCU-hour", p.alb_lcu_hour));
  report.items.push_back(Hourly("NAT gateways", nat_gateways, "gateway-hour", p.nat_gateway_hour));
  report.items.push_back(Hourly(fmt::format("Public IPv4 addresses ({} NAT + {} ALB)", nat_gateways,
                                            s.availability_zone_count),
                                nat_gateways + s.availability_zone_count, "address-hour",
                                p.public_ipv4_hour));
  if (s.enable_vpc_endpoints) {
    const int interfaces = static_cast<int>(InterfaceEndpointServices().size());
    report.items.push_back(Hourly(
        fmt::format("VPC interface endpoints ({} x {} AZ)", interfaces, s.availability_zone_count),
        interfaces * s.availability_zone_count, "endpoint-AZ-hour", p.vpc_endpoint_az_hour));
  }
  if (s.enable_waf) {
    report.items.push_back(Monthly("WAF web ACL", 1, "web-ACL-month", p.waf_web_acl_month));
    const int rules = static_cast<int>(WafRuleGroups().size());
    report.items.push_back(Monthly(fmt::format("WAF rules ({} managed rule groups)", rules), rules,
                                   "rule-month", p.waf_rule_month));
  }
}

// Days of logs kept at steady state; "never expire" (0) is shown after a year.
int RetainedDays(const config::Settings& s) {
  return s.log_retention_in_days > 0 ? s.log_retention_in_days : 365;
}

void AddAlarms(const config::Settings& s, CostReport& report) {
  report.items.push_back(Monthly("CloudWatch alarms", AlarmMetricCount(s), "alarm-metric-month",
                                 aws::UsEast1Prices().alarm_metric_month));
}

void AddServices(const config::Settings& s, CostReport& report) {
  const aws::ServicePrices& p = aws::UsEast1Prices();
  const double services = static_cast<double>(s.services.size());
  const double ingest_gb = services * aws::kAssumedLogGbPerServiceMonth;
  report.items.push_back(
      Monthly("Secrets Manager secrets", services, "secret-month", p.secret_month));
  report.items.push_back(
      Monthly(fmt::format("CloudWatch Logs ingestion ({} GB/service/month assumed)",
                          aws::kAssumedLogGbPerServiceMonth),
              ingest_gb, "GB", p.logs_ingest_gb));
  report.items.push_back(
      Monthly(fmt::format("CloudWatch Logs storage ({} days kept)", RetainedDays(s)),
              ingest_gb * RetainedDays(s) / 30.0, "GB-month", p.logs_storage_gb_month));
}

void AddAssumptions(const config::Settings& s, CostReport& report) {
  const aws::ServicePrices& p = aws::UsEast1Prices();
  std::vector<std::string>& a = report.assumptions;
  a.push_back(
      fmt::format("Prices are {} list prices as of {} (docs/pricing.md); Spot prices move "
                  "with supply and demand.",
                  aws::kPricingRegion, aws::kPricesAsOf));
  a.push_back(
      fmt::format("On-Demand instances are {}: the On-Demand allocation strategy is "
                  "prioritized and the launch template's type is the first override.",
                  s.instance_type));
  if (!report.spot_type.empty()) {
    a.push_back(
        fmt::format("Spot instances are priced at the cheapest configured Spot type ({}): "
                    "{} usually lands on a cheap pool, not always the cheapest.",
                    report.spot_type, s.spot_allocation_strategy));
  }
  a.push_back(
      fmt::format("The ALB is charged {} LCU per hour (light traffic); each further LCU "
                  "costs ${}/h.",
                  aws::kAssumedLcus, p.alb_lcu_hour));
  a.push_back(fmt::format(
      "Public IPv4 addresses cost ${}/h each, in use or not, since February 2024: one per NAT "
      "gateway, one per AZ of the internet-facing ALB.",
      p.public_ipv4_hour));
  a.push_back(
      fmt::format("CloudWatch Logs: {} GB ingested per service per month, {} days of it "
                  "stored; the Spot-interruption log group's few events are not counted.",
                  aws::kAssumedLogGbPerServiceMonth, RetainedDays(s)));
  a.push_back(
      fmt::format("CloudWatch alarms cost ${:.2f} per metric they read each month: the metric-math "
                  "alarms count each metric (the ALB 5xx rate 3, running tasks 2).",
                  p.alarm_metric_month));
  if (s.enable_vpc_endpoints) {
    a.push_back(
        fmt::format("VPC endpoints: each interface endpoint costs ${:.2f}/h per AZ; the S3 gateway "
                    "endpoint is free; interface endpoint data processing (${:.2f}/GB) is not "
                    "included.",
                    p.vpc_endpoint_az_hour, p.vpc_endpoint_gb));
  }
  if (s.enable_waf) {
    a.push_back(fmt::format(
        "WAF: ${:.2f}/month per web ACL and ${:.2f}/month per rule ({} managed rule "
        "groups); requests (${:.2f} per million) are not included.",
        p.waf_web_acl_month, p.waf_rule_month, WafRuleGroups().size(), p.waf_million_requests));
  }
  a.push_back(
      fmt::format("Not included: data transfer out, NAT data processing (${}/GB), "
                  "Secrets Manager API calls (${} per 10,000), CloudWatch metrics "
                  "(Container Insights, detailed monitoring) and the alarms target tracking "
                  "creates, EventBridge (AWS service events are free).",
                  p.nat_gateway_gb, p.secret_api_10k));
}

// The bill with `instances` in the group.
CostReport CostAt(const config::Settings& s, int instances) {
  CostReport report;
  report.priced_region = std::string(aws::kPricingRegion);
  report.prices_as_of = std::string(aws::kPricesAsOf);
  report.instances = instances;
  const aws::PurchaseMix mix =
      aws::MixForGroupSize(instances, s.on_demand_base_capacity, s.on_demand_percentage_above_base);
  report.on_demand = mix.on_demand;
  report.spot = mix.spot;
  AddInstances(s, report);
  AddNetwork(s, report);
  AddServices(s, report);
  AddAlarms(s, report);
  for (const CostItem& item : report.items) report.monthly_usd += item.monthly_usd;
  report.hourly_usd = report.monthly_usd / aws::kHoursPerMonth;
  return report;
}

}  // namespace

CostReport BuildCost(const config::Settings& s) {
  CostReport report = CostAt(s, s.asg_desired_capacity);
  const CostReport at_max = CostAt(s, s.asg_max_size);
  report.max_instances = at_max.instances;
  report.max_on_demand = at_max.on_demand;
  report.max_spot = at_max.spot;
  report.max_hourly_usd = at_max.hourly_usd;
  report.max_monthly_usd = at_max.monthly_usd;
  AddAssumptions(s, report);
  return report;
}

}  // namespace drydock::plan

#include "plan/cost.h"

#include <gtest/gtest.h>

#include "aws/pricing.h"
#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::OriginConfig;

const CostItem& Item(const CostReport& report, const std::string& prefix) {
  for (const CostItem& item : report.items) {
    if (item.item.rfind(prefix, 0) == 0) return item;
  }
  ADD_FAILURE() << "no cost item " << prefix;
  return report.items.front();
}

TEST(CostTest, OriginRunsTwoOnDemandInstancesAtDesiredCapacity) {
  const CostReport report = BuildCost(OriginConfig().settings);
  EXPECT_EQ(report.on_demand, 2);
  EXPECT_EQ(report.spot, 0);
  EXPECT_DOUBLE_EQ(Item(report, "EC2 On-Demand").quantity, 2);
  EXPECT_DOUBLE_EQ(Item(report, "EC2 On-Demand").hourly_usd, 2 * 0.0416);
  EXPECT_DOUBLE_EQ(Item(report, "EC2 Spot").quantity, 0);
}

TEST(CostTest, SpotIsPricedAtTheCheapestSpotType) {
  config::Config config = OriginConfig();
  config.settings.asg_desired_capacity = 10;  // 3 On-Demand + 7 Spot
  const CostReport report = BuildCost(config.settings);
  EXPECT_EQ(report.spot, 7);
  EXPECT_EQ(report.spot_type, "t3a.medium");
  EXPECT_DOUBLE_EQ(Item(report, "EC2 Spot").unit_usd, 0.0113);
}

TEST(CostTest, OneNatGatewayUnlessPerAz) {
  config::Config config = OriginConfig();
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "NAT gateways").quantity, 1);
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "Public IPv4").quantity, 3);  // 1 NAT + 2 ALB
  config.settings.nat_gateway_per_az = true;
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "NAT gateways").quantity, 2);
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "Public IPv4").quantity, 4);
}

TEST(CostTest, HourlyItemsRun730HoursAMonth) {
  const CostReport report = BuildCost(OriginConfig().settings);
  const CostItem& alb = Item(report, "Application Load Balancer");
  EXPECT_TRUE(alb.hourly);
  EXPECT_DOUBLE_EQ(alb.monthly_usd, 0.0225 * 730);
  const CostItem& secrets = Item(report, "Secrets Manager");
  EXPECT_FALSE(secrets.hourly);
  EXPECT_DOUBLE_EQ(secrets.quantity, 2);
  EXPECT_DOUBLE_EQ(secrets.monthly_usd, 0.80);
}

TEST(CostTest, LogStorageHoldsTheRetainedDays) {
  const CostReport report = BuildCost(OriginConfig().settings);
  EXPECT_DOUBLE_EQ(Item(report, "CloudWatch Logs ingestion").monthly_usd, 2 * 0.50);
  EXPECT_DOUBLE_EQ(Item(report, "CloudWatch Logs storage").quantity, 2.0 * 14 / 30);
}

TEST(CostTest, OriginTotal) {
  const CostReport report = BuildCost(OriginConfig().settings);
  // 2 x t3.medium 60.736 + EBS 4.80 + ALB 16.425 + LCU 5.84 + NAT 32.85 + IPv4 10.95
  // + secrets 0.80 + logs 1.00 + 0.028 + alarms 1.50
  EXPECT_NEAR(report.monthly_usd, 134.929, 1e-9);
  EXPECT_NEAR(report.hourly_usd, 134.929 / 730, 1e-9);
  double sum = 0;
  for (const CostItem& item : report.items) sum += item.monthly_usd;
  EXPECT_DOUBLE_EQ(sum, report.monthly_usd);
}

bool HasItem(const CostReport& report, const std::string& prefix) {
  for (const CostItem& item : report.items) {
    if (item.item.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

TEST(CostTest, AlarmsArePricedPerMetric) {
  config::Config config = OriginConfig();
  // ALB 5xx 3 + Spot 1 + reservation 1 + per service running tasks 2, unhealthy, CPU, memory.
  const CostItem alarms = Item(BuildCost(config.settings), "CloudWatch alarms");
  EXPECT_FALSE(alarms.hourly);
  EXPECT_DOUBLE_EQ(alarms.quantity, 15);
  EXPECT_DOUBLE_EQ(alarms.unit_usd, 0.10);
  EXPECT_DOUBLE_EQ(alarms.monthly_usd, 1.50);
  config.settings.container_insights = false;  // no running-tasks alarms
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "CloudWatch alarms").quantity, 11);
  config.settings.services.clear();
  EXPECT_DOUBLE_EQ(Item(BuildCost(config.settings), "CloudWatch alarms").quantity, 5);
}

TEST(CostTest, VpcInterfaceEndpointsArePricedPerAzLikeNatGateways) {
  config::Config config = OriginConfig();
  EXPECT_FALSE(HasItem(BuildCost(config.settings), "VPC interface endpoints"));
  config.settings.enable_vpc_endpoints = true;
  const CostReport report = BuildCost(config.settings);
  const CostItem& endpoints = Item(report, "VPC interface endpoints");
  EXPECT_TRUE(endpoints.hourly);
  EXPECT_DOUBLE_EQ(endpoints.quantity, 8);  // 4 endpoints x 2 AZs; the S3 gateway is free
  EXPECT_DOUBLE_EQ(endpoints.hourly_usd, 0.08);
  EXPECT_NEAR(endpoints.monthly_usd, 58.40, 1e-9);
  EXPECT_NEAR(report.monthly_usd, BuildCost(OriginConfig().settings).monthly_usd + 58.40, 1e-9);
  std::string all;
  for (const std::string& a : report.assumptions) all += a + "\n";
  EXPECT_NE(all.find("S3 gateway endpoint is free"), std::string::npos) << all;
  EXPECT_NE(all.find("data processing ($0.01/GB) is not included"), std::string::npos) << all;
}

TEST(CostTest, WafIsAWebAclAndThreeRulesAMonth) {
  config::Config config = OriginConfig();
  EXPECT_FALSE(HasItem(BuildCost(config.settings), "WAF"));
  config.settings.enable_waf = true;
  const CostReport report = BuildCost(config.settings);
  EXPECT_DOUBLE_EQ(Item(report, "WAF web ACL").monthly_usd, 5.00);
  const CostItem& rules = Item(report, "WAF rules");
  EXPECT_DOUBLE_EQ(rules.quantity, 3);
  EXPECT_DOUBLE_EQ(rules.monthly_usd, 3.00);
  EXPECT_NEAR(report.monthly_usd, BuildCost(OriginConfig().settings).monthly_usd + 8.00, 1e-9);
  std::string all;
  for (const std::string& a : report.assumptions) all += a + "\n";
  EXPECT_NE(all.find("requests ($0.60 per million) are not included"), std::string::npos) << all;
}

TEST(CostTest, BillAtMaxSize) {
  const CostReport report = BuildCost(OriginConfig().settings);
  EXPECT_EQ(report.max_instances, 10);
  EXPECT_EQ(report.max_on_demand, 3);
  EXPECT_EQ(report.max_spot, 7);
  // 3 x 0.0416 + 7 x 0.0113 instance-hours and 8 more root volumes than at desired capacity.
  const double extra = (0.0416 + 7 * 0.0113) * 730 + 8 * 30 * 0.08;
  EXPECT_NEAR(report.max_monthly_usd, report.monthly_usd + extra, 1e-9);
}

TEST(CostTest, AssumptionsAreStated) {
  const CostReport report = BuildCost(OriginConfig().settings);
  std::string all;
  for (const std::string& a : report.assumptions) all += a + "\n";
  EXPECT_NE(all.find("as of 2026-11"), std::string::npos);
  EXPECT_NE(all.find("1 LCU"), std::string::npos);
  EXPECT_NE(all.find("price-capacity-optimized"), std::string::npos);
  EXPECT_NE(all.find("1 GB ingested per service"), std::string::npos);
}

}  // namespace
}  // namespace drydock::plan

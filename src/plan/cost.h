// The cost section of `drydock plan`: what the architecture costs per hour and
// per 730-hour month at desired capacity, item by item, with the assumptions
// stated. Prices: aws/pricing.h and the instance catalog; docs/pricing.md.
#pragma once

#include <string>
#include <vector>

#include "config/spec/settings.h"

namespace drydock::plan {

struct CostItem {
  std::string item;     // "EC2 On-Demand t3.medium"
  double quantity = 0;  // in `unit`s
  std::string unit;     // "instance-hour", "ALB-hour", "secret-month", "GB", "GB-month"
  double unit_usd = 0;  // price of one unit
  bool hourly = false;  // true: quantity runs every hour; monthly = q * unit * 730
  double hourly_usd = 0;
  double monthly_usd = 0;
};

struct CostReport {
  std::string priced_region;  // always aws::kPricingRegion
  std::string prices_as_of;
  int instances = 0;  // desired capacity
  int on_demand = 0;
  int spot = 0;
  std::string on_demand_type;  // the launch template's type (first override, prioritized)
  std::string spot_type;       // the cheapest configured Spot type ("" when unknown)
  std::vector<CostItem> items;
  double hourly_usd = 0;
  double monthly_usd = 0;
  // The same bill with the group at asg_max_size (the ceiling of the estimate).
  int max_instances = 0;
  int max_on_demand = 0;
  int max_spot = 0;
  double max_hourly_usd = 0;
  double max_monthly_usd = 0;
  std::vector<std::string> assumptions;  // whole sentences
};

CostReport BuildCost(const config::Settings& settings);

}  // namespace drydock::plan

// The On-Demand / Spot split of an Auto Scaling group with a mixed instances
// policy (rulebook section 1): the base is On-Demand, the share above the base
// is rounded up in favour of On-Demand.
#pragma once

namespace drydock::aws {

struct PurchaseMix {
  int on_demand = 0;
  int spot = 0;
};

// REQUIRES: size >= 0, base >= 0, 0 <= percent_above_base <= 100.
PurchaseMix MixForGroupSize(int size, int on_demand_base, int on_demand_percent_above_base);

}  // namespace drydock::aws

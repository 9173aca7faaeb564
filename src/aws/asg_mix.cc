#include "aws/asg_mix.h"

#include <algorithm>

namespace drydock::aws {

PurchaseMix MixForGroupSize(int size, int on_demand_base, int on_demand_percent_above_base) {
  const int base = std::min(on_demand_base, size);
  const int above = size - base;
  // Integer ceil(above * pct / 100): no floating-point error at the boundaries.
  const int on_demand_above = (above * on_demand_percent_above_base + 99) / 100;
  PurchaseMix mix;
  mix.on_demand = base + on_demand_above;
  mix.spot = size - mix.on_demand;
  return mix;
}

}  // namespace drydock::aws

// Text form of the capacity and cost sections.
#include <fmt/format.h>

#include <algorithm>

#include "aws/instance_types.h"
#include "base/strings.h"
#include "base/text_table.h"
#include "plan/render_text_sections.h"

namespace drydock::plan {
namespace {

// Sizes per block of the mix table, and the most sizes shown in text (JSON
// always has them all).
constexpr size_t kMixColumns = 20;
constexpr size_t kMixShown = 40;

std::string MixBlock(const std::vector<SizeMix>& mix, size_t begin, size_t end) {
  std::vector<bool> right(end - begin + 1, true);
  right[0] = false;  // row labels
  TextTable table(right);
  std::vector<std::string> size{"size"}, od{"On-Demand"}, spot{"Spot"};
  for (size_t i = begin; i < end; ++i) {
    size.push_back(std::to_string(mix[i].size));
    od.push_back(std::to_string(mix[i].on_demand));
    spot.push_back(std::to_string(mix[i].spot));
  }
  table.AddRow(size);
  table.AddRow(od);
  table.AddRow(spot);
  return table.Render("  ");
}

std::string MixText(const CapacityReport& c) {
  std::string out = fmt::format(
      "Auto Scaling group: min {}, max {}, desired {}; On-Demand base {}, {}% On-Demand above the "
      "base (rounded up), the rest Spot\n\n",
      c.min_size, c.max_size, c.desired_capacity, c.on_demand_base, c.on_demand_percent_above_base);
  const std::vector<SizeMix>& mix = c.asg_mix;
  const bool elide = mix.size() > kMixShown;
  const size_t head = elide ? kMixShown / 2 : mix.size();
  for (size_t i = 0; i < head; i += kMixColumns) {
    out += MixBlock(mix, i, std::min(head, i + kMixColumns)) + "\n";
  }
  if (elide) {
    out += fmt::format("  ... {} sizes left out (all are in --output json) ...\n\n",
                       mix.size() - kMixShown);
    out += MixBlock(mix, mix.size() - kMixShown / 2, mix.size()) + "\n";
  }
  return out;
}

std::string TypesText(const CapacityReport& c) {
  TextTable table({false, true, true, true, true, true, true});
  table.AddRow({"instance type", "vCPU", "CPU units", "registered MiB", "ENIs", "On-Demand $/h",
                "Spot $/h"});
  for (const std::string& name : c.instance_types) {
    const aws::InstanceType* t = aws::FindInstanceType(name);
    table.AddRow({name, std::to_string(t->vcpus), std::to_string(t->registered_cpu_units()),
                  std::to_string(t->registered_memory_mib), std::to_string(t->max_enis),
                  fmt::format("{:.4f}", t->on_demand_usd_per_hour),
                  fmt::format("{:.4f}", t->spot_usd_per_hour)});
  }
  return "Instance types the group can launch\n\n" + table.Render("  ") + "\n";
}

std::string Limit(int value) { return value < 0 ? "-" : std::to_string(value); }

std::string PerInstanceText(const CapacityReport& c) {
  TextTable table({false, false, true, true, true, true, true, true, false});
  table.AddRow({"service", "instance type", "cpu", "memory", "by cpu", "by memory", "by eni",
                "tasks", "bound by"});
  for (const ServiceCapacity& s : c.services) {
    for (const TypeFit& f : s.per_type) {
      const aws::PerInstance& p = f.per_instance;
      table.AddRow({s.name, f.instance_type, std::to_string(s.cpu), std::to_string(s.memory),
                    std::to_string(p.by_cpu), std::to_string(p.by_memory), Limit(p.by_eni),
                    std::to_string(p.tasks), std::string(aws::LimitName(p.bound_by))});
    }
  }
  return fmt::format("Tasks per instance ({} network mode)\n\n", c.network_mode) +
         table.Render("  ") + "\n";
}

std::string ScenariosText(const CapacityReport& c) {
  TextTable table({false, true, true, false, false});
  table.AddRow({"scenario", "tasks", "instances", fmt::format("at desired {}", c.desired_capacity),
                fmt::format("at max {}", c.max_size)});
  for (const Scenario& s : c.scenarios) {
    table.AddRow({s.label, std::to_string(s.tasks), Limit(s.instances_needed),
                  s.fits_at_desired ? "fits" : "does not fit",
                  s.fits_at_max ? "fits" : "does not fit"});
  }
  const aws::InstanceShape& w = c.worst_case;
  std::string enis = c.network_mode == "awsvpc" ? fmt::format(", {} task ENIs", w.task_enis) : "";
  return fmt::format("Placement on the worst-case instance ({} CPU units, {} MiB{})\n\n",
                     w.cpu_units, w.memory_mib, enis) +
         table.Render("  ") + "\n";
}

std::string Money(double usd, int decimals) { return fmt::format("{:.{}f}", usd, decimals); }

std::string Quantity(double q) {
  return q == static_cast<double>(static_cast<long long>(q)) ? FormatNumber(q)
                                                             : fmt::format("{:.2f}", q);
}

}  // namespace

std::string RenderCapacityText(const Plan& plan) {
  const CapacityReport& c = plan.capacity;
  std::string out = Heading("Capacity") + MixText(c);
  if (!c.instance_types.empty()) {
    out += TypesText(c);
    if (!c.services.empty()) out += PerInstanceText(c);
    out += ScenariosText(c);
  }
  for (const std::string& sentence : c.conclusions) out += "  - " + sentence + "\n";
  return out + "\n";
}

std::string RenderCostText(const Plan& plan) {
  const CostReport& cost = plan.cost;
  std::string out = Heading(fmt::format(
      "Cost at desired capacity: {} instances ({} On-Demand + {} Spot), {} prices as of {}",
      cost.instances, cost.on_demand, cost.spot, cost.priced_region, cost.prices_as_of));
  TextTable table({false, true, false, true, true, true});
  table.AddRow({"item", "quantity", "unit", "unit $", "$/hour", "$/month"});
  for (const CostItem& item : cost.items) {
    table.AddRow({item.item, Quantity(item.quantity), item.unit, Money(item.unit_usd, 4),
                  Money(item.hourly_usd, 4), Money(item.monthly_usd, 2)});
  }
  table.AddRow({"total", "", "", "", Money(cost.hourly_usd, 4), Money(cost.monthly_usd, 2)});
  out += table.Render("  ") + "\n";
  out += fmt::format(
      "  At asg_max_size {} ({} On-Demand + {} Spot) the same bill is ${}/hour, ${}/month.\n\n",
      cost.max_instances, cost.max_on_demand, cost.max_spot, Money(cost.max_hourly_usd, 4),
      Money(cost.max_monthly_usd, 2));
  for (const std::string& assumption : cost.assumptions) out += "  - " + assumption + "\n";
  return out + "\n";
}

}  // namespace drydock::plan

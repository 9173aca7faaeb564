// JSON form of a plan; the schema is in docs/plan.md. Objects keep insertion
// order (ordered_json) so the output is stable and reads like the text form.
#include <cmath>
#include <nlohmann/json.hpp>

#include "aws/instance_types.h"
#include "plan/plan.h"

namespace drydock::plan {
namespace {

using Json = nlohmann::ordered_json;

// Dollar amounts to 1e-6 so binary noise (60.736000000000004) never shows.
double Round6(double value) { return std::round(value * 1e6) / 1e6; }

Json Number(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return static_cast<long long>(value);
  return value;
}

Json AttributeValue(const Attribute& a) {
  switch (a.kind) {
    case Attribute::Kind::kString:
    case Attribute::Kind::kReference:
      return a.text;
    case Attribute::Kind::kNumber:
      return Number(a.number);
    case Attribute::Kind::kBool:
      return a.flag;
    case Attribute::Kind::kStringList:
    case Attribute::Kind::kReferenceList:
      return a.items;
  }
  return nullptr;
}

// "health_check.interval" = 30 becomes {"health_check": {"interval": 30}}.
void SetNested(Json& object, const std::string& dotted_key, Json value) {
  Json* at = &object;
  size_t start = 0;
  for (size_t dot = dotted_key.find('.'); dot != std::string::npos;
       dot = dotted_key.find('.', start)) {
    at = &(*at)[dotted_key.substr(start, dot - start)];
    start = dot + 1;
  }
  (*at)[dotted_key.substr(start)] = std::move(value);
}

Json ResourcesJson(const Plan& plan) {
  Json list = Json::array();
  for (const Resource& r : plan.resources) {
    Json attributes = Json::object();
    for (const Attribute& a : r.attributes) SetNested(attributes, a.key, AttributeValue(a));
    list.push_back({{"module", r.module},
                    {"type", r.type},
                    {"name", r.name},
                    {"address", r.Address()},
                    {"attributes", std::move(attributes)}});
  }
  return list;
}

Json PerInstanceJson(const aws::PerInstance& p) {
  return {{"by_cpu", p.by_cpu},
          {"by_memory", p.by_memory},
          {"by_eni", p.by_eni < 0 ? Json(nullptr) : Json(p.by_eni)},
          {"by_host_port", p.by_port < 0 ? Json(nullptr) : Json(p.by_port)},
          {"tasks", p.tasks},
          {"bound_by", aws::LimitName(p.bound_by)}};
}

Json ShapeJson(const aws::InstanceShape& shape) {
  return {{"cpu_units", shape.cpu_units},
          {"memory_mib", shape.memory_mib},
          {"task_enis", shape.task_enis}};
}

Json InstanceTypesJson(const CapacityReport& c) {
  Json list = Json::array();
  for (const std::string& name : c.instance_types) {
    const aws::InstanceType* t = aws::FindInstanceType(name);
    list.push_back({{"name", name},
                    {"vcpus", t->vcpus},
                    {"cpu_units", t->registered_cpu_units()},
                    {"memory_mib", t->memory_mib},
                    {"registered_memory_mib", t->registered_memory_mib},
                    {"max_enis", t->max_enis},
                    {"on_demand_usd_per_hour", t->on_demand_usd_per_hour},
                    {"spot_usd_per_hour", t->spot_usd_per_hour}});
  }
  return list;
}

Json ServicesJson(const CapacityReport& c) {
  Json list = Json::array();
  for (const ServiceCapacity& s : c.services) {
    Json per_type = Json::array();
    for (const TypeFit& f : s.per_type) {
      Json fit = {{"instance_type", f.instance_type}};
      fit.update(PerInstanceJson(f.per_instance));
      per_type.push_back(std::move(fit));
    }
    list.push_back({{"name", s.name},
                    {"desired_count", s.desired_count},
                    {"cpu", s.cpu},
                    {"memory", s.memory},
                    {"per_instance_type", std::move(per_type)},
                    {"worst_case", PerInstanceJson(s.worst_case)}});
  }
  return list;
}

const char* KindName(Scenario::Kind kind) {
  switch (kind) {
    case Scenario::Kind::kSteady:
      return "steady";
    case Scenario::Kind::kDeployment:
      return "deployment";
    case Scenario::Kind::kAutoscalingMax:
      return "autoscaling_max";
  }
  return "steady";
}

Json ScenariosJson(const CapacityReport& c) {
  Json list = Json::array();
  for (const Scenario& s : c.scenarios) {
    list.push_back(
        {{"kind", KindName(s.kind)},
         {"service", s.service.empty() ? Json(nullptr) : Json(s.service)},
         {"label", s.label},
         {"tasks", s.tasks},
         {"instances_needed", s.instances_needed < 0 ? Json(nullptr) : Json(s.instances_needed)},
         {"fits_at_desired", s.fits_at_desired},
         {"fits_at_max", s.fits_at_max}});
  }
  return list;
}

Json CapacityJson(const CapacityReport& c) {
  Json mix = Json::array();
  for (const SizeMix& m : c.asg_mix) {
    mix.push_back({{"size", m.size}, {"on_demand", m.on_demand}, {"spot", m.spot}});
  }
  const ProviderEstimate& p = c.provider;
  return {{"min_size", c.min_size},
          {"max_size", c.max_size},
          {"desired_capacity", c.desired_capacity},
          {"network_mode", c.network_mode},
          {"instance_types", InstanceTypesJson(c)},
          {"unknown_instance_types", c.unknown_types},
          {"asg_mix", std::move(mix)},
          {"worst_case_instance", ShapeJson(c.worst_case)},
          {"largest_instance", ShapeJson(c.largest)},
          {"services", ServicesJson(c)},
          {"scenarios", ScenariosJson(c)},
          {"capacity_provider",
           {{"instances_needed", p.instances_needed},
            {"target_capacity", p.target_capacity},
            {"reservation_percent", p.reservation_percent},
            {"group_desired", p.group_desired}}},
          {"conclusions", c.conclusions}};
}

Json CostJson(const CostReport& cost) {
  Json items = Json::array();
  for (const CostItem& i : cost.items) {
    items.push_back({{"item", i.item},
                     {"quantity", Number(Round6(i.quantity))},
                     {"unit", i.unit},
                     {"unit_usd", Round6(i.unit_usd)},
                     {"hourly_usd", Round6(i.hourly_usd)},
                     {"monthly_usd", Round6(i.monthly_usd)}});
  }
  return {{"priced_region", cost.priced_region},
          {"prices_as_of", cost.prices_as_of},
          {"hours_per_month", 730},
          {"instances", cost.instances},
          {"on_demand", cost.on_demand},
          {"spot", cost.spot},
          {"on_demand_type", cost.on_demand_type},
          {"spot_type", cost.spot_type},
          {"hourly_usd", Round6(cost.hourly_usd)},
          {"monthly_usd", Round6(cost.monthly_usd)},
          {"items", std::move(items)},
          {"at_max_size",
           {{"instances", cost.max_instances},
            {"on_demand", cost.max_on_demand},
            {"spot", cost.max_spot},
            {"hourly_usd", Round6(cost.max_hourly_usd)},
            {"monthly_usd", Round6(cost.max_monthly_usd)}}},
          {"assumptions", cost.assumptions}};
}

}  // namespace

std::string RenderJson(const Plan& plan) {
  Json modules = Json::array();
  for (const std::string& module : plan.modules) {
    size_t count = 0;
    for (const Resource& r : plan.resources) count += r.module == module ? 1 : 0;
    modules.push_back({{"module", module}, {"resource_count", count}});
  }
  Json out = {{"format_version", 1},
              {"region", plan.region},
              {"cluster_name", plan.cluster_name},
              {"resource_count", plan.resources.size()},
              {"modules", std::move(modules)},
              {"resources", ResourcesJson(plan)},
              {"capacity", CapacityJson(plan.capacity)},
              {"cost", CostJson(plan.cost)},
              {"notes", plan.notes}};
  return out.dump(2) + "\n";
}

}  // namespace drydock::plan

#include "validate/instances.h"

#include <algorithm>

namespace drydock::validate {

std::vector<const aws::InstanceType*> ConfiguredInstanceTypes(const config::Settings& settings) {
  std::vector<const aws::InstanceType*> types;
  auto add = [&types](const std::string& name) {
    const aws::InstanceType* type = aws::FindInstanceType(name);
    if (type != nullptr && std::find(types.begin(), types.end(), type) == types.end()) {
      types.push_back(type);
    }
  };
  add(settings.instance_type);
  for (const std::string& name : settings.spot_instance_types) add(name);
  return types;
}

bool SpotCanBeUsed(const config::Settings& settings) {
  return settings.on_demand_percentage_above_base < 100 &&
         settings.asg_max_size > settings.on_demand_base_capacity;
}

SmallestInstance Smallest(const std::vector<const aws::InstanceType*>& types) {
  SmallestInstance smallest;
  smallest.shape = aws::SmallestShape(types);
  const aws::InstanceShape& capacity = smallest.shape;
  std::vector<std::string> owners;
  for (const aws::InstanceType* type : types) {
    if (type->registered_cpu_units() == capacity.cpu_units &&
        type->registered_memory_mib == capacity.memory_mib &&
        type->awsvpc_task_slots() == capacity.task_enis) {
      smallest.name = std::string(type->name);
      return smallest;
    }
    const bool owns = type->registered_cpu_units() == capacity.cpu_units ||
                      type->registered_memory_mib == capacity.memory_mib ||
                      type->awsvpc_task_slots() == capacity.task_enis;
    if (owns) owners.emplace_back(type->name);
  }
  smallest.name = "the smallest of ";
  for (size_t i = 0; i < owners.size(); ++i) smallest.name += (i ? "/" : "") + owners[i];
  return smallest;
}

const aws::InstanceType* CheapestFitting(int cpu_units, int memory_mib) {
  const aws::InstanceType* best = nullptr;
  for (const std::string& name : aws::InstanceTypeNames()) {
    const aws::InstanceType* type = aws::FindInstanceType(name);
    if (type->registered_cpu_units() < cpu_units || type->registered_memory_mib < memory_mib) {
      continue;
    }
    if (best == nullptr || type->on_demand_usd_per_hour < best->on_demand_usd_per_hour) {
      best = type;
    }
  }
  return best;
}

}  // namespace drydock::validate

#include "aws/placement_math.h"

#include <algorithm>
#include <climits>

namespace drydock::aws {
namespace {

// What is left on one instance while packing.
struct Bin {
  int cpu_units;
  int memory_mib;
  int task_enis;
  std::vector<int> host_ports;  // static host ports already taken

  bool Fits(const TaskShape& task) const {
    if (task.cpu_units > cpu_units || task.memory_mib > memory_mib) return false;
    if (task.uses_eni && task_enis < 1) return false;
    return task.host_port <= 0 ||
           std::find(host_ports.begin(), host_ports.end(), task.host_port) == host_ports.end();
  }

  void Take(const TaskShape& task) {
    cpu_units -= task.cpu_units;
    memory_mib -= task.memory_mib;
    if (task.uses_eni) --task_enis;
    if (task.host_port > 0) host_ports.push_back(task.host_port);
  }
};

}  // namespace

bool operator==(const TaskShape& a, const TaskShape& b) {
  return a.cpu_units == b.cpu_units && a.memory_mib == b.memory_mib && a.uses_eni == b.uses_eni &&
         a.host_port == b.host_port;
}

std::string_view LimitName(Limit limit) {
  switch (limit) {
    case Limit::kCpu:
      return "cpu";
    case Limit::kMemory:
      return "memory";
    case Limit::kEni:
      return "eni";
    case Limit::kHostPort:
      return "host port";
  }
  return "cpu";
}

PerInstance TasksPerInstance(const InstanceShape& instance, const TaskShape& task) {
  PerInstance result;
  result.by_cpu = instance.cpu_units / task.cpu_units;
  result.by_memory = instance.memory_mib / task.memory_mib;
  result.tasks = result.by_cpu;
  result.bound_by = Limit::kCpu;
  if (result.by_memory < result.tasks) {
    result.tasks = result.by_memory;
    result.bound_by = Limit::kMemory;
  }
  if (task.uses_eni) {
    result.by_eni = std::max(0, instance.task_enis);
    if (result.by_eni < result.tasks) {
      result.tasks = result.by_eni;
      result.bound_by = Limit::kEni;
    }
  }
  if (task.host_port > 0) {
    result.by_port = 1;
    if (result.by_port < result.tasks) {
      result.tasks = result.by_port;
      result.bound_by = Limit::kHostPort;
    }
  }
  return result;
}

InstanceShape ShapeOf(const InstanceType& type) {
  return InstanceShape{type.registered_cpu_units(), type.registered_memory_mib,
                       type.awsvpc_task_slots()};
}

InstanceShape SmallestShape(const std::vector<const InstanceType*>& types) {
  InstanceShape shape{INT_MAX, INT_MAX, INT_MAX};
  for (const InstanceType* type : types) {
    const InstanceShape s = ShapeOf(*type);
    shape.cpu_units = std::min(shape.cpu_units, s.cpu_units);
    shape.memory_mib = std::min(shape.memory_mib, s.memory_mib);
    shape.task_enis = std::min(shape.task_enis, s.task_enis);
  }
  return shape;
}

InstanceShape LargestShape(const std::vector<const InstanceType*>& types) {
  InstanceShape shape;
  for (const InstanceType* type : types) {
    const InstanceShape s = ShapeOf(*type);
    shape.cpu_units = std::max(shape.cpu_units, s.cpu_units);
    shape.memory_mib = std::max(shape.memory_mib, s.memory_mib);
    shape.task_enis = std::max(shape.task_enis, s.task_enis);
  }
  return shape;
}

int BinpackInstances(const InstanceShape& instance, const std::vector<TaskGroup>& groups) {
  std::vector<TaskGroup> sorted;
  for (const TaskGroup& group : groups) {
    if (group.count > 0) sorted.push_back(group);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const TaskGroup& a, const TaskGroup& b) {
    if (a.shape.cpu_units != b.shape.cpu_units) return a.shape.cpu_units > b.shape.cpu_units;
    return a.shape.memory_mib > b.shape.memory_mib;
  });
  const Bin empty{instance.cpu_units, instance.memory_mib, instance.task_enis, {}};
  std::vector<Bin> bins;
  for (const TaskGroup& group : sorted) {
    if (!empty.Fits(group.shape)) return -1;
    size_t first_open = 0;  // bins before this one are full for this shape
    for (int i = 0; i < group.count; ++i) {
      while (first_open < bins.size() && !bins[first_open].Fits(group.shape)) ++first_open;
      if (first_open == bins.size()) bins.push_back(empty);
      bins[first_open].Take(group.shape);
    }
  }
  return static_cast<int>(bins.size());
}

}  // namespace drydock::aws

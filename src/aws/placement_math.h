// How many tasks fit on an EC2 instance as ECS accounts for them (rulebook
// section 3): registered CPU units, registered memory, and in awsvpc mode one
// ENI per task besides the instance's primary ENI; in host mode a static host
// port allows one copy per instance. Used by `plan` to size the cluster.
#pragma once

#include <string_view>
#include <vector>

#include "aws/instance_types.h"

namespace drydock::aws {

// The resources one instance offers to tasks.
struct InstanceShape {
  int cpu_units = 0;   // 1024 per vCPU
  int memory_mib = 0;  // registered memory, never the nominal size
  int task_enis = 0;   // ENIs left for awsvpc tasks (max ENIs - 1, no trunking)
};

// What one task asks of an instance.
struct TaskShape {
  int cpu_units = 0;
  int memory_mib = 0;
  bool uses_eni = false;  // awsvpc: one ENI per task
  int host_port = 0;      // > 0 in host mode: a static port, one copy per instance
};

bool operator==(const TaskShape& a, const TaskShape& b);

// The resource that caps tasks per instance.
enum class Limit { kCpu, kMemory, kEni, kHostPort };

std::string_view LimitName(Limit limit);  // "cpu", "memory", "eni", "host port"

struct PerInstance {
  int by_cpu = 0;
  int by_memory = 0;
  int by_eni = -1;               // -1 when ENIs do not limit (bridge and host modes)
  int by_port = -1;              // -1 when no static host port
  int tasks = 0;                 // the minimum of the above
  Limit bound_by = Limit::kCpu;  // ties resolve in the order cpu, memory, eni, port
};

// Tasks of one shape that fit on an empty instance.
// REQUIRES: task.cpu_units > 0 and task.memory_mib > 0.
PerInstance TasksPerInstance(const InstanceShape& instance, const TaskShape& task);

InstanceShape ShapeOf(const InstanceType& type);

// Per dimension the smallest (resp. largest) of `types` - the hypothetical
// instances ECS's capacity estimate uses (rulebook section 2). The smallest
// is the worst case the group can launch. REQUIRES: !types.empty().
InstanceShape SmallestShape(const std::vector<const InstanceType*>& types);
InstanceShape LargestShape(const std::vector<const InstanceType*>& types);

struct TaskGroup {
  TaskShape shape;
  int count = 0;
};

// Instances of `instance` needed to hold all tasks, packed first-fit
// decreasing (largest CPU, then memory, first). Exact when every task has the
// same shape; otherwise an upper bound that is rarely above the optimum.
// Returns -1 when some task does not fit even an empty instance.
int BinpackInstances(const InstanceShape& instance, const std::vector<TaskGroup>& groups);

}  // namespace drydock::aws

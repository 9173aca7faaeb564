#include "aws/placement_math.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

const InstanceType& Type(const char* name) {
  const InstanceType* type = FindInstanceType(name);
  EXPECT_NE(type, nullptr) << name;
  return *type;
}

TEST(CapacityPlacementMath, OriginTaskOnT3MediumIsEniBound) {
  const PerInstance p = TasksPerInstance(ShapeOf(Type("t3.medium")), TaskShape{256, 512, true, 0});
  EXPECT_EQ(p.by_cpu, 8);     // 2048 / 256
  EXPECT_EQ(p.by_memory, 7);  // 3904 / 512: registered memory, not 4096 (which would give 8)
  EXPECT_EQ(p.by_eni, 2);     // 3 ENIs less the primary
  EXPECT_EQ(p.tasks, 2);
  EXPECT_EQ(p.bound_by, Limit::kEni);
}

TEST(CapacityPlacementMath, BridgeModeIgnoresEnis) {
  const PerInstance p = TasksPerInstance(ShapeOf(Type("t3.medium")), TaskShape{256, 512, false, 0});
  EXPECT_EQ(p.by_eni, -1);
  EXPECT_EQ(p.tasks, 7);
  EXPECT_EQ(p.bound_by, Limit::kMemory);
}

TEST(CapacityPlacementMath, CpuBindsForCpuHeavyTasks) {
  const PerInstance p =
      TasksPerInstance(ShapeOf(Type("m5.xlarge")), TaskShape{1024, 512, false, 0});
  EXPECT_EQ(p.tasks, 4);
  EXPECT_EQ(p.bound_by, Limit::kCpu);
}

TEST(CapacityPlacementMath, HostModeAllowsOneCopyPerInstance) {
  const PerInstance p =
      TasksPerInstance(ShapeOf(Type("t3.medium")), TaskShape{256, 512, false, 80});
  EXPECT_EQ(p.by_port, 1);
  EXPECT_EQ(p.tasks, 1);
  EXPECT_EQ(p.bound_by, Limit::kHostPort);
}

TEST(CapacityPlacementMath, TiesResolveInOrderCpuMemoryEni) {
  const InstanceShape shape{1024, 1024, 4};
  EXPECT_EQ(TasksPerInstance(shape, TaskShape{512, 512, true, 0}).bound_by, Limit::kCpu);
  EXPECT_EQ(TasksPerInstance(shape, TaskShape{256, 512, true, 0}).bound_by, Limit::kMemory);
}

TEST(CapacityPlacementMath, SmallestAndLargestShapesArePerDimension) {
  const std::vector<const InstanceType*> types = {&Type("t3.medium"), &Type("t2.medium"),
                                                  &Type("m5.large")};
  const InstanceShape small = SmallestShape(types);
  EXPECT_EQ(small.cpu_units, 2048);
  EXPECT_EQ(small.memory_mib, Type("t3.medium").registered_memory_mib);
  EXPECT_EQ(small.task_enis, 2);
  const InstanceShape large = LargestShape(types);
  EXPECT_EQ(large.memory_mib, Type("m5.large").registered_memory_mib);
}

TEST(CapacityPlacementMath, BinpackIdenticalTasksIsExact) {
  const InstanceShape t3 = ShapeOf(Type("t3.medium"));
  const TaskShape task{256, 512, true, 0};
  EXPECT_EQ(BinpackInstances(t3, {{task, 4}}), 2);
  EXPECT_EQ(BinpackInstances(t3, {{task, 5}}), 3);
  EXPECT_EQ(BinpackInstances(t3, {{task, 6}}), 3);
  EXPECT_EQ(BinpackInstances(t3, {{task, 0}}), 0);
  EXPECT_EQ(BinpackInstances(t3, {}), 0);
}

TEST(CapacityPlacementMath, BinpackMixesShapes) {
  const InstanceShape shape{2048, 4000, 10};
  // Two 1024/2000 tasks fill one instance; four 512/1000 tasks fill another.
  EXPECT_EQ(BinpackInstances(shape, {{{512, 1000, false, 0}, 4}, {{1024, 2000, false, 0}, 2}}), 2);
}

TEST(CapacityPlacementMath, BinpackHostPortsConflictAcrossServices) {
  const InstanceShape shape{4096, 8000, 0};
  EXPECT_EQ(BinpackInstances(shape, {{{256, 512, false, 80}, 2}, {{256, 512, false, 80}, 2}}), 4);
  EXPECT_EQ(BinpackInstances(shape, {{{256, 512, false, 80}, 2}, {{256, 512, false, 81}, 2}}), 2);
}

TEST(CapacityPlacementMath, BinpackReportsTasksThatFitNothing) {
  EXPECT_EQ(BinpackInstances(InstanceShape{2048, 3904, 2}, {{{256, 4096, true, 0}, 1}}), -1);
  EXPECT_EQ(BinpackInstances(InstanceShape{2048, 3904, 0}, {{{256, 512, true, 0}, 1}}), -1);
}

}  // namespace
}  // namespace drydock::aws

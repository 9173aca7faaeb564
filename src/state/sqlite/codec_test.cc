#include "state/sqlite/codec.h"

#include <gtest/gtest.h>

#include "state/model.h"

namespace drydock::state::sqlite {
namespace {

// Every value of an enum with `count` values parses back from its name.
template <typename Enum>
void ExpectEveryNameParses(const char* (*name)(Enum), int count) {
  for (int i = 0; i < count; ++i) {
    Enum value = static_cast<Enum>(i);
    Enum parsed = static_cast<Enum>(count - 1 - i);
    EXPECT_TRUE(ParseEnumName(name(value), name, &parsed)) << name(value);
    EXPECT_EQ(parsed, value) << name(value);
  }
}

TEST(StoreCodecTest, ParsesEveryEnumName) {
  ExpectEveryNameParses(LifecycleName, 2);
  ExpectEveryNameParses(InstanceStateName, 4);
  ExpectEveryNameParses(ContainerInstanceStatusName, 5);
  ExpectEveryNameParses(NetworkModeName, 3);
  ExpectEveryNameParses(ServiceStatusName, 3);
  ExpectEveryNameParses(TaskStatusName, 8);
  ExpectEveryNameParses(StopCodeName, 7);
  ExpectEveryNameParses(HealthStatusName, 3);
  ExpectEveryNameParses(DeploymentStatusName, 3);
  ExpectEveryNameParses(RolloutStateName, 3);
}

// HealthStatus::kUnknown's AWS name is "UNKNOWN", which is also what the
// XxxName functions return for values out of range: it parses only where an
// enumerator has it.
TEST(StoreCodecTest, UnknownParsesOnlyWhereItIsAName) {
  HealthStatus health = HealthStatus::kHealthy;
  EXPECT_TRUE(ParseEnumName("UNKNOWN", HealthStatusName, &health));
  EXPECT_EQ(health, HealthStatus::kUnknown);

  TaskStatus task = TaskStatus::kRunning;
  EXPECT_FALSE(ParseEnumName("UNKNOWN", TaskStatusName, &task));
  EXPECT_EQ(task, TaskStatus::kRunning);
  DeploymentStatus deployment = DeploymentStatus::kActive;
  EXPECT_FALSE(ParseEnumName("UNKNOWN", DeploymentStatusName, &deployment));
  RolloutState rollout = RolloutState::kFailed;
  EXPECT_FALSE(ParseEnumName("UNKNOWN", RolloutStateName, &rollout));
  InstanceState instance = InstanceState::kRunning;
  EXPECT_FALSE(ParseEnumName("unknown", InstanceStateName, &instance));
}

TEST(StoreCodecTest, RejectsOtherSpellings) {
  HealthStatus health = HealthStatus::kUnknown;
  for (const char* bad : {"healthy", "Healthy", "", "HEALTHY ", "unknown"}) {
    EXPECT_FALSE(ParseEnumName(bad, HealthStatusName, &health)) << bad;
  }
  RolloutState rollout = RolloutState::kInProgress;
  EXPECT_FALSE(ParseEnumName("IN PROGRESS", RolloutStateName, &rollout));
  EXPECT_TRUE(ParseEnumName("COMPLETED", RolloutStateName, &rollout));
  EXPECT_EQ(rollout, RolloutState::kCompleted);
}

}  // namespace
}  // namespace drydock::state::sqlite

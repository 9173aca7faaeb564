#include "aws/ecs_rules.h"

#include <gtest/gtest.h>

namespace drydock::aws {
namespace {

TEST(EcsRulesTest, BoundsRoundTheWayTheRulebookSays) {
  // Rulebook section 4: min 75 %, desired 2 -> floor 2; max 125 %, desired 3 -> ceiling 3.
  EXPECT_EQ(HealthyFloor(2, 75), 2);
  EXPECT_EQ(RunningCeiling(3, 125), 3);
  EXPECT_EQ(HealthyFloor(4, 50), 2);
  EXPECT_EQ(RunningCeiling(4, 200), 8);
  EXPECT_EQ(HealthyFloor(0, 100), 0);
}

TEST(EcsRulesTest, DeploymentStalls) {
  EXPECT_TRUE(DeploymentStalls(3, 75, 125));
  EXPECT_TRUE(DeploymentStalls(1, 100, 150));
  EXPECT_TRUE(DeploymentStalls(2, 100, 100));
  EXPECT_FALSE(DeploymentStalls(2, 100, 200));
  EXPECT_FALSE(DeploymentStalls(4, 75, 125));  // ceiling 5
  EXPECT_FALSE(DeploymentStalls(2, 50, 100));  // floor 1
  EXPECT_FALSE(DeploymentStalls(0, 100, 100));
}

TEST(EcsRulesTest, CircuitBreakerThresholdIsHalfTheDesiredCountClampedTo3And200) {
  EXPECT_EQ(CircuitBreakerThreshold(0), 3);
  EXPECT_EQ(CircuitBreakerThreshold(1), 3);
  EXPECT_EQ(CircuitBreakerThreshold(2), 3);
  EXPECT_EQ(CircuitBreakerThreshold(4), 3);
  EXPECT_EQ(CircuitBreakerThreshold(7), 4);
  EXPECT_EQ(CircuitBreakerThreshold(25), 13);
  EXPECT_EQ(CircuitBreakerThreshold(400), 200);
  EXPECT_EQ(CircuitBreakerThreshold(800), 200);
}

TEST(EcsRulesTest, Names) {
  EXPECT_EQ(EcsNameProblem("production-cluster"), "");
  EXPECT_EQ(EcsNameProblem("my_service-1"), "");
  EXPECT_NE(EcsNameProblem(""), "");
  EXPECT_NE(EcsNameProblem("a.b").find("'.'"), std::string::npos);
  EXPECT_NE(EcsNameProblem(std::string(256, 'a')), "");
  EXPECT_EQ(EcsNameProblem(std::string(255, 'a')), "");
}

TEST(EcsRulesTest, ReservedPorts) {
  EXPECT_TRUE(IsReservedHostPort(22));
  EXPECT_TRUE(IsReservedHostPort(51679));
  EXPECT_FALSE(IsReservedHostPort(80));
}

}  // namespace
}  // namespace drydock::aws

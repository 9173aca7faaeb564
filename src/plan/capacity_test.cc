#include "plan/capacity.h"

#include <gtest/gtest.h>

#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

using testing::OriginConfig;

const Scenario& Find(const CapacityReport& report, Scenario::Kind kind,
                     const std::string& service) {
  for (const Scenario& s : report.scenarios) {
    if (s.kind == kind && s.service == service) return s;
  }
  ADD_FAILURE() << "no scenario for " << service;
  return report.scenarios.front();
}

TEST(CapacityTest, OriginMixMatchesTheRulebookTable) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  ASSERT_EQ(report.asg_mix.size(), 9u);  // sizes 2..10
  const int on_demand[] = {2, 2, 2, 2, 2, 3, 3, 3, 3};
  for (size_t i = 0; i < report.asg_mix.size(); ++i) {
    EXPECT_EQ(report.asg_mix[i].size, static_cast<int>(i) + 2);
    EXPECT_EQ(report.asg_mix[i].on_demand, on_demand[i]) << "size " << i + 2;
    EXPECT_EQ(report.asg_mix[i].spot, report.asg_mix[i].size - on_demand[i]);
  }
}

TEST(CapacityTest, OriginInstanceTypesAreLaunchTypeThenSpotTypes) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  EXPECT_EQ(report.instance_types,
            (std::vector<std::string>{"t3.medium", "t3a.medium", "t2.medium"}));
  EXPECT_TRUE(report.unknown_types.empty());
}

TEST(CapacityTest, OriginServicesAreEniBoundAtTwoPerInstance) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  ASSERT_EQ(report.services.size(), 2u);
  for (const ServiceCapacity& service : report.services) {
    ASSERT_EQ(service.per_type.size(), 3u);
    for (const TypeFit& fit : service.per_type) {
      EXPECT_EQ(fit.per_instance.tasks, 2) << service.name << " on " << fit.instance_type;
      EXPECT_EQ(fit.per_instance.bound_by, aws::Limit::kEni);
    }
    EXPECT_EQ(service.worst_case.tasks, 2);
  }
}

TEST(CapacityTest, OriginSteadyStateFitsAtDesiredCapacity) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  const Scenario& steady = Find(report, Scenario::Kind::kSteady, "");
  EXPECT_EQ(steady.tasks, 4);
  EXPECT_EQ(steady.instances_needed, 2);
  EXPECT_TRUE(steady.fits_at_desired);
  EXPECT_TRUE(steady.fits_at_max);
}

TEST(CapacityTest, OriginDeploymentNeedsThreeInstances) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  for (const char* name : {"nginx", "api"}) {
    const Scenario& deploy = Find(report, Scenario::Kind::kDeployment, name);
    EXPECT_EQ(deploy.tasks, 6) << name;  // 4 of this service (200 %) + 2 of the other
    EXPECT_EQ(deploy.instances_needed, 3) << name;
    EXPECT_FALSE(deploy.fits_at_desired) << name;
    EXPECT_TRUE(deploy.fits_at_max) << name;
  }
}

TEST(CapacityTest, OriginAutoscalingMaxDoesNotFitAtMaxSize) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  const Scenario& max = Find(report, Scenario::Kind::kAutoscalingMax, "");
  EXPECT_EQ(max.tasks, 40);  // 2 services x autoscaling_max_capacity 20
  EXPECT_EQ(max.instances_needed, 20);
  EXPECT_FALSE(max.fits_at_max);
}

TEST(CapacityTest, OriginCapacityProviderKeepsTwoInstances) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  EXPECT_EQ(report.provider.instances_needed, 2);
  EXPECT_EQ(report.provider.reservation_percent, 100);
  EXPECT_EQ(report.provider.group_desired, 2);
}

TEST(CapacityTest, ProviderTargetBelowHundredAddsSpareInstances) {
  config::Config config = OriginConfig();
  config.settings.capacity_provider_target_capacity = 50;
  const CapacityReport report = BuildCapacity(config.settings);
  EXPECT_EQ(report.provider.group_desired, 4);  // ceil(2 * 100 / 50)
}

TEST(CapacityTest, DeploymentCeilingRoundsDown) {
  config::ServiceSettings service = testing::OriginService("x", 1);
  service.desired_count = 3;
  service.deployment_maximum_percent = 125;
  EXPECT_EQ(DeploymentCeiling(service), 3);  // floor(3.75)
  service.deployment_maximum_percent = 200;
  EXPECT_EQ(DeploymentCeiling(service), 6);
}

TEST(CapacityTest, BridgeModeIsMemoryBound) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "bridge";
  const CapacityReport report = BuildCapacity(config.settings);
  EXPECT_EQ(report.services[0].worst_case.tasks, 7);  // 3904 MiB / 512
  EXPECT_EQ(report.services[0].worst_case.bound_by, aws::Limit::kMemory);
  EXPECT_EQ(Find(report, Scenario::Kind::kDeployment, "nginx").instances_needed, 1);
}

TEST(CapacityTest, HostModeServicesOnTheSamePortNeverShare) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "host";
  const CapacityReport report = BuildCapacity(config.settings);
  EXPECT_EQ(Find(report, Scenario::Kind::kSteady, "").instances_needed, 4);
}

TEST(CapacityTest, UnknownTypesAreReportedAndSkipped) {
  config::Config config = OriginConfig();
  config.settings.spot_instance_types = {"t3.medium", "x9.huge"};
  const CapacityReport report = BuildCapacity(config.settings);
  EXPECT_EQ(report.instance_types, std::vector<std::string>{"t3.medium"});
  EXPECT_EQ(report.unknown_types, std::vector<std::string>{"x9.huge"});
}

TEST(CapacityTest, ConclusionsStateTheOriginsFindings) {
  const CapacityReport report = BuildCapacity(OriginConfig().settings);
  std::string all;
  for (const std::string& sentence : report.conclusions) all += sentence + "\n";
  EXPECT_NE(all.find("2 tasks per instance"), std::string::npos) << all;
  EXPECT_NE(all.find("per instance on each configured type, bound by ENIs"), std::string::npos)
      << all;
  EXPECT_NE(all.find("deploying nginx (200%): 6 tasks need 3 instances; does not fit at desired "
                     "capacity 2"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("scale out to 3 (2 On-Demand + 1 Spot; asg_max_size 10 allows it)"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace drydock::plan

// Auto Scaling group, instance types, Spot, capacity provider, task sizes and
// placement capacity.
#include <gtest/gtest.h>

#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using config::Severity;
using testing::Has;
using testing::Only;
using testing::OriginConfig;
using testing::ServiceNamed;
using testing::WithRule;

TEST(ValidateCapacityTest, GroupSizeOrder) {
  config::Config config = OriginConfig();
  config.settings.asg_desired_capacity = 11;
  config::Diagnostic d = Only(Validate(config), "asg-size-order");
  EXPECT_EQ(d.setting, "asg_desired_capacity");
  EXPECT_EQ(d.pos.line, 9);
  config.settings.asg_desired_capacity = 1;
  EXPECT_TRUE(Has(Validate(config), "asg-size-order"));
  config.settings.asg_desired_capacity = 2;
  config.settings.asg_min_size = 12;
  d = Only(Validate(config), "asg-size-order");
  EXPECT_EQ(d.setting, "asg_min_size");
}

TEST(ValidateCapacityTest, GroupSizeRange) {
  config::Config config = OriginConfig();
  config.settings.asg_min_size = -1;
  EXPECT_TRUE(Has(Validate(config), "asg-size-range"));
  config = OriginConfig();
  config.settings.asg_min_size = 0;
  config.settings.asg_desired_capacity = 0;
  config.settings.asg_max_size = 0;
  config.settings.on_demand_base_capacity = 0;
  EXPECT_EQ(Only(Validate(config), "asg-size-range").setting, "asg_max_size");
}

TEST(ValidateCapacityTest, PurchaseMix) {
  config::Config config = OriginConfig();
  config.settings.on_demand_percentage_above_base = 101;
  EXPECT_TRUE(Has(Validate(config), "on-demand-percentage-range"));
  config = OriginConfig();
  config.settings.on_demand_base_capacity = -1;
  EXPECT_TRUE(Has(Validate(config), "on-demand-base-range"));
  config.settings.on_demand_base_capacity = 11;
  const config::Diagnostic d = Only(Validate(config), "on-demand-base-range");
  EXPECT_NE(d.message.find("asg_max_size (10)"), std::string::npos);
  config.settings.on_demand_base_capacity = 10;
  EXPECT_FALSE(Has(Validate(config), "on-demand-base-range"));
}

TEST(ValidateCapacityTest, UnknownInstanceTypesSuggestAName) {
  config::Config config = OriginConfig();
  config.settings.instance_type = "t3.meduim";
  config.settings.spot_instance_types = {"t3.medium", "t3a.mdium", "x9.huge"};
  const config::Diagnostics diagnostics = Validate(config);
  const config::Diagnostic d = Only(diagnostics, "instance-type-unknown");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.fix.find("\"t3.medium\""), std::string::npos) << d.fix;
  const std::vector<config::Diagnostic> spot = WithRule(diagnostics, "spot-instance-type-unknown");
  ASSERT_EQ(spot.size(), 2u);
  EXPECT_EQ(spot[0].setting, "spot_instance_types[1]");
  EXPECT_NE(spot[0].fix.find("\"t3a.medium\""), std::string::npos) << spot[0].fix;
  EXPECT_NE(spot[1].fix.find("t3.medium"), std::string::npos);  // lists the known types
}

TEST(ValidateCapacityTest, SpotPercentageWithNoSpotTypes) {
  config::Config config = OriginConfig();
  config.settings.spot_instance_types.clear();
  const config::Diagnostic d = Only(Validate(config), "spot-instance-types-empty");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("a Spot percentage with no Spot types"), std::string::npos);
  config.settings.on_demand_percentage_above_base = 100;
  EXPECT_FALSE(Has(Validate(config), "spot-instance-types-empty"));
  config.settings.on_demand_percentage_above_base = 20;
  config.settings.on_demand_base_capacity = 10;  // the whole group is the base
  EXPECT_FALSE(Has(Validate(config), "spot-instance-types-empty"));
}

TEST(ValidateCapacityTest, DuplicateSpotTypes) {
  config::Config config = OriginConfig();
  config.settings.spot_instance_types = {"t3.medium", "t2.medium", "t3.medium"};
  const config::Diagnostic d = Only(Validate(config), "spot-instance-type-duplicate");
  EXPECT_EQ(d.setting, "spot_instance_types[2]");
}

TEST(ValidateCapacityTest, AllocationStrategy) {
  config::Config config = OriginConfig();
  config.settings.spot_allocation_strategy = "capacity-optimised";
  const config::Diagnostic d = Only(Validate(config), "spot-allocation-strategy");
  EXPECT_NE(d.fix.find("\"capacity-optimized\""), std::string::npos);
  for (const char* ok : {"lowest-price", "capacity-optimized", "capacity-optimized-prioritized",
                         "price-capacity-optimized"}) {
    config.settings.spot_allocation_strategy = ok;
    EXPECT_FALSE(Has(Validate(config), "spot-allocation-strategy"));
  }
}

TEST(ValidateCapacityTest, SpotTypesOfOneFamily) {
  config::Config config = OriginConfig();
  config.settings.spot_instance_types = {"t3.medium", "t3.large"};
  const config::Diagnostic d = Only(Validate(config), "spot-types-one-family");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.message.find("t3"), std::string::npos);
  EXPECT_NE(d.fix.find("t3a.medium"), std::string::npos) << d.fix;
}

TEST(ValidateCapacityTest, CapacityProviderRanges) {
  config::Config config = OriginConfig();
  config.settings.capacity_provider_target_capacity = 0;
  config.settings.capacity_provider_minimum_scaling_step_size = 20;
  config.settings.capacity_provider_instance_warmup_period = 10001;
  config::Diagnostics diagnostics = Validate(config);
  EXPECT_TRUE(Has(diagnostics, "capacity-provider-target-range"));
  EXPECT_NE(Only(diagnostics, "capacity-provider-step-range").message.find("above the maximum"),
            std::string::npos);
  EXPECT_TRUE(Has(diagnostics, "capacity-provider-warmup-range"));
  config = OriginConfig();
  config.settings.capacity_provider_maximum_scaling_step_size = 10001;
  EXPECT_TRUE(Has(Validate(config), "capacity-provider-step-range"));
}

TEST(ValidateCapacityTest, TaskMinimums) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").cpu = 127;
  ServiceNamed(config, "api").memory = 5;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_EQ(Only(diagnostics, "task-cpu-minimum").setting, "services.api.cpu");
  EXPECT_EQ(Only(diagnostics, "task-memory-minimum").setting, "services.api.memory");
}

TEST(ValidateCapacityTest, TaskThatFitsNoInstanceNamesTheLargest) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").memory = 4000;  // t2.medium registers 3943 MiB
  const config::Diagnostic d = Only(Validate(config), "task-fits-no-instance");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "services.api.memory");
  EXPECT_EQ(d.pos.line, 30);
  EXPECT_NE(d.message.find("largest is t2.medium (2048 CPU units, 3943 MiB"), std::string::npos)
      << d.message;
  EXPECT_NE(d.fix.find("at most 3943"), std::string::npos) << d.fix;
  EXPECT_NE(d.fix.find("t3a.large"), std::string::npos) << d.fix;  // cheapest that holds it
  ServiceNamed(config, "api").memory = 512;
  ServiceNamed(config, "api").cpu = 4096;
  EXPECT_EQ(Only(Validate(config), "task-fits-no-instance").setting, "services.api.cpu");
}

TEST(ValidateCapacityTest, TaskThatMissesTheSmallestTypeIsAWarning) {
  config::Config config = OriginConfig();
  config.settings.spot_instance_types = {"t3.medium", "t3.large", "t2.large"};
  ServiceNamed(config, "api").memory = 5000;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "task-fits-no-instance"));
  const config::Diagnostic d = Only(diagnostics, "task-exceeds-smallest-instance");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.message.find("t3.medium"), std::string::npos);
}

TEST(ValidateCapacityTest, OriginGetsTheDeploymentEniWarningForEachService) {
  const config::Diagnostics diagnostics = Validate(OriginConfig());
  const std::vector<config::Diagnostic> found = WithRule(diagnostics, "capacity-during-deployment");
  ASSERT_EQ(found.size(), 2u);
  const config::Diagnostic& d = found[0];
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "services.nginx.deployment_maximum_percent");
  EXPECT_NE(d.message.find("6 tasks"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("2 instances of t3.medium hold 4"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("2 awsvpc task ENIs"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("scale out to 3 instances (asg_max_size = 10 allows it)"),
            std::string::npos)
      << d.message;
  EXPECT_NE(d.fix.find("network_mode = \"bridge\""), std::string::npos) << d.fix;
  EXPECT_EQ(found[1].setting, "services.api.deployment_maximum_percent");
}

TEST(ValidateCapacityTest, BridgeModeRemovesTheEniWarning) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "bridge";
  EXPECT_TRUE(Validate(config).empty());
}

TEST(ValidateCapacityTest, DesiredTasksAboveDesiredCapacity) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").desired_count = 4;
  ServiceNamed(config, "api").autoscaling_min_capacity = 4;
  const config::Diagnostics diagnostics = Validate(config);
  const config::Diagnostic d = Only(diagnostics, "capacity-at-desired");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "asg_desired_capacity");
  EXPECT_NE(d.message.find("scale out to 3 instances"), std::string::npos) << d.message;
  EXPECT_FALSE(Has(diagnostics, "capacity-during-deployment"));  // the first warning says it
  EXPECT_FALSE(config::HasErrors(diagnostics));
}

TEST(ValidateCapacityTest, DesiredTasksAboveMaxSizeIsAnError) {
  config::Config config = OriginConfig();
  config.settings.asg_max_size = 2;
  config.settings.on_demand_base_capacity = 1;
  ServiceNamed(config, "api").desired_count = 4;
  ServiceNamed(config, "api").autoscaling_min_capacity = 4;
  const config::Diagnostic d = Only(Validate(config), "capacity-at-max");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "asg_max_size");
  EXPECT_NE(d.fix.find("asg_max_size to 3"), std::string::npos) << d.fix;
  EXPECT_NE(d.fix.find("bridge"), std::string::npos) << d.fix;
}

TEST(ValidateCapacityTest, DeploymentWithNoRoomAtMaxSize) {
  config::Config config = OriginConfig();
  config.settings.asg_max_size = 2;
  const config::Diagnostics diagnostics = Validate(config);
  const std::vector<config::Diagnostic> found = WithRule(diagnostics, "deployment-no-room");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].setting, "services.nginx.deployment_minimum_healthy_percent");
  EXPECT_NE(found[0].fix.find("to 50 or less"), std::string::npos) << found[0].fix;
  // Letting ECS stop a task first makes progress possible again.
  ServiceNamed(config, "nginx").deployment_minimum_healthy_percent = 50;
  ServiceNamed(config, "api").deployment_minimum_healthy_percent = 50;
  EXPECT_FALSE(Has(Validate(config), "deployment-no-room"));
}

TEST(ValidateCapacityTest, HostModePorts) {
  config::Config config = OriginConfig();
  config.settings.network_mode = "host";
  config::Diagnostics diagnostics = Validate(config);
  const config::Diagnostic d = Only(diagnostics, "host-port-conflict");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "services.api.container_port");
  EXPECT_NE(d.message.find("nginx"), std::string::npos);
  ServiceNamed(config, "api").container_port = 22;
  diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "host-port-conflict"));
  EXPECT_EQ(Only(diagnostics, "host-port-reserved").severity, Severity::kError);
  config.settings.network_mode = "bridge";
  EXPECT_FALSE(Has(Validate(config), "host-port-reserved"));
}

}  // namespace
}  // namespace drydock::validate

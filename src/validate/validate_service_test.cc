// Deployments, the Spot drain window, service counts, auto scaling and logs.
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

TEST(ValidateDeploymentTest, PercentRanges) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").deployment_minimum_healthy_percent = 101;
  ServiceNamed(config, "api").deployment_maximum_percent = 99;
  config::Diagnostics diagnostics = Validate(config);
  EXPECT_TRUE(Has(diagnostics, "deployment-minimum-healthy-range"));
  EXPECT_TRUE(Has(diagnostics, "deployment-maximum-range"));
  ServiceNamed(config, "api").deployment_minimum_healthy_percent = 0;
  ServiceNamed(config, "api").deployment_maximum_percent = 201;
  diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "deployment-minimum-healthy-range"));
  EXPECT_TRUE(Has(diagnostics, "deployment-maximum-range"));
}

TEST(ValidateDeploymentTest, StallAtDesiredCountIsAnError) {
  config::Config config = OriginConfig();
  config::ServiceSettings& api = ServiceNamed(config, "api");
  api.desired_count = 3;
  api.autoscaling_min_capacity = 3;
  api.deployment_minimum_healthy_percent = 75;
  api.deployment_maximum_percent = 125;
  const config::Diagnostic d = Only(Validate(config), "deployment-stall");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "services.api.desired_count");
  EXPECT_EQ(d.pos.line, 25);
  EXPECT_NE(d.message.find("ceil(3 x 75 / 100) = 3"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("floor(3 x 125 / 100) = 3"), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("deployment_maximum_percent to at least 134"), std::string::npos) << d.fix;
  EXPECT_NE(d.fix.find("deployment_minimum_healthy_percent to at most 66"), std::string::npos) << d.fix;
}

TEST(ValidateDeploymentTest, StallOnlyAtAnAutoscalingCountIsAWarning) {
  config::Config config = OriginConfig();
  config::ServiceSettings& api = ServiceNamed(config, "api");
  // desired 4: ceiling floor(4 x 1.25) = 5 > 4, fine; count 3 stalls.
  api.desired_count = 4;
  api.autoscaling_min_capacity = 2;
  api.deployment_minimum_healthy_percent = 75;
  api.deployment_maximum_percent = 125;
  config::Diagnostics diagnostics = Validate(config);
  EXPECT_FALSE(Has(diagnostics, "deployment-stall"));
  const config::Diagnostic d = Only(diagnostics, "deployment-stall-autoscaling");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.message.find("count to 2"), std::string::npos) << d.message;
  api.autoscaling_min_capacity = 4;
  EXPECT_FALSE(Has(Validate(config), "deployment-stall-autoscaling"));
}

TEST(ValidateDeploymentTest, StopTimeoutAndSpotDrainWindow) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").stop_timeout = -1;
  EXPECT_TRUE(Has(Validate(config), "stop-timeout-range"));
  ServiceNamed(config, "api").stop_timeout = 30;
  ServiceNamed(config, "api").deregistration_delay = 80;
  const config::Diagnostic d = Only(Validate(config), "spot-drain-window");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "services.api.deregistration_delay");
  EXPECT_NE(d.message.find("110 s"), std::string::npos) << d.message;
  ServiceNamed(config, "api").deregistration_delay = 79;
  EXPECT_FALSE(Has(Validate(config), "spot-drain-window"));
  // All On-Demand: no Spot notice to race.
  ServiceNamed(config, "api").deregistration_delay = 300;
  config.settings.on_demand_percentage_above_base = 100;
  EXPECT_FALSE(Has(Validate(config), "spot-drain-window"));
}

TEST(ValidateServiceTest, ContainerPortAndDesiredCount) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").container_port = 65536;
  EXPECT_TRUE(Has(Validate(config), "container-port-range"));
  ServiceNamed(config, "api").container_port = 0;
  EXPECT_TRUE(Has(Validate(config), "container-port-range"));
  ServiceNamed(config, "api").container_port = 8080;
  ServiceNamed(config, "api").desired_count = -1;
  ServiceNamed(config, "api").autoscaling_min_capacity = 0;
  EXPECT_EQ(Only(Validate(config), "desired-count-range").severity, Severity::kError);
  ServiceNamed(config, "api").desired_count = 0;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_EQ(Only(diagnostics, "desired-count-zero").severity, Severity::kWarning);
  EXPECT_FALSE(config::HasErrors(diagnostics));
}

TEST(ValidateServiceTest, AutoscalingCapacities) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").autoscaling_max_capacity = 1;
  EXPECT_EQ(Only(Validate(config), "autoscaling-capacity-range").setting,
            "services.api.autoscaling_max_capacity");
  config = OriginConfig();
  ServiceNamed(config, "api").autoscaling_min_capacity = -2;
  EXPECT_TRUE(Has(Validate(config), "autoscaling-capacity-range"));
  // -1 means "not decoded": it defaults to desired_count.
  ServiceNamed(config, "api").autoscaling_min_capacity = -1;
  EXPECT_FALSE(Has(Validate(config), "autoscaling-capacity-range"));
}

TEST(ValidateServiceTest, DesiredCountOutsideAutoscalingIsAWarning) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").autoscaling_min_capacity = 3;
  const config::Diagnostic d = Only(Validate(config), "desired-count-outside-autoscaling");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.message.find("moves it to 3"), std::string::npos) << d.message;
}

TEST(ValidateServiceTest, ScalingTargetsAndCooldowns) {
  config::Config config = OriginConfig();
  config.settings.service_cpu_target = 0;
  config.settings.service_memory_target = 100.5;
  config.settings.alb_requests_per_target = 0;
  config.settings.service_scale_in_cooldown = -1;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_EQ(WithRule(diagnostics, "scaling-target-range").size(), 2u);
  EXPECT_TRUE(Has(diagnostics, "alb-requests-per-target-range"));
  EXPECT_EQ(Only(diagnostics, "cooldown-range").setting, "service_scale_in_cooldown");
  config = OriginConfig();
  config.settings.service_cpu_target = 100;
  config.settings.service_memory_target = 0.5;
  EXPECT_FALSE(Has(Validate(config), "scaling-target-range"));
}

TEST(ValidateServiceTest, LogRetentionSuggestsNearestValues) {
  config::Config config = OriginConfig();
  config.settings.log_retention_in_days = 10;
  const config::Diagnostic d = Only(Validate(config), "log-retention-value");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.fix.find("7 or 14"), std::string::npos) << d.fix;
  config.settings.log_retention_in_days = 0;
  EXPECT_FALSE(Has(Validate(config), "log-retention-value"));
  config.settings.log_retention_in_days = 3653;
  EXPECT_FALSE(Has(Validate(config), "log-retention-value"));
}

TEST(ValidateOrderTest, DiagnosticsSortedByPositionThenRule) {
  config::Config config = OriginConfig();
  config.settings.log_retention_in_days = 10;        // no position: line 1
  config.settings.region = "nowhere";                // line 1
  ServiceNamed(config, "api").priority = 0;          // line 27
  ServiceNamed(config, "nginx").container_port = 0;  // line 20
  const config::Diagnostics diagnostics = Validate(config);
  ASSERT_GE(diagnostics.size(), 4u);
  for (size_t i = 1; i < diagnostics.size(); ++i) {
    const config::Diagnostic& a = diagnostics[i - 1];
    const config::Diagnostic& b = diagnostics[i];
    EXPECT_TRUE(std::tie(a.pos.line, a.pos.column, a.rule) <=
                std::tie(b.pos.line, b.pos.column, b.rule))
        << a.rule << " before " << b.rule;
  }
  EXPECT_EQ(diagnostics[0].rule, "log-retention-value");
  EXPECT_EQ(diagnostics[1].rule, "region-format");
}

}  // namespace
}  // namespace drydock::validate

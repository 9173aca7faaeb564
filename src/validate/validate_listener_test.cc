// Listener rules, path patterns and target groups.
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

TEST(ValidateListenerTest, PriorityOutOfRange) {
  for (int priority : {0, 50001, -3}) {
    config::Config config = OriginConfig();
    ServiceNamed(config, "api").priority = priority;
    const config::Diagnostic d = Only(Validate(config), "listener-priority-range");
    EXPECT_EQ(d.severity, Severity::kError);
    EXPECT_EQ(d.setting, "services.api.priority");
    EXPECT_EQ(d.pos.line, 27);
    EXPECT_EQ(d.file, "terraform.tfvars");
    EXPECT_NE(d.message.find(std::to_string(priority)), std::string::npos);
    EXPECT_NE(d.message.find("1..50000"), std::string::npos);
    EXPECT_FALSE(d.fix.empty());
  }
  config::Config edge = OriginConfig();
  ServiceNamed(edge, "nginx").priority = 1;
  ServiceNamed(edge, "api").priority = 50000;
  EXPECT_FALSE(Has(Validate(edge), "listener-priority-range"));
}

TEST(ValidateListenerTest, DuplicatePriorityNamesBothServicesAndPositions) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").priority = 100;
  const config::Diagnostic d = Only(Validate(config), "listener-priority-duplicate");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "services.api.priority");
  EXPECT_EQ(d.pos.line, 27);
  EXPECT_NE(d.message.find("api"), std::string::npos);
  EXPECT_NE(d.message.find("nginx"), std::string::npos);
  EXPECT_NE(d.message.find("line 19, column 22"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("line 27, column 22"), std::string::npos) << d.message;
  EXPECT_NE(d.fix.find("priority = 101"), std::string::npos) << d.fix;
}

TEST(ValidateListenerTest, EmptyPathPatternList) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern.clear();
  const config::Diagnostic d = Only(Validate(config), "path-pattern-empty");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.setting, "services.api.path_pattern");
  EXPECT_EQ(d.pos.line, 26);
}

TEST(ValidateListenerTest, MoreThanThreeValues) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"/a", "/b", "/c"};
  EXPECT_FALSE(Has(Validate(config), "path-pattern-too-many-values"));
  ServiceNamed(config, "api").path_pattern = {"/a", "/b", "/c", "/d"};
  const config::Diagnostic d = Only(Validate(config), "path-pattern-too-many-values");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("4 values"), std::string::npos);
}

TEST(ValidateListenerTest, ValueLength) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"/ok", ""};
  config::Diagnostic d = Only(Validate(config), "path-pattern-length");
  EXPECT_EQ(d.setting, "services.api.path_pattern[1]");
  ServiceNamed(config, "api").path_pattern = {"/" + std::string(128, 'a')};
  d = Only(Validate(config), "path-pattern-length");
  EXPECT_NE(d.message.find("129"), std::string::npos);
  ServiceNamed(config, "api").path_pattern = {"/" + std::string(127, 'a')};
  EXPECT_FALSE(Has(Validate(config), "path-pattern-length"));
}

TEST(ValidateListenerTest, CharacterOutsideAlbSetNamesItAndItsColumn) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"/api%20x"};
  const config::Diagnostic d = Only(Validate(config), "path-pattern-character");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("'%'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("column 5"), std::string::npos) << d.message;
}

TEST(ValidateListenerTest, ElementPositionUsedWhenRecorded) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"/ok", "/bad pattern"};
  config.sources.Record("services.api.path_pattern.1", {26, 30, 0});
  const config::Diagnostic d = Only(Validate(config), "path-pattern-character");
  EXPECT_EQ(d.pos.line, 26);
  EXPECT_EQ(d.pos.column, 30);
  EXPECT_NE(d.message.find("' '"), std::string::npos);
}

TEST(ValidateListenerTest, MoreThanFiveWildcardsPerRule) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"/a*/b*", "/c?/d?", "/e*"};
  EXPECT_FALSE(Has(Validate(config), "path-pattern-wildcards"));
  ServiceNamed(config, "api").path_pattern = {"/a*/b*", "/c?/d?", "/e*?"};
  const config::Diagnostic d = Only(Validate(config), "path-pattern-wildcards");
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("6 wildcards"), std::string::npos);
}

TEST(ValidateListenerTest, PatternWithoutLeadingSlashIsAWarning) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").path_pattern = {"api*"};
  const config::Diagnostic d = Only(Validate(config), "path-pattern-no-leading-slash");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_NE(d.fix.find("\"/api*\""), std::string::npos);
  ServiceNamed(config, "api").path_pattern = {"*api"};
  EXPECT_FALSE(Has(Validate(config), "path-pattern-no-leading-slash"));
}

TEST(ValidateListenerTest, ShadowedRuleNamesBothRules) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "nginx").path_pattern = {"/api*"};
  ServiceNamed(config, "api").path_pattern = {"/api/v1/*"};
  const config::Diagnostic d = Only(Validate(config), "listener-rule-shadowed");
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.setting, "services.api.path_pattern");
  EXPECT_NE(d.message.find("nginx"), std::string::npos);
  EXPECT_NE(d.message.find("api"), std::string::npos);
  EXPECT_NE(d.message.find("priority 100"), std::string::npos);
  EXPECT_NE(d.fix.find("below 100"), std::string::npos);
}

TEST(ValidateListenerTest, PartlyCoveredRuleIsNotShadowed) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "nginx").path_pattern = {"/api/*"};
  ServiceNamed(config, "api").path_pattern = {"/api*"};  // "/api" and "/api2" still reach it
  EXPECT_FALSE(Has(Validate(config), "listener-rule-shadowed"));
  // A rule evaluated first is never shadowed by a later one.
  ServiceNamed(config, "nginx").path_pattern = {"/api/v1"};
  ServiceNamed(config, "api").path_pattern = {"*"};
  EXPECT_FALSE(Has(Validate(config), "listener-rule-shadowed"));
}

TEST(ValidateListenerTest, ShadowedByTwoEarlierRules) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "nginx").path_pattern = {"/a*"};
  config::ServiceSettings& web = ServiceNamed(config, "web");
  web.priority = 105;
  web.path_pattern = {"/b*"};
  ServiceNamed(config, "api").path_pattern = {"/a/x", "/b/y"};
  const config::Diagnostic d = Only(Validate(config), "listener-rule-shadowed");
  EXPECT_NE(d.message.find("nginx"), std::string::npos);
  EXPECT_NE(d.message.find("web"), std::string::npos);
}

TEST(ValidateListenerTest, HealthCheckRanges) {
  config::Config config = OriginConfig();
  config::HealthCheckSettings& check = ServiceNamed(config, "api").health_check;
  check.interval_seconds = 4;
  check.timeout_seconds = 121;
  check.healthy_threshold = 1;
  check.unhealthy_threshold = 11;
  const config::Diagnostics diagnostics = Validate(config);
  EXPECT_EQ(Only(diagnostics, "health-check-interval-range").setting,
            "services.api.health_check.interval_seconds");
  EXPECT_EQ(Only(diagnostics, "health-check-timeout-range").setting,
            "services.api.health_check.timeout_seconds");
  EXPECT_EQ(WithRule(diagnostics, "health-check-threshold-range").size(), 2u);
}

TEST(ValidateListenerTest, HealthCheckTimeoutMustBeBelowInterval) {
  config::Config config = OriginConfig();
  config::HealthCheckSettings& check = ServiceNamed(config, "api").health_check;
  check.interval_seconds = 10;
  check.timeout_seconds = 10;
  const config::Diagnostic d = Only(Validate(config), "health-check-timeout-interval");
  EXPECT_EQ(d.severity, Severity::kError);
  check.timeout_seconds = 9;
  EXPECT_FALSE(Has(Validate(config), "health-check-timeout-interval"));
}

TEST(ValidateListenerTest, HealthCheckPathAndMatcher) {
  config::Config config = OriginConfig();
  config::HealthCheckSettings& check = ServiceNamed(config, "api").health_check;
  check.path = "health";
  check.matcher = "200-600";
  config::Diagnostics diagnostics = Validate(config);
  EXPECT_NE(Only(diagnostics, "health-check-path").fix.find("\"/health\""), std::string::npos);
  EXPECT_EQ(Only(diagnostics, "health-check-matcher").severity, Severity::kError);
  check.path = "/" + std::string(1024, 'h');
  check.matcher = "200,202";
  diagnostics = Validate(config);
  EXPECT_TRUE(Has(diagnostics, "health-check-path"));
  EXPECT_FALSE(Has(diagnostics, "health-check-matcher"));
}

TEST(ValidateListenerTest, DeregistrationDelayRange) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").deregistration_delay = 3601;
  EXPECT_EQ(Only(Validate(config), "deregistration-delay-range").severity, Severity::kError);
  ServiceNamed(config, "api").deregistration_delay = 0;
  EXPECT_FALSE(Has(Validate(config), "deregistration-delay-range"));
}

TEST(ValidateListenerTest, LoadBalancingAlgorithm) {
  config::Config config = OriginConfig();
  ServiceNamed(config, "api").load_balancing_algorithm = "random";
  EXPECT_EQ(Only(Validate(config), "load-balancing-algorithm").severity, Severity::kError);
  ServiceNamed(config, "api").load_balancing_algorithm = "least_outstanding_requests";
  EXPECT_FALSE(Has(Validate(config), "load-balancing-algorithm"));
}

}  // namespace
}  // namespace drydock::validate

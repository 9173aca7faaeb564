// End to end: HCL text -> parser -> decoder -> Validate, checking positions.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "validate/validate.h"
#include "validate/validate_test_util.h"

namespace drydock::validate {
namespace {

using config::Severity;
using testing::Rules;
using testing::WithRule;

const std::string kOriginPath =
    std::string(DRYDOCK_SOURCE_DIR) + "/examples/origin/terraform.tfvars";

// The origin file with `replace` substituted for `find`.
std::string OriginWith(const std::string& find, const std::string& replace) {
  std::ifstream in(kOriginPath, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  std::string text = contents.str();
  const size_t at = text.find(find);
  EXPECT_NE(at, std::string::npos) << find;
  if (at != std::string::npos) text.replace(at, find.size(), replace);
  return text;
}

config::Diagnostics ValidateText(const std::string& text) {
  config::LoadResult loaded = config::LoadConfigText(text, "terraform.tfvars");
  EXPECT_TRUE(loaded.config.has_value());
  for (const config::Diagnostic& d : loaded.diagnostics) {
    ADD_FAILURE() << config::FormatDiagnostic(d, false);
  }
  if (!loaded.config) return {};
  return Validate(*loaded.config);
}

TEST(ValidateEndToEndTest, OriginFileHasNoErrorsAndTheDeploymentWarnings) {
  config::LoadResult loaded = config::LoadConfigFile(kOriginPath);
  ASSERT_TRUE(loaded.config.has_value());
  const config::Diagnostics diagnostics = Validate(*loaded.config);
  EXPECT_FALSE(config::HasErrors(diagnostics));
  ASSERT_EQ(Rules(diagnostics),
            (std::vector<std::string>{"capacity-during-deployment", "capacity-during-deployment"}));
  EXPECT_EQ(diagnostics[0].setting, "services.nginx.deployment_maximum_percent");
  EXPECT_EQ(diagnostics[0].pos.line, 16);  // not written: the service's position
  EXPECT_EQ(diagnostics[0].pos.column, 3);
  EXPECT_EQ(diagnostics[1].setting, "services.api.deployment_maximum_percent");
  EXPECT_EQ(diagnostics[1].pos.line, 24);
  EXPECT_EQ(diagnostics[0].file, kOriginPath);
}

TEST(ValidateEndToEndTest, DuplicatePriorityPointsAtTheValue) {
  const config::Diagnostics diagnostics =
      ValidateText(OriginWith("priority       = 110", "priority       = 100"));
  const std::vector<config::Diagnostic> found =
      WithRule(diagnostics, "listener-priority-duplicate");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].pos.line, 27);
  EXPECT_EQ(found[0].pos.column, 22);
  EXPECT_NE(found[0].message.find("line 19, column 22"), std::string::npos) << found[0].message;
}

TEST(ValidateEndToEndTest, PathPatternElementPosition) {
  const config::Diagnostics diagnostics =
      ValidateText(OriginWith("[\"/api*\"]", "[\"/api*\", \"/v1 x\"]"));
  const std::vector<config::Diagnostic> found = WithRule(diagnostics, "path-pattern-character");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].setting, "services.api.path_pattern[1]");
  EXPECT_EQ(found[0].pos.line, 26);
  EXPECT_EQ(found[0].pos.column, 32);
}

TEST(ValidateEndToEndTest, OptionalSettingsAreCheckedWhereWritten) {
  const config::Diagnostics diagnostics =
      ValidateText(OriginWith("vpc_cidr    = \"10.0.0.0/16\"", "vpc_cidr    = \"10.0.0.0/27\"") +
                   "log_retention_in_days = 10\n");
  const std::vector<config::Diagnostic> cidr = WithRule(diagnostics, "vpc-cidr-too-small");
  ASSERT_EQ(cidr.size(), 1u);
  EXPECT_EQ(cidr[0].pos.line, 3);
  EXPECT_EQ(cidr[0].pos.column, 15);
  const std::vector<config::Diagnostic> logs = WithRule(diagnostics, "log-retention-value");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].pos.line, 33);  // appended after the 32 lines
  EXPECT_EQ(logs[0].severity, Severity::kError);
}

TEST(ValidateEndToEndTest, NestedHealthCheckSetting) {
  const config::Diagnostics diagnostics = ValidateText(
      OriginWith("    memory         = 512\n  }\n}",
                 "    memory         = 512\n    health_check = { matcher = \"200-600\" }\n  }\n}"));
  const std::vector<config::Diagnostic> found = WithRule(diagnostics, "health-check-matcher");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].setting, "services.api.health_check.matcher");
  EXPECT_EQ(found[0].pos.line, 31);
}

}  // namespace
}  // namespace drydock::validate

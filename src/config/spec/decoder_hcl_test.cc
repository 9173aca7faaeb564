// The decoder behind the real HCL and JSON parsers: files as users write them,
// through LoadConfigText / LoadConfigFile, with the positions users see.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/loader.h"
#include "config/spec/loader_test_util.h"

namespace drydock::config {
namespace {

using testing::DescribeDiagnostics;
using testing::kOneServiceHcl;

const std::string kSourceDir = DRYDOCK_SOURCE_DIR;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One service `api` (key at line 2) with the required settings plus `extra`
// lines appended inside the service block, starting at line 9.
std::string ApiFile(const std::string& extra) {
  return "services = {\n"
         "  api = {\n"
         "    desired_count  = 2\n"
         "    path_pattern   = [\"/api*\"]\n"
         "    priority       = 110\n"
         "    container_port = 80\n"
         "    cpu            = 256\n"
         "    memory         = 512\n" +
         extra + "  }\n}\n";
}

TEST(DecoderHclTest, OriginFileLoadsWithPositions) {
  LoadResult result = LoadConfigFile(kSourceDir + "/examples/origin/terraform.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_TRUE(result.diagnostics.empty()) << DescribeDiagnostics(result.diagnostics);
  const Config& config = *result.config;
  ASSERT_EQ(config.settings.services.size(), 2u);
  EXPECT_EQ(config.settings.services[0].name, "nginx");
  EXPECT_EQ(config.settings.services[1].name, "api");
  EXPECT_EQ(config.settings.services[1].priority, 110);
  EXPECT_EQ(config.settings.on_demand_percentage_above_base, 20);
  EXPECT_EQ(config.sources.PositionOf("region").line, 1);
  EXPECT_EQ(config.sources.PositionOf("region").column, 15);
  EXPECT_EQ(config.sources.PositionOf("services.api").line, 24);
  EXPECT_EQ(config.sources.PositionOf("services.api").column, 3);
  EXPECT_EQ(config.sources.PositionOf("services.api.priority").line, 27);
  EXPECT_EQ(config.sources.PositionOf("services.api.priority").column, 22);
  EXPECT_EQ(config.sources.PositionOf("services.nginx.path_pattern.0").line, 18);
  EXPECT_EQ(config.sources.PositionOf("services.nginx.path_pattern.0").column, 23);
}

TEST(DecoderHclTest, TypoInAServiceIsPinpointed) {
  LoadResult result = LoadConfigText(ApiFile("    desried_count = 3\n"), "typo.tfvars");
  EXPECT_FALSE(result.config);
  ASSERT_EQ(result.diagnostics.size(), 1u) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(FormatDiagnostic(result.diagnostics[0], false),
            "typo.tfvars:9:5: error: services.api.desried_count: unknown setting `desried_count` "
            "in service `api`; did you mean `desired_count`? [unknown-setting]\n"
            "  fix: rename `desried_count` to `desired_count`\n");
}

TEST(DecoderHclTest, QuotedNumbersAndBoolsConvert) {
  LoadResult result = LoadConfigText(
      "asg_max_size = \"12\"\ncontainer_insights = \"false\"\n" + ApiFile("    cpu_x = 1\n"),
      "t.tfvars");
  ASSERT_EQ(result.diagnostics.size(), 1u) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].setting, "services.api.cpu_x");
  result = LoadConfigText("asg_max_size = \"12\"\ncontainer_insights = \"false\"\n" + ApiFile(""),
                          "t.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.config->settings.asg_max_size, 12);
  EXPECT_FALSE(result.config->settings.container_insights);
}

TEST(DecoderHclTest, WrongTypesAreReportedAtTheirValues) {
  LoadResult result = LoadConfigText(
      "asg_min_size = 1.5\n" + ApiFile("    health_check = {\n      interval_seconds = \"often\"\n"
                                       "    }\n    command = \"./serve --port 80\"\n"),
      "t.tfvars");
  ASSERT_EQ(result.diagnostics.size(), 2u) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].rule, "not-whole-number");
  EXPECT_EQ(result.diagnostics[0].pos.line, 1);
  EXPECT_EQ(result.diagnostics[0].pos.column, 16);
  EXPECT_EQ(result.diagnostics[1].rule, "type-mismatch");
  EXPECT_EQ(result.diagnostics[1].setting, "services.api.health_check.interval_seconds");
  EXPECT_EQ(result.diagnostics[1].pos.line, 11);
  EXPECT_EQ(result.diagnostics[1].pos.column, 26);
}

TEST(DecoderHclTest, PathPatternAsAStringSuggestsAList) {
  std::string text = ApiFile("");
  text.replace(text.find("[\"/api*\"]"), 9, "\"/api*\"");
  LoadResult result = LoadConfigText(text, "t.tfvars");
  ASSERT_EQ(result.diagnostics.size(), 1u) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].pos.line, 4);
  EXPECT_EQ(result.diagnostics[0].pos.column, 22);
  EXPECT_EQ(result.diagnostics[0].fix, "write a list: path_pattern = [\"/api*\"]");
}

// The first ```json block of the reference: .tfvars.json takes the same keys.
TEST(DecoderHclTest, JsonFileTakesTheSameKeys) {
  std::string docs = ReadFile(kSourceDir + "/docs/configuration.md");
  size_t start = docs.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  size_t end = docs.find("```", start);
  LoadResult result = LoadConfigText(docs.substr(start, end - start), "example.tfvars.json");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  ASSERT_EQ(result.config->settings.services.size(), 1u);
  EXPECT_EQ(result.config->settings.services[0].health_check.interval_seconds, 10);
  EXPECT_EQ(result.config->settings.services[0].autoscaling_min_capacity, 2);
}

TEST(DecoderHclTest, JsonErrorsUseJsonSyntaxInFixes) {
  LoadResult result = LoadConfigText(
      "{\"services\": {\"api\": {\"desired_count\": 2, \"path_pattern\": \"/api*\",\n"
      "  \"priority\": 1, \"container_port\": 80, \"cpu\": 256, \"memory\": 512}}}",
      "t.tfvars.json");
  ASSERT_EQ(result.diagnostics.size(), 1u) << DescribeDiagnostics(result.diagnostics);
  EXPECT_EQ(result.diagnostics[0].pos.line, 1);
  EXPECT_EQ(result.diagnostics[0].pos.column, 59);
  EXPECT_EQ(result.diagnostics[0].fix, "write a list: \"path_pattern\": [\"/api*\"]");
}

// The first ```hcl block of docs/configuration.md is a complete file.
TEST(DecoderHclTest, ReferenceExampleLoads) {
  std::string docs = ReadFile(kSourceDir + "/docs/configuration.md");
  size_t start = docs.find("```hcl\n");
  ASSERT_NE(start, std::string::npos);
  start += 7;
  size_t end = docs.find("```", start);
  ASSERT_NE(end, std::string::npos);
  LoadResult result = LoadConfigText(docs.substr(start, end - start), "example.tfvars");
  ASSERT_TRUE(result.config) << DescribeDiagnostics(result.diagnostics);
  const ServiceSettings& worker = result.config->settings.services.back();
  EXPECT_FALSE(worker.command.empty());
  EXPECT_FALSE(worker.environment.empty());
}

}  // namespace
}  // namespace drydock::config

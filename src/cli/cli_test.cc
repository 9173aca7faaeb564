#include "cli/cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_test_util.h"

namespace drydock::cli {
namespace {

const std::string kOrigin = std::string(DRYDOCK_SOURCE_DIR) + "/examples/origin/terraform.tfvars";

using testing::CliRun;
using testing::RunArgs;

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CliTest, ValidateOriginExitsZero) {
  CliRun run = RunArgs({"validate", kOrigin.c_str()});
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("valid: 2 services"), std::string::npos) << run.out;
}

TEST(CliTest, ValidateBrokenFileExitsOneWithPosition) {
  std::string path = WriteTemp("cli_broken.tfvars", "region = \"us-east-1\"\nasg_min_size = \n");
  CliRun run = RunArgs({"validate", path.c_str()});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_NE(run.err.find(path + ":2:"), std::string::npos) << run.err;
}

TEST(CliTest, ValidateJsonOutputIsMachineReadable) {
  std::string path = WriteTemp("cli_unknown.tfvars", "regoin = \"us-east-1\"\nservices = {}\n");
  CliRun run = RunArgs({"validate", path.c_str(), "--output", "json"});
  EXPECT_EQ(run.exit_code, kExitFailure);
  nlohmann::json parsed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << run.out;
  EXPECT_FALSE(parsed["valid"].get<bool>());
  ASSERT_GE(parsed["diagnostics"].size(), 1u);
  EXPECT_EQ(parsed["diagnostics"][0]["line"], 1);
  EXPECT_NE(parsed["diagnostics"][0]["message"].get<std::string>().find("region"),
            std::string::npos);
}

TEST(CliTest, MissingFileIsAFailureNotACrash) {
  CliRun run = RunArgs({"validate", "/nonexistent/drydock.tfvars"});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_NE(run.err.find("cannot read"), std::string::npos);
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunArgs({}).exit_code, kExitUsage);
  EXPECT_EQ(RunArgs({"frobnicate"}).exit_code, kExitUsage);
  EXPECT_EQ(RunArgs({"validate"}).exit_code, kExitUsage);
  EXPECT_EQ(RunArgs({"plan", kOrigin.c_str(), "--output", "yaml"}).exit_code, kExitUsage);
}

TEST(CliTest, HelpAndVersionExitZero) {
  CliRun help = RunArgs({"--help"});
  EXPECT_EQ(help.exit_code, kExitOk);
  EXPECT_NE(help.out.find("validate"), std::string::npos);
  CliRun version = RunArgs({"--version"});
  EXPECT_EQ(version.exit_code, kExitOk);
  EXPECT_NE(version.out.find("drydock"), std::string::npos);
}

TEST(CliTest, PlanRefusesInvalidConfiguration) {
  std::string path = WriteTemp("cli_plan_bad.tfvars", "services = 3\n");
  CliRun run = RunArgs({"plan", path.c_str()});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_TRUE(run.out.empty()) << run.out;
}

TEST(CliTest, PlanJsonHasRequiredFields) {
  CliRun run = RunArgs({"plan", kOrigin.c_str(), "--output", "json"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  nlohmann::json plan = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(plan.is_discarded());
  EXPECT_TRUE(plan["resources"].is_array());
  EXPECT_TRUE(plan["capacity"]["asg_mix"].is_array());
  EXPECT_TRUE(plan["cost"]["monthly_usd"].is_number());
}

TEST(CliTest, ParsePrintsJson) {
  CliRun run = RunArgs({"parse", kOrigin.c_str()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  nlohmann::json parsed = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed["services"]["api"]["priority"], 110);
}

}  // namespace
}  // namespace drydock::cli

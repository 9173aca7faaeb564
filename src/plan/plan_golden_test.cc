// Golden tests: `drydock plan` of the origin's terraform.tfvars, text and JSON,
// compared byte for byte with tests/golden/. Regenerate with
//   DRYDOCK_UPDATE_GOLDEN=1 build/<dir>/src/drydock_unit_tests --gtest_filter='PlanGolden*'
// and review the diff (docs/plan.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "config/loader.h"
#include "plan/plan.h"
#include "plan/plan_test_util.h"

namespace drydock::plan {
namespace {

const std::string kGoldenDir = DRYDOCK_SOURCE_DIR "/tests/golden/";
const std::string kOriginFile = DRYDOCK_SOURCE_DIR "/examples/origin/terraform.tfvars";

bool UpdateRequested() {
  const char* update = std::getenv("DRYDOCK_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void CompareOrUpdate(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + name;
  if (UpdateRequested()) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  const std::string expected = ReadFile(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing; run with DRYDOCK_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, expected) << "output differs from " << path
                              << "; if intended, regenerate with DRYDOCK_UPDATE_GOLDEN=1";
}

Plan OriginPlanFromFile() {
  config::LoadResult loaded = config::LoadConfigFile(kOriginFile);
  std::string diagnostics;
  for (const config::Diagnostic& d : loaded.diagnostics) {
    diagnostics += config::FormatDiagnostic(d, false);
  }
  EXPECT_TRUE(loaded.config.has_value()) << diagnostics;
  return loaded.config ? BuildPlan(*loaded.config) : Plan{};
}

TEST(PlanGoldenTest, OriginText) {
  CompareOrUpdate("origin.plan.txt", RenderText(OriginPlanFromFile()));
}

TEST(PlanGoldenTest, OriginJson) {
  CompareOrUpdate("origin.plan.json", RenderJson(OriginPlanFromFile()));
}

// The hand-built origin (Settings defaults + the two services) plans exactly
// like the file: the defaults are the origin's values.
TEST(PlanGoldenTest, HandBuiltOriginMatchesTheGoldenFiles) {
  if (UpdateRequested()) GTEST_SKIP() << "golden files are written from the real file";
  const Plan plan = BuildPlan(testing::OriginConfig());
  EXPECT_EQ(RenderText(plan), ReadFile(kGoldenDir + "origin.plan.txt"));
  EXPECT_EQ(RenderJson(plan), ReadFile(kGoldenDir + "origin.plan.json"));
}

}  // namespace
}  // namespace drydock::plan

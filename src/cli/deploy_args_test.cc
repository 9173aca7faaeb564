#include "cli/deploy_args.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace drydock::cli {
namespace {

using Argv = std::vector<std::string>;

TEST(ParseCommandFlagTest, TakesAJsonArrayOfStrings) {
  Result<Argv> argv = ParseCommandFlag(R"(["sh","-c","exit 1"])");
  ASSERT_TRUE(argv.ok()) << argv.status().message();
  EXPECT_EQ(*argv, (Argv{"sh", "-c", "exit 1"}));
  Result<Argv> spaced = ParseCommandFlag(R"(  [ "python3", "-m", "http.server" ] )");
  ASSERT_TRUE(spaced.ok()) << spaced.status().message();
  EXPECT_EQ(*spaced, (Argv{"python3", "-m", "http.server"}));
}

TEST(ParseCommandFlagTest, ElseSplitsOnWhitespace) {
  Result<Argv> argv = ParseCommandFlag("  python3 -m\thttp.server  ");
  ASSERT_TRUE(argv.ok());
  EXPECT_EQ(*argv, (Argv{"python3", "-m", "http.server"}));
  Result<Argv> one = ParseCommandFlag("./run.sh");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, (Argv{"./run.sh"}));
}

TEST(ParseCommandFlagTest, RefusesWhatNamesNoProgram) {
  for (const std::string bad : {"", "   ", "[]", "[\"\"]", "[1, 2]", "[\"sh\", null]",
                                "[\"sh\", \"-c\"", "[sh]"}) {
    Result<Argv> argv = ParseCommandFlag(bad);
    ASSERT_FALSE(argv.ok()) << bad;
    EXPECT_EQ(argv.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(argv.status().message().find("--command"), std::string::npos)
        << argv.status().message();
  }
}

TEST(ParseEnvFlagsTest, SplitsAtTheFirstEquals) {
  Result<std::map<std::string, std::string>> env =
      ParseEnvFlags({"VERSION=2", "URL=http://x/?a=b", "EMPTY=", "VERSION=3"});
  ASSERT_TRUE(env.ok()) << env.status().message();
  EXPECT_EQ(*env, (std::map<std::string, std::string>{
                      {"VERSION", "3"}, {"URL", "http://x/?a=b"}, {"EMPTY", ""}}));
  EXPECT_TRUE(ParseEnvFlags({})->empty());
}

TEST(ParseEnvFlagsTest, RefusesAMissingEqualsOrName) {
  Result<std::map<std::string, std::string>> no_equals = ParseEnvFlags({"A=1", "VERSION"});
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.status().message(),
            "--env \"VERSION\": expected KEY=VALUE (for example --env VERSION=2)");
  Result<std::map<std::string, std::string>> no_name = ParseEnvFlags({"=2"});
  ASSERT_FALSE(no_name.ok());
  EXPECT_EQ(no_name.status().message(), "--env \"=2\": the variable name before '=' is empty");
}

TEST(DeployRequestBodyTest, CarriesOnlyTheGivenFlags) {
  DeployFlags flags;
  flags.service = "api";
  Result<std::string> bare = DeployRequestBody(flags);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(nlohmann::json::parse(*bare), nlohmann::json({{"service", "api"}}));

  flags.command = "sh -c true";
  flags.env = {"A=1"};
  flags.cpu = 512;
  flags.memory = 1024;
  flags.image = "api:v2";
  flags.force_new_deployment = true;
  Result<std::string> full = DeployRequestBody(flags);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(nlohmann::json::parse(*full),
            nlohmann::json({{"service", "api"},
                            {"command", {"sh", "-c", "true"}},
                            {"environment", {{"A", "1"}}},
                            {"cpu", 512},
                            {"memory", 1024},
                            {"image", "api:v2"},
                            {"forceNewDeployment", true}}));

  flags.env = {"A"};
  EXPECT_FALSE(DeployRequestBody(flags).ok());
  flags.env.clear();
  flags.command = "[";
  EXPECT_FALSE(DeployRequestBody(flags).ok());
}

}  // namespace
}  // namespace drydock::cli

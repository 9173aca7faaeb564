// `drydock iam` in-process against a state directory whose iam.db holds the
// execution roles `drydock up` would create for services api and nginx.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_test_util.h"
#include "iam/iam_store.h"
#include "state/sqlite/store_test_util.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

using nlohmann::json;
using state::store_testing::At;
using testing::CliRun;
using testing::RunArgs;

const std::string kApiSecret = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/api-AbCdEf";
const std::string kNginxSecret =
    "arn:aws:secretsmanager:eu-west-1:000000000000:secret:main/nginx-GhIjKl";

class IamCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<state::StateDir> dir = state::StateDir::Create(temp_.Join(".drydock"));
    ASSERT_TRUE(dir.ok()) << dir.status().message();
    path_ = dir->path();
    auto store = iam::IamStore::Open(dir->IamDatabasePath());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->EnsureServiceExecutionRole("main", "api", kApiSecret, At(1000)).ok());
    ASSERT_TRUE((*store)->EnsureServiceExecutionRole("main", "nginx", kNginxSecret, At(1000)).ok());
  }

  CliRun Run(std::vector<const char*> args) {
    args.push_back("--state-dir");
    args.push_back(path_.c_str());
    return RunArgs(args);
  }

  state::store_testing::TempDir temp_;
  std::string path_;
};

TEST_F(IamCommandsTest, ListsRolesAsTextAndJson) {
  CliRun bare = Run({"iam"});
  EXPECT_EQ(bare.exit_code, kExitOk) << bare.err;
  EXPECT_NE(bare.out.find("main-api-execution"), std::string::npos) << bare.out;
  EXPECT_NE(bare.out.find("main-api-secrets, AmazonECSTaskExecutionRolePolicy"), std::string::npos);
  CliRun listed = Run({"iam", "list", "-o", "json"});
  ASSERT_EQ(listed.exit_code, kExitOk) << listed.err;
  json roles = json::parse(listed.out)["Roles"];
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0]["RoleName"], "main-api-execution");
  EXPECT_EQ(roles[0]["Arn"], "arn:aws:iam::000000000000:role/main-api-execution");
  EXPECT_EQ(roles[0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
            "ecs-tasks.amazonaws.com");
  EXPECT_EQ(roles[0]["AttachedPolicies"].size(), 2u);
}

TEST_F(IamCommandsTest, ShowsARoleWithItsDocuments) {
  CliRun shown = Run({"iam", "show", "main-api-execution"});
  ASSERT_EQ(shown.exit_code, kExitOk) << shown.err;
  EXPECT_NE(shown.out.find("ecs-tasks.amazonaws.com"), std::string::npos);
  EXPECT_NE(shown.out.find("ecr:GetAuthorizationToken"), std::string::npos);
  EXPECT_NE(shown.out.find(kApiSecret), std::string::npos);
  CliRun as_json = Run({"iam", "show", "main-api-execution", "--output", "json"});
  ASSERT_EQ(as_json.exit_code, kExitOk);
  json doc = json::parse(as_json.out);
  EXPECT_EQ(doc["AttachedPolicies"][0]["Document"]["Statement"][0]["Resource"], kApiSecret);
  CliRun missing = Run({"iam", "show", "nope"});
  EXPECT_EQ(missing.exit_code, kExitFailure);
  EXPECT_NE(missing.err.find("NoSuchEntity: The role with name nope cannot be found."),
            std::string::npos);
  EXPECT_NE(missing.err.find("drydock iam list"), std::string::npos);
}

TEST_F(IamCommandsTest, DetachThenSimulateThenAttach) {
  CliRun detached = Run({"iam", "detach", "main-api-execution", "main-api-secrets"});
  ASSERT_EQ(detached.exit_code, kExitOk) << detached.err;
  EXPECT_NE(detached.out.find("detached arn:aws:iam::000000000000:policy/main-api-secrets"),
            std::string::npos);
  CliRun denied = Run({"iam", "simulate", "main-api-execution", "secretsmanager:GetSecretValue",
                       kApiSecret.c_str()});
  ASSERT_EQ(denied.exit_code, kExitOk) << denied.err;
  EXPECT_EQ(denied.out.rfind("implicitDeny: ", 0), 0u) << denied.out;
  EXPECT_NE(denied.out.find("because no identity-based policy allows the "
                            "secretsmanager:GetSecretValue action"),
            std::string::npos);
  CliRun again = Run({"iam", "detach", "main-api-execution", "main-api-secrets"});
  EXPECT_EQ(again.exit_code, kExitFailure);
  EXPECT_NE(again.err.find("was not found"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("drydock iam show main-api-execution"), std::string::npos);
  CliRun attached = Run({"iam", "attach", "main-api-execution",
                         "arn:aws:iam::000000000000:policy/main-api-secrets"});
  ASSERT_EQ(attached.exit_code, kExitOk) << attached.err;
  CliRun allowed = Run({"iam", "simulate", "main-api-execution", "secretsmanager:GetSecretValue",
                        kApiSecret.c_str(), "-o", "json"});
  ASSERT_EQ(allowed.exit_code, kExitOk) << allowed.err;
  json result = json::parse(allowed.out)["EvaluationResults"][0];
  EXPECT_EQ(result["EvalDecision"], "allowed");
  EXPECT_EQ(result["MatchedStatements"][0]["Sid"], "ReadOwnSecret");
}

TEST_F(IamCommandsTest, ApiRoleCannotReadTheNginxSecret) {
  CliRun denied = Run({"iam", "simulate", "main-api-execution", "secretsmanager:GetSecretValue",
                       kNginxSecret.c_str()});
  ASSERT_EQ(denied.exit_code, kExitOk);
  EXPECT_EQ(denied.out.rfind("implicitDeny", 0), 0u) << denied.out;
}

TEST_F(IamCommandsTest, ErrorsAndUsage) {
  EXPECT_EQ(Run({"iam", "attach", "main-api-execution", "NoSuchPolicy"}).exit_code, kExitFailure);
  EXPECT_EQ(Run({"iam", "attach", "main-api-execution"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"iam", "frobnicate"}).exit_code, kExitUsage);
  CliRun no_state = RunArgs({"iam", "list", "--state-dir", "/nonexistent/drydock-state"});
  EXPECT_EQ(no_state.exit_code, kExitFailure);
  EXPECT_NE(no_state.err.find("drydock up FILE"), std::string::npos) << no_state.err;
}

}  // namespace
}  // namespace drydock::cli

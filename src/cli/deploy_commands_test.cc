// deploy, rollback and status SERVICE in-process: usage errors, and the
// errors before a control plane is asked (the live rollout is tested end to
// end by the live scenario test).
#include <gtest/gtest.h>

#include "cli/cli.h"
#include "cli/cli_test_util.h"
#include "state/sqlite/sqlite_store.h"
#include "state/sqlite/store_test_util.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

using state::store_testing::At;
using state::store_testing::MakeTaskDefinition;
using testing::CliRun;
using testing::RunArgs;

// Cluster "demo" with service api, recorded; no control plane runs.
class DeployCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<state::StateDir> dir = state::StateDir::Create(temp_.Join(".drydock"));
    ASSERT_TRUE(dir.ok()) << dir.status().message();
    dir_.emplace(*dir);
    Result<std::unique_ptr<state::SqliteStore>> store =
        state::SqliteStore::Open(dir_->DatabasePath());
    ASSERT_TRUE(store.ok()) << store.status().message();
    state::Changes changes;
    changes.identity = state::ClusterIdentity{"demo", "us-east-1"};
    changes.group = state::AutoScalingGroup{"demo-asg", 1, 3, 1};
    changes.register_task_definitions = {MakeTaskDefinition("api", 1)};
    changes.upsert_services = {{"api", "api:1", 2, state::ServiceStatus::kActive, At(1000)}};
    ASSERT_TRUE((*store)->Apply(changes).ok());
  }

  // `args` then --state-dir.
  CliRun Run(std::vector<const char*> args) {
    args.push_back("--state-dir");
    args.push_back(dir_->path().c_str());
    return RunArgs(args);
  }

  state::store_testing::TempDir temp_;
  std::optional<state::StateDir> dir_;
};

TEST_F(DeployCommandsTest, BadFlagsAreUsageErrors) {
  CliRun no_equals = Run({"deploy", "api", "--env", "VERSION"});
  EXPECT_EQ(no_equals.exit_code, kExitUsage);
  EXPECT_EQ(no_equals.err,
            "drydock: --env \"VERSION\": expected KEY=VALUE (for example --env VERSION=2)\n");
  EXPECT_EQ(Run({"deploy", "api", "--env", "=2"}).exit_code, kExitUsage);
  CliRun command = Run({"deploy", "api", "--command", "[\"sh\", 1]"});
  EXPECT_EQ(command.exit_code, kExitUsage);
  EXPECT_NE(command.err.find("not a JSON array of strings"), std::string::npos) << command.err;
  EXPECT_EQ(Run({"deploy", "api", "--cpu", "0"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"deploy", "api", "--memory", "lots"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"deploy", "api", "--timeout", "0"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"deploy", "api", "--output", "yaml"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"deploy"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"rollback"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"rollback", "api", "--env", "A=1"}).exit_code, kExitUsage);
}

TEST_F(DeployCommandsTest, RepeatedEnvFlagsLeaveTheServiceAlone) {
  // --env takes one value per flag: SERVICE after it is still the service.
  CliRun run = Run({"deploy", "--env", "A=1", "--env", "B=2", "api"});
  EXPECT_EQ(run.exit_code, kExitFailure) << run.err;
  EXPECT_NE(run.err.find("no control plane runs on"), std::string::npos) << run.err;
}

TEST_F(DeployCommandsTest, UnknownServiceIsNamed) {
  for (const char* verb : {"deploy", "rollback"}) {
    CliRun run = Run({verb, "nope"});
    EXPECT_EQ(run.exit_code, kExitFailure) << verb;
    EXPECT_EQ(run.err, "drydock: no service 'nope' in cluster demo; services: api\n") << verb;
  }
}

TEST_F(DeployCommandsTest, WithoutAControlPlaneSaysToRunUp) {
  CliRun run = Run({"deploy", "api", "--env", "VERSION=2"});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_EQ(run.err, "drydock: no control plane runs on " + dir_->path() +
                         "; start the cluster with `drydock up FILE` first\n");
  EXPECT_EQ(Run({"rollback", "api", "--no-wait"}).exit_code, kExitFailure);
}

TEST_F(DeployCommandsTest, WithoutStateSaysToRunUp) {
  const std::string missing = temp_.Join("nowhere");
  CliRun run = RunArgs({"deploy", "api", "--env", "A=1", "--state-dir", missing.c_str()});
  EXPECT_EQ(run.exit_code, kExitFailure);
  EXPECT_EQ(run.err, "drydock: no drydock state in " + missing +
                         ": start the cluster with `drydock up FILE` first (or pass --state-dir)\n");
}

TEST_F(DeployCommandsTest, StatusOfOneService) {
  CliRun run = Run({"status", "api"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("api"), std::string::npos) << run.out;
  CliRun json = Run({"status", "api", "--output", "json"});
  ASSERT_EQ(json.exit_code, kExitOk) << json.err;
  EXPECT_NE(json.out.find("\"services\""), std::string::npos) << json.out;
  CliRun unknown = Run({"status", "nope"});
  EXPECT_EQ(unknown.exit_code, kExitFailure);
  EXPECT_EQ(unknown.err, "no service 'nope' in cluster demo; services: api\n");
}

}  // namespace
}  // namespace drydock::cli

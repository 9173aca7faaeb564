// drydock secrets VERB, in-process, on a temporary state directory. Values
// come from --value-file (RunCli reads stdin otherwise) or, through
// RunSecrets, from a string stream.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli/cli.h"
#include "cli/cli_test_util.h"
#include "cli/commands.h"
#include "state/sqlite/sqlite_store.h"
#include "state/sqlite/store_test_util.h"
#include "state/state_dir.h"

namespace drydock::cli {
namespace {

using nlohmann::json;
using testing::CliRun;
using testing::RunArgs;

constexpr const char* kSecretValue = "s3cr3t-value-that-must-not-leak";

class SecretsCommandsTest : public ::testing::Test {
 protected:
  std::string StateDir() const { return temp_.Join(".drydock"); }

  // Writes `value` to a file and returns its path.
  std::string ValueFile(const std::string& value) {
    const std::string path = temp_.Join("value-" + std::to_string(files_++));
    std::ofstream(path, std::ios::binary) << value;
    return path;
  }

  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), "secrets");
    args.push_back("--state-dir");
    args.push_back(StateDir());
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return RunArgs(argv);
  }

  CliRun Create(const std::string& name, const std::string& value) {
    return Run({"create", name, "--value-file", ValueFile(value)});
  }

  // RunSecrets with `stdin_text` as stdin.
  CliRun RunWithStdin(SecretsOptions options, const std::string& stdin_text) {
    options.state_dir = StateDir();
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    Terminal terminal{out, err, false};
    const int code = RunSecrets(options, in, terminal);
    return {code, out.str(), err.str()};
  }

  state::store_testing::TempDir temp_;
  int files_ = 0;
};

TEST_F(SecretsCommandsTest, CreateGetDescribeList) {
  CliRun created = Create("prod/db", kSecretValue);
  ASSERT_EQ(created.exit_code, kExitOk) << created.err;
  EXPECT_NE(created.out.find("arn:aws:secretsmanager:us-east-1:000000000000:secret:prod/db-"),
            std::string::npos);
  EXPECT_EQ(created.out.find(kSecretValue), std::string::npos);

  CliRun got = Run({"get", "prod/db"});
  ASSERT_EQ(got.exit_code, kExitOk) << got.err;
  EXPECT_EQ(got.out, std::string(kSecretValue) + "\n");

  CliRun as_json = Run({"get", "prod/db", "--output", "json"});
  ASSERT_EQ(as_json.exit_code, kExitOk);
  json parsed = json::parse(as_json.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << as_json.out;
  EXPECT_EQ(parsed["SecretString"], kSecretValue);
  EXPECT_EQ(parsed["Name"], "prod/db");
  EXPECT_EQ(parsed["VersionStages"], json::array({"AWSCURRENT"}));
  for (const char* key : {"ARN", "VersionId", "CreatedDate"}) EXPECT_TRUE(parsed.contains(key));

  for (std::vector<std::string> args :
       {std::vector<std::string>{"describe", "prod/db"},
        std::vector<std::string>{"describe", "prod/db", "-o", "json"},
        std::vector<std::string>{"list"}, std::vector<std::string>{"list", "-o", "json"}}) {
    CliRun shown = Run(args);
    ASSERT_EQ(shown.exit_code, kExitOk) << shown.err;
    EXPECT_NE(shown.out.find("prod/db"), std::string::npos);
    EXPECT_EQ(shown.out.find(kSecretValue), std::string::npos) << args[0];
  }
  json described = json::parse(Run({"describe", "prod/db", "-o", "json"}).out, nullptr, false);
  ASSERT_TRUE(described["VersionIdsToStages"].is_object());
  EXPECT_EQ(described["VersionIdsToStages"].size(), 1u);
  EXPECT_TRUE(described.contains("LastAccessedDate")) << "get was recorded";
}

TEST_F(SecretsCommandsTest, ValuesComeFromStdinAndAreNeverEmpty) {
  SecretsOptions create;
  create.verb = "create";
  create.name = "db";
  CliRun created = RunWithStdin(create, "from-stdin\n");
  ASSERT_EQ(created.exit_code, kExitOk) << created.err;
  EXPECT_EQ(Run({"get", "db"}).out, "from-stdin\n") << "one final newline is dropped";

  create.name = "empty";
  CliRun empty = RunWithStdin(create, "\n");
  EXPECT_EQ(empty.exit_code, kExitFailure);
  EXPECT_NE(empty.err.find("empty"), std::string::npos);
  EXPECT_EQ(Run({"get", "empty"}).exit_code, kExitFailure);

  CliRun on_argv = Run({"create", "other", "--value", "x"});
  EXPECT_EQ(on_argv.exit_code, kExitUsage) << "there is no option to give a value on argv";
}

TEST_F(SecretsCommandsTest, PutKeysIntoAJsonVault) {
  ASSERT_EQ(Create("api", R"({"PORT":"8080"})").exit_code, kExitOk);
  CliRun put = Run({"put", "api", "--key", "DB_PASSWORD", "--value-file", ValueFile(kSecretValue)});
  ASSERT_EQ(put.exit_code, kExitOk) << put.err;
  EXPECT_EQ(put.out.find(kSecretValue), std::string::npos);
  EXPECT_EQ(Run({"get", "api"}).out,
            std::string(R"({"PORT":"8080","DB_PASSWORD":")") + kSecretValue + "\"}\n");
  EXPECT_EQ(Run({"get", "api", "--key", "DB_PASSWORD"}).out, std::string(kSecretValue) + "\n");
  EXPECT_EQ(Run({"get", "api", "--key", "PORT", "--version-stage", "AWSPREVIOUS"}).out, "8080\n");

  CliRun missing = Run({"get", "api", "--key", "NOPE"});
  EXPECT_EQ(missing.exit_code, kExitFailure);
  EXPECT_NE(missing.err.find("NOPE"), std::string::npos);
  EXPECT_EQ(missing.err.find(kSecretValue), std::string::npos);
  EXPECT_EQ(missing.out, "");

  ASSERT_EQ(Create("plain", kSecretValue).exit_code, kExitOk);
  CliRun not_object = Run({"put", "plain", "--key", "K", "--value-file", ValueFile("v")});
  EXPECT_EQ(not_object.exit_code, kExitFailure);
  EXPECT_NE(not_object.err.find("not a JSON object"), std::string::npos);
  EXPECT_EQ(not_object.err.find(kSecretValue), std::string::npos);
}

TEST_F(SecretsCommandsTest, PutWithStagesAndTokens) {
  ASSERT_EQ(Create("db", "one").exit_code, kExitOk);
  const std::string token(36, 'a');
  CliRun pending = Run({"put", "db", "--version-stage", "AWSPENDING", "--version-stage", "BLUE",
                        "--client-request-token", token, "--value-file", ValueFile("two")});
  ASSERT_EQ(pending.exit_code, kExitOk) << pending.err;
  EXPECT_NE(pending.out.find("AWSPENDING, BLUE"), std::string::npos) << pending.out;
  EXPECT_EQ(Run({"get", "db"}).out, "one\n");
  EXPECT_EQ(Run({"get", "db", "--version-id", token}).out, "two\n");
  EXPECT_EQ(Run({"get", "db", "--version-stage", "BLUE"}).out, "two\n");
  CliRun same = Run({"put", "db", "--client-request-token", token, "--value-file", ValueFile("two")});
  EXPECT_EQ(same.exit_code, kExitOk);
  EXPECT_NE(same.out.find("nothing changed"), std::string::npos);
  CliRun other = Run({"put", "db", "--client-request-token", token, "--value-file", ValueFile("x")});
  EXPECT_EQ(other.exit_code, kExitFailure);
  EXPECT_NE(other.err.find("ResourceExistsException"), std::string::npos);
}

TEST_F(SecretsCommandsTest, DeleteAndRestore) {
  ASSERT_EQ(Create("db", kSecretValue).exit_code, kExitOk);
  CliRun deleted = Run({"delete", "db", "--recovery-window-in-days", "7"});
  ASSERT_EQ(deleted.exit_code, kExitOk) << deleted.err;
  EXPECT_NE(deleted.out.find("restore"), std::string::npos);
  CliRun read = Run({"get", "db"});
  EXPECT_EQ(read.exit_code, kExitFailure);
  EXPECT_NE(read.err.find("InvalidRequestException"), std::string::npos);
  EXPECT_NE(read.err.find("marked for deletion"), std::string::npos);
  EXPECT_NE(read.err.find("drydock secrets restore db"), std::string::npos) << "the fix";
  EXPECT_EQ(Run({"list"}).out.find("db "), std::string::npos);
  EXPECT_NE(Run({"list", "--include-planned-deletion"}).out.find("deletion on"),
            std::string::npos);
  EXPECT_NE(Run({"describe", "db"}).out.find("DeletedDate"), std::string::npos);
  ASSERT_EQ(Run({"restore", "db"}).exit_code, kExitOk);
  EXPECT_EQ(Run({"get", "db"}).exit_code, kExitOk);

  EXPECT_EQ(Run({"delete", "db", "--recovery-window-in-days", "3"}).exit_code, kExitFailure);
  EXPECT_EQ(Run({"delete", "db", "--recovery-window-in-days", "7",
                 "--force-delete-without-recovery"})
                .exit_code,
            kExitUsage);
  ASSERT_EQ(Run({"delete", "db", "--force-delete-without-recovery"}).exit_code, kExitOk);
  CliRun gone = Run({"get", "db"});
  EXPECT_EQ(gone.exit_code, kExitFailure);
  EXPECT_NE(gone.err.find("ResourceNotFoundException: Secrets Manager can't find the specified "
                          "secret."),
            std::string::npos);
  EXPECT_NE(gone.err.find("drydock secrets list"), std::string::npos) << "the fix";
}

TEST_F(SecretsCommandsTest, RotateAllStepsOrOne) {
  ASSERT_EQ(Create("db", R"({"user":"app","password":"old"})").exit_code, kExitOk);
  CliRun rotated = Run({"rotate", "db", "--key", "password", "--value-file", ValueFile("new")});
  ASSERT_EQ(rotated.exit_code, kExitOk) << rotated.err;
  for (const char* step : {"createSecret:", "setSecret:", "testSecret:", "finishSecret:"}) {
    EXPECT_NE(rotated.out.find(step), std::string::npos) << step;
  }
  EXPECT_EQ(rotated.out.find("\"new\""), std::string::npos);
  EXPECT_EQ(Run({"get", "db", "--key", "password"}).out, "new\n");
  EXPECT_NE(Run({"describe", "db"}).out.find("LastRotatedDate"), std::string::npos);

  const std::string token(36, 'b');
  CliRun create = Run({"rotate", "db", "--step", "create", "--client-request-token", token,
                       "--key", "password", "--value-file", ValueFile("newer")});
  ASSERT_EQ(create.exit_code, kExitOk) << create.err;
  CliRun blocked = Run({"rotate", "db", "--key", "password", "--value-file", ValueFile("x")});
  EXPECT_EQ(blocked.exit_code, kExitFailure);
  EXPECT_NE(blocked.err.find("A previous rotation isn't complete"), std::string::npos);
  for (const char* step : {"set", "test", "finish"}) {
    CliRun one = Run({"rotate", "db", "--step", step, "--client-request-token", token});
    ASSERT_EQ(one.exit_code, kExitOk) << step << ": " << one.err;
  }
  EXPECT_EQ(Run({"get", "db", "--key", "password"}).out, "newer\n");
  EXPECT_EQ(Run({"rotate", "db", "--step", "finish"}).exit_code, kExitUsage);
  EXPECT_EQ(Run({"rotate", "db", "--step", "bogus", "--client-request-token", token}).exit_code,
            kExitUsage);
}

TEST_F(SecretsCommandsTest, UsageAndMissingState) {
  EXPECT_EQ(Run({"get", "db", "--version-stage", "A", "--version-id", std::string(36, 'c')})
                .exit_code,
            kExitUsage);
  EXPECT_EQ(Run({"create"}).exit_code, kExitUsage);
  EXPECT_EQ(RunArgs({"secrets"}).exit_code, kExitUsage);
  // Nothing recorded yet: reads fail without creating anything, list is empty.
  CliRun get = Run({"get", "db"});
  EXPECT_EQ(get.exit_code, kExitFailure);
  EXPECT_NE(get.err.find("ResourceNotFoundException"), std::string::npos);
  EXPECT_EQ(Run({"list"}).exit_code, kExitOk);
  EXPECT_EQ(Run({"list", "-o", "json"}).out, "{\n  \"SecretList\": []\n}\n");
}

TEST_F(SecretsCommandsTest, RegionComesFromTheRecordedCluster) {
  ASSERT_EQ(Run({"create", "a", "--region", "ap-south-1", "--value-file", ValueFile("x")})
                .exit_code,
            kExitOk);
  EXPECT_NE(Run({"describe", "a"}).out.find("arn:aws:secretsmanager:ap-south-1:"),
            std::string::npos);
  {
    Result<state::StateDir> dir = state::StateDir::Create(StateDir());
    ASSERT_TRUE(dir.ok());
    Result<std::unique_ptr<state::SqliteStore>> store =
        state::SqliteStore::Open(dir->DatabasePath());
    ASSERT_TRUE(store.ok()) << store.status().message();
    state::Changes changes;
    changes.identity = state::ClusterIdentity{"demo", "eu-west-1"};
    ASSERT_TRUE((*store)->Apply(changes).ok());
  }
  ASSERT_EQ(Run({"create", "b", "--region", "ap-south-1", "--value-file", ValueFile("x")})
                .exit_code,
            kExitOk);
  EXPECT_NE(Run({"describe", "b"}).out.find("arn:aws:secretsmanager:eu-west-1:000000000000:"),
            std::string::npos);
}

}  // namespace
}  // namespace drydock::cli

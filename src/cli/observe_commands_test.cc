// status, events and logs run in-process against a state directory written
// the way the control plane and the shims write it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "cli/cli_test_util.h"
#include "logs/log_paths.h"
#include "logs/logs_test_util.h"
#include "runtime/real/real_clock.h"
#include "state/sqlite/sqlite_store.h"
#include "state/sqlite/store_test_util.h"
#include "state/state_dir.h"
#include "state/state_dir_lock.h"

namespace drydock::cli {
namespace {

using logs::testing::AppendRecords;
using logs::testing::Record;
using nlohmann::json;
using runtime::LogStream;
using state::store_testing::At;
using state::store_testing::MakeTaskDefinition;

const std::string kTaskA = "aaaaaaaa000000000000000000000001";
const std::string kTaskB = "bbbbbbbb000000000000000000000002";

using testing::CliRun;
using testing::RunArgs;

state::Task MakeTask(const std::string& id, const std::string& service) {
  state::Task task;
  task.task_id = id;
  task.service = service;
  task.task_definition = service + ":1";
  task.instance_id = "i-0123456789abcdef0";
  task.availability_zone = "us-east-1a";
  task.last_status = state::TaskStatus::kRunning;
  task.desired_status = state::TaskStatus::kRunning;
  task.host_port = 32768;
  task.created_at = At(1'767'225'600'000);
  return task;
}

// A state directory with cluster "demo", services api and web, two api tasks,
// three events, and api's two log streams.
class ObserveCommandsTest : public ::testing::Test {
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
    changes.register_task_definitions = {MakeTaskDefinition("api", 1),
                                         MakeTaskDefinition("web", 1)};
    state::Instance instance = state::store_testing::MakeInstance("i-0123456789abcdef0", 1000);
    instance.state = state::InstanceState::kRunning;
    changes.upsert_instances = {instance};
    changes.upsert_services = {{"api", "api:1", 2, state::ServiceStatus::kActive, At(1000)},
                               {"web", "web:1", 0, state::ServiceStatus::kActive, At(2000)}};
    changes.upsert_tasks = {MakeTask(kTaskA, "api"), MakeTask(kTaskB, "api")};
    changes.append_events = {
        {0, At(1'767'225'601'000), "api", "(service api) has started 2 tasks."},
        {0, At(1'767'225'602'000), "web", "(service web) is idle."},
        {0, At(1'767'225'603'000), "api", "(service api) steady."}};
    Result<state::AppliedChanges> applied = (*store)->Apply(changes);
    ASSERT_TRUE(applied.ok()) << applied.status().message();

    AppendRecords(dir_->LogsDir(), "/ecs/api", "ecs/api/" + kTaskA,
                  {Record(1000, "listening"), Record(3000, "oops", LogStream::kStderr)});
    AppendRecords(dir_->LogsDir(), "/ecs/api", "ecs/api/" + kTaskB, {Record(2000, "")});
  }

  const char* StateDir() const { return dir_->path().c_str(); }

  state::store_testing::TempDir temp_;
  std::optional<state::StateDir> dir_;
};

TEST_F(ObserveCommandsTest, AMissingStateDirectorySaysToRunUp) {
  const std::string missing = temp_.Join("nowhere");
  for (const char* verb : {"status", "events", "logs"}) {
    std::vector<const char*> args = {verb, "--state-dir", missing.c_str()};
    if (std::string(verb) == "logs") args.push_back("api");
    CliRun run = RunArgs(args);
    EXPECT_EQ(run.exit_code, kExitFailure) << verb;
    EXPECT_EQ(run.err, "no drydock state in " + missing +
                           ": run `drydock up FILE` first (or pass --state-dir)\n")
        << verb;
  }
}

TEST_F(ObserveCommandsTest, StatusTextSaysWhetherTheControlPlaneRuns) {
  CliRun run = RunArgs({"status", "--state-dir", StateDir()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("Cluster demo (us-east-1): control plane not running"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  api      ACTIVE        2        2        0  api:1"), std::string::npos)
      << run.out;

  Result<state::ControlLock> lock = state::ControlLock::Acquire(*dir_);
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  run = RunArgs({"status", "--state-dir", StateDir()});
  EXPECT_NE(run.out.find("control plane running (pid " + std::to_string(getpid()) + ")"),
            std::string::npos)
      << run.out;
}

TEST_F(ObserveCommandsTest, StatusJsonIsOneDocument) {
  CliRun run = RunArgs({"status", "--state-dir", StateDir(), "--output", "json"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  EXPECT_EQ(out["controlPlane"]["running"], false);
  EXPECT_EQ(out["clusters"][0]["clusterName"], "demo");
  EXPECT_EQ(out["clusters"][0]["runningTasksCount"], 2);
  EXPECT_EQ(out["services"][0]["events"][0]["message"], "(service api) steady.");
  EXPECT_EQ(out["tasks"].size(), 2u);
}

TEST_F(ObserveCommandsTest, StateDirComesFromTheEnvironmentWithoutTheFlag) {
  ASSERT_EQ(setenv("DRYDOCK_STATE_DIR", StateDir(), 1), 0);
  CliRun run = RunArgs({"status"});
  unsetenv("DRYDOCK_STATE_DIR");
  EXPECT_EQ(run.exit_code, kExitOk) << run.err;
}

TEST_F(ObserveCommandsTest, EventsOfAllServicesOrOne) {
  CliRun all = RunArgs({"events", "--state-dir", StateDir()});
  ASSERT_EQ(all.exit_code, kExitOk) << all.err;
  EXPECT_EQ(all.out,
            "2026-01-01T00:00:01.000Z api (service api) has started 2 tasks.\n"
            "2026-01-01T00:00:02.000Z web (service web) is idle.\n"
            "2026-01-01T00:00:03.000Z api (service api) steady.\n");
  CliRun api = RunArgs({"events", "api", "--limit", "1", "--state-dir", StateDir()});
  EXPECT_EQ(api.out, "2026-01-01T00:00:03.000Z api (service api) steady.\n");
  CliRun as_json = RunArgs({"events", "web", "--state-dir", StateDir(), "-o", "json"});
  json out = json::parse(as_json.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << as_json.out;
  ASSERT_EQ(out["events"].size(), 1u);
  EXPECT_EQ(out["events"][0]["serviceName"], "web");
}

TEST_F(ObserveCommandsTest, UnknownServicesListTheServices) {
  CliRun events = RunArgs({"events", "apj", "--state-dir", StateDir()});
  EXPECT_EQ(events.exit_code, kExitFailure);
  EXPECT_EQ(events.err, "no service 'apj' in cluster demo; services: api, web\n");
  CliRun logs = RunArgs({"logs", "../x", "--state-dir", StateDir()});
  EXPECT_EQ(logs.exit_code, kExitFailure);
  EXPECT_EQ(logs.err, "no service '../x' in cluster demo; services: api, web\n");
  EXPECT_EQ(RunArgs({"events", "--limit", "-1", "--state-dir", StateDir()}).exit_code, kExitUsage);
}

TEST_F(ObserveCommandsTest, LogsMergeStreamsAndMarkStderr) {
  CliRun run = RunArgs({"logs", "api", "--state-dir", StateDir()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "2026-01-01T00:00:01.000Z aaaaaaaa listening\n"
            "2026-01-01T00:00:02.000Z bbbbbbbb\n"
            "2026-01-01T00:00:03.000Z aaaaaaaa stderr| oops\n");
  EXPECT_EQ(run.err, "");
  CliRun web = RunArgs({"logs", "web", "--state-dir", StateDir()});
  EXPECT_EQ(web.exit_code, kExitOk);  // a service without output yet
  EXPECT_EQ(web.out, "");
}

TEST_F(ObserveCommandsTest, LogsSinceADurationAgo) {
  const TimePoint now = runtime::RealClock::WallNow();
  AppendRecords(dir_->LogsDir(), "/ecs/api", "ecs/api/" + kTaskA,
                {{now - Seconds(3 * 3600), LogStream::kStdout, false, "three hours ago"},
                 {now - Seconds(60), LogStream::kStdout, false, "a minute ago"}});
  CliRun run = RunArgs({"logs", "api", "--since", "2h", "--state-dir", StateDir()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out, FormatTime(now - Seconds(60)) + " aaaaaaaa a minute ago\n");

  CliRun bad = RunArgs({"logs", "api", "--since", "2 hours", "--state-dir", StateDir()});
  EXPECT_EQ(bad.exit_code, kExitUsage);
  EXPECT_NE(bad.err.find("--since: bad duration '2 hours'"), std::string::npos) << bad.err;
}

TEST_F(ObserveCommandsTest, LogsReportMalformedRecords) {
  logs::testing::AppendBytes(
      *logs::StreamFilePath(dir_->LogsDir(), "/ecs/api", "ecs/api/" + kTaskB), "garbage\n");
  CliRun run = RunArgs({"logs", "api", "--state-dir", StateDir()});
  EXPECT_EQ(run.exit_code, kExitOk);
  EXPECT_EQ(run.err, "skipped 1 malformed log record in " + dir_->LogsDir() + "/ecs/api\n");
}

TEST_F(ObserveCommandsTest, FollowWithoutAControlPlanePrintsWhatThereIsAndEnds) {
  CliRun run = RunArgs({"logs", "api", "--follow", "--state-dir", StateDir()});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out, RunArgs({"logs", "api", "--state-dir", StateDir()}).out);
}

TEST_F(ObserveCommandsTest, FollowPrintsNewStreamsUntilTheControlPlaneStops) {
  Result<state::ControlLock> lock = state::ControlLock::Acquire(*dir_);
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  CliRun run{};
  std::thread follower([&] { run = RunArgs({"logs", "api", "-f", "--state-dir", StateDir()}); });
  const std::string kTaskC = "cccccccc000000000000000000000003";
  AppendRecords(dir_->LogsDir(), "/ecs/api", "ecs/api/" + kTaskC, {Record(4000, "new task")});
  lock->Release();
  follower.join();
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_NE(run.out.find("2026-01-01T00:00:04.000Z cccccccc new task\n"), std::string::npos)
      << run.out;
}

}  // namespace
}  // namespace drydock::cli

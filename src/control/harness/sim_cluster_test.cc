#include "control/harness/sim_cluster.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "config/loader.h"
#include "control/harness/fixtures.h"
#include "control/harness/sim_control_loop.h"

namespace drydock::control {
namespace {

using state::TaskStatus;

config::Settings OriginSettings() {
  const config::LoadResult loaded =
      config::LoadConfigFile(std::string(DRYDOCK_SOURCE_DIR) + "/examples/origin/terraform.tfvars");
  EXPECT_TRUE(loaded.config.has_value());
  return loaded.config ? loaded.config->settings : config::Settings{};
}

struct OriginRun {
  std::string events;
  std::string trace;
  state::Snapshot snapshot;
};

// The origin file brought up from nothing until stable, then one task crash.
OriginRun RunOrigin(uint64_t seed) {
  const config::Settings settings = OriginSettings();
  SimCluster cluster(SnapshotFromSettings(settings, SimEpoch()));
  SimControlLoop loop(&cluster, AsgPolicyFromSettings(settings),
                      SchedulerPolicyFromSettings(settings), seed);
  EXPECT_TRUE(loop.RunUntilStable().ok());
  EXPECT_TRUE(cluster.ExitTask(cluster.snapshot().tasks[0].task_id, 1).ok());
  EXPECT_TRUE(loop.RunUntilStable().ok());
  OriginRun run{cluster.EventLog(), "", cluster.snapshot()};
  for (const std::string& line : loop.trace()) run.trace += line + "\n";
  return run;
}

TEST(SchedulerOrigin, TwoOnDemandInstancesFourTasksOverTwoZones) {
  const config::Settings settings = OriginSettings();
  SimCluster cluster(SnapshotFromSettings(settings, SimEpoch()));
  SimControlLoop loop(&cluster, AsgPolicyFromSettings(settings),
                      SchedulerPolicyFromSettings(settings), 42);
  Result<Duration> took = loop.RunUntilStable();
  ASSERT_TRUE(took.ok()) << took.status().message();
  // 30 s start-up + 10 s agent + 1 s provisioning + 2 s pending, and a last round.
  EXPECT_LE(*took, Seconds(50));

  const state::Snapshot& s = cluster.snapshot();
  ASSERT_EQ(s.instances.size(), 2u);
  std::set<std::string> zones;
  for (const state::Instance& i : s.instances) {
    EXPECT_EQ(i.lifecycle, state::Lifecycle::kOnDemand);  // base 1 + ceil(1 x 20 %) = 2
    EXPECT_EQ(i.instance_type, "t3.medium");
    EXPECT_TRUE(i.protected_from_scale_in);  // busy, managed termination protection
    zones.insert(i.availability_zone);
  }
  EXPECT_EQ(zones, (std::set<std::string>{"us-east-1a", "us-east-1b"}));

  ASSERT_EQ(s.tasks.size(), 4u);
  std::map<std::string, int> per_instance;
  std::map<std::string, std::set<std::string>> zones_of_service;
  for (const state::Task& t : s.tasks) {
    EXPECT_EQ(t.last_status, TaskStatus::kRunning);
    EXPECT_EQ(t.host_port, 80);  // awsvpc: host port = container port
    per_instance[t.instance_id]++;
    zones_of_service[t.service].insert(t.availability_zone);
  }
  // awsvpc on t3.medium: 2 task ENIs per instance, so exactly 2 tasks each.
  for (const auto& [instance, count] : per_instance) EXPECT_EQ(count, 2) << instance;
  EXPECT_EQ(zones_of_service["nginx"].size(), 2u);
  EXPECT_EQ(zones_of_service["api"].size(), 2u);

  const std::string log = cluster.EventLog();
  EXPECT_NE(log.find("api (service api) has started 2 tasks"), std::string::npos) << log;
  EXPECT_NE(log.find("nginx (service nginx) has reached a steady state."), std::string::npos);
  EXPECT_NE(log.find("- Launching a new EC2 instance: i-0"), std::string::npos);
}

TEST(SchedulerDeterminism, SameSeedSameEventsAndTrace) {
  const OriginRun first = RunOrigin(7);
  const OriginRun second = RunOrigin(7);
  EXPECT_EQ(first.events, second.events);
  EXPECT_EQ(first.trace, second.trace);
  EXPECT_NE(first.trace.find("EssentialContainerExited"), std::string::npos) << first.trace;
}

TEST(SchedulerDeterminism, DifferentSeedDifferentIds) {
  const OriginRun first = RunOrigin(7);
  const OriginRun other = RunOrigin(8);
  EXPECT_NE(first.events, other.events);  // task and instance ids come from the seed
  EXPECT_EQ(other.snapshot.tasks.size(), first.snapshot.tasks.size());
}

TEST(SchedulerHarness, TaskLifecycleFollowsTheTiming) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {fixtures::ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {fixtures::Definition("web", 256, 512)};
  SimCluster cluster(snapshot);
  Plan plan;
  plan.Add(StartTask{"t1", "web", "web:1", "i-1", "us-east-1a", {}});
  ASSERT_TRUE(cluster.Apply(plan).ok());
  const state::Task& task = cluster.snapshot().tasks[0];
  EXPECT_EQ(task.last_status, TaskStatus::kProvisioning);
  cluster.Advance(Seconds(1));
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kPending);
  cluster.Advance(Seconds(1));
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kPending);
  cluster.Advance(Seconds(1));
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kRunning);
  EXPECT_EQ(cluster.snapshot().tasks[0].host_port, 49153);  // bridge: dynamic port
  EXPECT_TRUE(cluster.Quiescent());

  Plan stop;
  stop.Add(StopTask{"t1", state::StopCode::kUserInitiated, "stopped by test"});
  ASSERT_TRUE(cluster.Apply(stop).ok());
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kRunning);  // desired only
  EXPECT_FALSE(cluster.Quiescent());
  cluster.Advance(Seconds(1));  // SIGTERM
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kStopping);
  cluster.Advance(Seconds(2));
  EXPECT_EQ(cluster.snapshot().tasks[0].last_status, TaskStatus::kStopped);
  EXPECT_EQ(cluster.snapshot().tasks[0].stopped_reason, "stopped by test");
  // The first cause wins.
  Plan again;
  again.Add(StopTask{"t1", state::StopCode::kServiceSchedulerInitiated, "later"});
  ASSERT_TRUE(cluster.Apply(again).ok());
  EXPECT_EQ(cluster.snapshot().tasks[0].stopped_reason, "stopped by test");
}

TEST(SchedulerHarness, PlansNamingUnknownIdsAreRejected) {
  SimCluster cluster(fixtures::EmptyCluster());
  Plan plan;
  plan.Add(PlaceTask{"nope", "i-1", "us-east-1a"});
  EXPECT_EQ(cluster.Apply(plan).code(), StatusCode::kInternal);
  Plan twice;
  twice.Add(LaunchInstance{"i-1", "t3.medium", "us-east-1a", state::Lifecycle::kSpot, false});
  twice.Add(LaunchInstance{"i-1", "t3.medium", "us-east-1a", state::Lifecycle::kSpot, false});
  EXPECT_EQ(cluster.Apply(twice).code(), StatusCode::kInternal);
}

TEST(SchedulerHarness, DescribeIsOneStableLine) {
  EXPECT_EQ(Describe(Action{LaunchInstance{"i-1", "t3.medium", "us-east-1a",
                                           state::Lifecycle::kOnDemand, true}}),
            "launch i-1 t3.medium us-east-1a on-demand protected");
  EXPECT_EQ(Describe(Action{StartTask{"t1", "web", "web:1", "", "", {}}}),
            "start t1 web:1 on (unplaced)");
  EXPECT_EQ(Describe(Action{StopTask{"t1", state::StopCode::kEssentialContainerExited,
                                     "Essential container in task exited"}}),
            "stop t1 EssentialContainerExited: Essential container in task exited");
}

}  // namespace
}  // namespace drydock::control

#include "control/scheduler/service_scheduler.h"

#include <gtest/gtest.h>

#include <map>

#include "control/actions_test_util.h"
#include "control/harness/fixtures.h"
#include "control/harness/sim_control_loop.h"

namespace drydock::control {
namespace {

using testing::ActionsOf;

using fixtures::ActiveInstance;
using fixtures::Definition;
using fixtures::MakeService;
using fixtures::RunningTask;
using state::TaskStatus;

std::vector<std::string> Messages(const Plan& plan) {
  std::vector<std::string> out;
  for (const EmitEvent& event : ActionsOf<EmitEvent>(plan)) out.push_back(event.message);
  return out;
}

// A fixed fleet (no ASG changes: desired capacity = the instances given).
struct Fleet {
  explicit Fleet(state::Snapshot snapshot, uint64_t seed = 1)
      : cluster(WithGroup(std::move(snapshot))),
        loop(&cluster, Policy(), SchedulerPolicy{}, seed) {}

  static state::Snapshot WithGroup(state::Snapshot snapshot) {
    snapshot.group.desired_capacity = static_cast<int>(snapshot.instances.size());
    snapshot.group.max_size = 10;
    return snapshot;
  }
  static AsgPolicy Policy() {
    config::Settings settings;
    AsgPolicy policy = AsgPolicyFromSettings(settings);
    policy.managed_termination_protection = false;
    return policy;
  }

  std::vector<const state::Task*> Live(const std::string& service) const {
    std::vector<const state::Task*> out;
    for (const state::Task& t : cluster.snapshot().tasks) {
      if (t.service == service && t.desired_status == TaskStatus::kRunning) out.push_back(&t);
    }
    return out;
  }

  SimCluster cluster;
  SimControlLoop loop;
};

state::Snapshot TwoZoneBridgeCluster(int desired) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-a1", "us-east-1a"), ActiveInstance("i-b1", "us-east-1b")};
  snapshot.task_definitions = {Definition("web", 256, 512)};
  snapshot.services = {MakeService("web", desired)};
  return snapshot;
}

TEST(SchedulerSteadyState, StartsDesiredTasksSpreadAndReportsSteadyOnce) {
  Fleet fleet(TwoZoneBridgeCluster(4));
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  std::map<std::string, int> by_zone;
  for (const state::Task* t : fleet.Live("web")) {
    EXPECT_EQ(t->last_status, TaskStatus::kRunning);
    by_zone[t->availability_zone]++;
  }
  EXPECT_EQ(by_zone, (std::map<std::string, int>{{"us-east-1a", 2}, {"us-east-1b", 2}}));
  const std::string log = fleet.cluster.EventLog();
  EXPECT_NE(log.find("web (service web) has started 4 tasks: (task "), std::string::npos) << log;
  const std::string steady = "(service web) has reached a steady state.";
  EXPECT_EQ(log.find(steady), log.rfind(steady)) << log;
  ASSERT_TRUE(fleet.loop.RunFor(Seconds(60)).ok());
  EXPECT_EQ(fleet.cluster.EventLog(), log);  // nothing repeats while steady
}

TEST(SchedulerReplacement, ExitedTaskIsRecordedAndReplaced) {
  Fleet fleet(TwoZoneBridgeCluster(2));
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  const std::string victim = fleet.Live("web")[0]->task_id;
  ASSERT_TRUE(fleet.cluster.ExitTask(victim, 137).ok());

  Random random(5);
  const Plan plan =
      ReconcileServices(fleet.cluster.snapshot(), fleet.cluster.now(), SchedulerPolicy{}, random);
  const auto stops = ActionsOf<StopTask>(plan);
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].task_id, victim);
  EXPECT_EQ(stops[0].stop_code, state::StopCode::kEssentialContainerExited);
  EXPECT_EQ(stops[0].reason, "Essential container in task exited");
  const auto starts = ActionsOf<StartTask>(plan);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(Messages(plan), std::vector<std::string>{"(service web) has started 1 tasks: (task " +
                                                     starts[0].task_id + ")."});

  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  EXPECT_EQ(fleet.Live("web").size(), 2u);
  for (const state::Task& t : fleet.cluster.snapshot().tasks) {
    if (t.task_id != victim) continue;
    EXPECT_EQ(t.desired_status, TaskStatus::kStopped);
    EXPECT_EQ(t.stop_code, state::StopCode::kEssentialContainerExited);
    EXPECT_EQ(t.stopped_reason, "Essential container in task exited");
    EXPECT_EQ(t.exit_code, 137);
  }
  // The replacement keeps the spread: one task per AZ.
  EXPECT_NE(fleet.Live("web")[0]->availability_zone, fleet.Live("web")[1]->availability_zone);
}

TEST(SchedulerScaleIn, StopsFromTheFullestZoneWithTheStopCode) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-a1", "us-east-1a"), ActiveInstance("i-a2", "us-east-1a"),
                        ActiveInstance("i-b1", "us-east-1b")};
  snapshot.task_definitions = {Definition("web", 256, 512)};
  snapshot.services = {MakeService("web", 3)};
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[0]),
                    RunningTask("t3", "web", snapshot.instances[1]),
                    RunningTask("t4", "web", snapshot.instances[2])};
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random);
  const auto stops = ActionsOf<StopTask>(plan);
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_TRUE(stops[0].task_id == "t1" || stops[0].task_id == "t2") << stops[0].task_id;
  EXPECT_EQ(stops[0].stop_code, state::StopCode::kServiceSchedulerInitiated);
  EXPECT_TRUE(ActionsOf<StartTask>(plan).empty());
  EXPECT_EQ(Messages(plan), std::vector<std::string>{"(service web) has stopped 1 running tasks: "
                                                     "(task " +
                                                     stops[0].task_id + ")."});
}

TEST(SchedulerScaleIn, ScaleDownThroughTheLoopKeepsZonesBalanced) {
  Fleet fleet(TwoZoneBridgeCluster(6));
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  ASSERT_TRUE(fleet.cluster.SetDesiredCount("web", 2).ok());
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  const auto live = fleet.Live("web");
  ASSERT_EQ(live.size(), 2u);
  EXPECT_NE(live[0]->availability_zone, live[1]->availability_zone);
  EXPECT_NE(fleet.cluster.EventLog().find("has stopped 4 running tasks"), std::string::npos);
}

TEST(SchedulerProvisioning, UnplaceableTasksWaitAndTheEventIsNotRepeated) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.task_definitions = {Definition("web", 256, 512)};
  snapshot.services = {MakeService("web", 2)};
  Fleet fleet(snapshot);
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  const auto waiting = fleet.Live("web");
  ASSERT_EQ(waiting.size(), 2u);
  for (const state::Task* t : waiting) {
    EXPECT_EQ(t->last_status, TaskStatus::kProvisioning);
    EXPECT_TRUE(t->instance_id.empty());
  }
  ASSERT_TRUE(fleet.loop.RunFor(Seconds(30)).ok());
  EXPECT_EQ(fleet.cluster.EventLog(),
            "2026-01-01T00:00:00.000Z web (service web) was unable to place a task because no "
            "container instance met all of its requirements. Reason: No Container Instances "
            "were found in your cluster.\n");
  EXPECT_EQ(fleet.Live("web").size(), 2u);  // no new tasks pile up

  // Capacity appears: the waiting tasks are placed, not duplicated.
  fleet.cluster.SetDesiredCapacity(1);
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  const auto placed = fleet.Live("web");
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_EQ(placed[0]->task_id, waiting[0]->task_id);
  for (const state::Task* t : placed) EXPECT_EQ(t->last_status, TaskStatus::kRunning);
  EXPECT_NE(fleet.cluster.EventLog().find("has started 2 tasks"), std::string::npos);
}

TEST(SchedulerProvisioning, PartialFitPlacesWhatFitsAndNamesTheReason) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {Definition("web", 1024, 512)};
  snapshot.services = {MakeService("web", 3)};
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random);
  const auto starts = ActionsOf<StartTask>(plan);
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[0].instance_id, "i-1");
  EXPECT_EQ(starts[1].instance_id, "i-1");
  EXPECT_EQ(starts[2].instance_id, "");  // 2048 CPU units hold two
  const auto messages = Messages(plan);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0], "(service web) has started 2 tasks: (task " + starts[0].task_id +
                             ") (task " + starts[1].task_id + ").");
  EXPECT_EQ(messages[1],
            "(service web) was unable to place a task because no container instance met all of "
            "its requirements. The closest matching container-instance ci-i-1 has insufficient "
            "CPU units available.");
}

TEST(SchedulerProvisioning, QueueIsCappedPerCluster) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.task_definitions = {Definition("web", 256, 512)};
  snapshot.services = {MakeService("web", 5)};
  SchedulerPolicy policy;
  policy.max_provisioning_tasks = 3;
  Random random(1);
  EXPECT_EQ(ActionsOf<StartTask>(ReconcileServices(snapshot, TimePoint{}, policy, random)).size(),
            3u);
}

TEST(SchedulerDraining, ReplacesFirstThenStopsTheDrainingTask) {
  Fleet fleet(TwoZoneBridgeCluster(2));
  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  ASSERT_TRUE(
      fleet.cluster.SetContainerInstanceStatus("i-a1", state::ContainerInstanceStatus::kDraining)
          .ok());
  std::string drained;
  for (const state::Task* t : fleet.Live("web")) {
    if (t->instance_id == "i-a1") drained = t->task_id;
  }
  ASSERT_FALSE(drained.empty());

  // Round 1: the replacement starts (on i-b1), the draining task keeps running.
  ASSERT_TRUE(fleet.loop.Step().ok());
  const state::Task* old = nullptr;
  for (const state::Task& t : fleet.cluster.snapshot().tasks) {
    if (t.task_id == drained) old = &t;
  }
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->desired_status, TaskStatus::kRunning);
  EXPECT_EQ(fleet.Live("web").size(), 3u);  // 150 % of desired, within maximumPercent 200

  ASSERT_TRUE(fleet.loop.RunUntilStable().ok());
  const auto live = fleet.Live("web");
  ASSERT_EQ(live.size(), 2u);
  for (const state::Task* t : live) EXPECT_EQ(t->instance_id, "i-b1");
  for (const state::Task& t : fleet.cluster.snapshot().tasks) {
    if (t.task_id == drained) {
      EXPECT_EQ(t.last_status, TaskStatus::kStopped);
      EXPECT_EQ(t.stop_code, state::StopCode::kServiceSchedulerInitiated);
    }
  }
}

TEST(SchedulerDraining, MaximumPercentHundredStopsFirstWhenTheFloorAllows) {
  state::Snapshot snapshot = TwoZoneBridgeCluster(2);
  snapshot.instances[0].container_status = state::ContainerInstanceStatus::kDraining;
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[1])};
  SchedulerPolicy policy;
  policy.services["web"].maximum_percent = 100;
  policy.services["web"].minimum_healthy_percent = 50;
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, policy, random);
  EXPECT_TRUE(ActionsOf<StartTask>(plan).empty());  // ceiling 2 is reached
  const auto stops = ActionsOf<StopTask>(plan);
  ASSERT_EQ(stops.size(), 1u);  // floor 1 allows one stop
  EXPECT_EQ(stops[0].task_id, "t1");

  policy.services["web"].minimum_healthy_percent = 100;  // neither start nor stop
  const Plan stalled = ReconcileServices(snapshot, TimePoint{}, policy, random);
  EXPECT_TRUE(ActionsOf<StopTask>(stalled).empty());
  EXPECT_NE(Messages(stalled)[0].find("unable to stop or start tasks during a deployment"),
            std::string::npos);
}

TEST(SchedulerOrphans, TasksOnATerminatedHostAreStoppedAndReplaced) {
  state::Snapshot snapshot = TwoZoneBridgeCluster(2);
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[1])};
  snapshot.instances[0].state = state::InstanceState::kShuttingDown;
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random);
  const auto stops = ActionsOf<StopTask>(plan);
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].reason, "Host EC2 (instance i-a1) terminated.");
  const auto starts = ActionsOf<StartTask>(plan);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].instance_id, "i-b1");
}

TEST(SchedulerServices, PlacementsOfOneServiceAreSeenByTheNext) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {Definition("api", 256, 512, state::NetworkMode::kAwsvpc),
                               Definition("web", 256, 512, state::NetworkMode::kAwsvpc)};
  snapshot.services = {MakeService("web", 1), MakeService("api", 2)};
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random);
  const auto starts = ActionsOf<StartTask>(plan);
  ASSERT_EQ(starts.size(), 3u);
  // Name order: api takes both task ENIs of the t3.medium, web waits.
  EXPECT_EQ(starts[0].service, "api");
  EXPECT_EQ(starts[1].service, "api");
  EXPECT_EQ(starts[2].service, "web");
  EXPECT_EQ(starts[2].instance_id, "");
}

TEST(SchedulerServices, InactiveServiceStopsItsTasks) {
  state::Snapshot snapshot = TwoZoneBridgeCluster(2);
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[1])};
  snapshot.services[0].status = state::ServiceStatus::kDraining;
  Random random(1);
  const Plan plan = ReconcileServices(snapshot, TimePoint{}, SchedulerPolicy{}, random);
  EXPECT_EQ(ActionsOf<StopTask>(plan).size(), 2u);
}

}  // namespace
}  // namespace drydock::control

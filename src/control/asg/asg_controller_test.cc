#include "control/asg/asg_controller.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "aws/asg_mix.h"
#include "control/actions_test_util.h"
#include "control/asg/launch.h"
#include "control/asg/termination.h"
#include "control/harness/fixtures.h"
#include "control/harness/sim_control_loop.h"

namespace drydock::control {
namespace {

using testing::ActionsOf;

using state::Lifecycle;

AsgPolicy OriginPolicy(int zones = 2) {
  config::Settings settings;  // defaults are the origin's values
  settings.availability_zone_count = zones;
  return AsgPolicyFromSettings(settings);
}

// A group of `size` brought up from nothing through the control loop.
state::Snapshot GroupOfSize(int size, uint64_t seed = 7, int zones = 2) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.group.desired_capacity = size;
  SimCluster cluster(snapshot);
  SimControlLoop loop(&cluster, OriginPolicy(zones), SchedulerPolicy{}, seed);
  EXPECT_TRUE(loop.RunUntilStable().ok());
  return cluster.snapshot();
}

std::map<std::string, int> CountByZone(const state::Snapshot& snapshot) {
  std::map<std::string, int> counts;
  for (const state::Instance& i : snapshot.instances) {
    if (i.state != state::InstanceState::kTerminated) counts[i.availability_zone]++;
  }
  return counts;
}

int CountLive(const state::Snapshot& snapshot, Lifecycle lifecycle) {
  int count = 0;
  for (const state::Instance& i : snapshot.instances) {
    count += i.lifecycle == lifecycle && i.state != state::InstanceState::kTerminated;
  }
  return count;
}

GroupMember Member(const std::string& id, const std::string& zone, Lifecycle lifecycle,
                   int launched_second, const std::string& type = "") {
  const std::string chosen =
      !type.empty() ? type : (lifecycle == Lifecycle::kOnDemand ? "t3.medium" : "t3a.medium");
  return GroupMember{id, chosen, zone, lifecycle, TimePoint{} + Seconds(launched_second), false};
}

TEST(AsgMix, OriginGroupOfTwoIsAllOnDemandOnePerZone) {
  const state::Snapshot snapshot = GroupOfSize(2);
  ASSERT_EQ(snapshot.instances.size(), 2u);
  EXPECT_EQ(CountLive(snapshot, Lifecycle::kOnDemand), 2);  // ceil(1 x 20 %) = 1 above base
  EXPECT_EQ(CountByZone(snapshot),
            (std::map<std::string, int>{{"us-east-1a", 1}, {"us-east-1b", 1}}));
  for (const state::Instance& i : snapshot.instances) {
    EXPECT_EQ(i.instance_type, "t3.medium");
    EXPECT_EQ(i.state, state::InstanceState::kRunning);
    EXPECT_EQ(i.container_status, state::ContainerInstanceStatus::kActive);
    EXPECT_TRUE(std::regex_match(i.instance_id, std::regex("i-0[0-9a-f]{16}"))) << i.instance_id;
  }
}

TEST(AsgMix, LaunchedFromZeroMatchesMixForEverySize) {
  for (int size = 1; size <= 10; ++size) {
    const state::Snapshot snapshot = GroupOfSize(size);
    const aws::PurchaseMix mix = aws::MixForGroupSize(size, 1, 20);
    EXPECT_EQ(CountLive(snapshot, Lifecycle::kOnDemand), mix.on_demand) << "size " << size;
    EXPECT_EQ(CountLive(snapshot, Lifecycle::kSpot), mix.spot) << "size " << size;
  }
}

TEST(AsgMix, GrowingOneAtATimeMatchesMixForEverySize) {
  state::Snapshot start = fixtures::EmptyCluster();
  SimCluster cluster(start);
  SimControlLoop loop(&cluster, OriginPolicy(), SchedulerPolicy{}, 11);
  for (int size = 1; size <= 10; ++size) {
    cluster.SetDesiredCapacity(size);
    ASSERT_TRUE(loop.RunUntilStable().ok());
    const aws::PurchaseMix mix = aws::MixForGroupSize(size, 1, 20);
    EXPECT_EQ(CountLive(cluster.snapshot(), Lifecycle::kOnDemand), mix.on_demand) << size;
    EXPECT_EQ(CountLive(cluster.snapshot(), Lifecycle::kSpot), mix.spot) << size;
  }
}

TEST(AsgMix, SpotTypeFollowsTheAllocationStrategy) {
  AsgPolicy policy = OriginPolicy();
  Random random(3);
  // t3a.medium has the lowest Spot price of the origin's three types.
  EXPECT_EQ(ChooseSpotType(policy, random), "t3a.medium");
  policy.spot_allocation_strategy = "lowest-price";
  EXPECT_EQ(ChooseSpotType(policy, random), "t3a.medium");
  policy.spot_allocation_strategy = "capacity-optimized-prioritized";
  EXPECT_EQ(ChooseSpotType(policy, random), "t3.medium");
  policy.spot_allocation_strategy = "capacity-optimized";
  std::set<std::string> seen;
  for (int i = 0; i < 60; ++i) seen.insert(ChooseSpotType(policy, random));
  EXPECT_EQ(seen, (std::set<std::string>{"t3.medium", "t3a.medium", "t2.medium"}));
}

TEST(AsgMix, OnDemandUsesTheFirstOverride) {
  AsgPolicy policy = OriginPolicy();
  policy.on_demand_instance_type = "m5.large";
  Random random(1);
  const LaunchInstance launch = ChooseLaunch({}, policy, random);
  EXPECT_EQ(launch.instance_type, "m5.large");
  EXPECT_EQ(launch.lifecycle, Lifecycle::kOnDemand);
  EXPECT_TRUE(launch.protected_from_scale_in);  // managed termination protection is on
}

TEST(AsgLaunch, ScaleOutBalancesZones) {
  const state::Snapshot snapshot = GroupOfSize(7, 5, 3);
  EXPECT_EQ(CountByZone(snapshot),
            (std::map<std::string, int>{{"us-east-1a", 3}, {"us-east-1b", 2}, {"us-east-1c", 2}}));
}

TEST(AsgLaunch, NewInstanceGoesToTheEmptiestZone) {
  const std::vector<GroupMember> members = {Member("i-1", "us-east-1a", Lifecycle::kOnDemand, 0),
                                            Member("i-2", "us-east-1a", Lifecycle::kSpot, 0),
                                            Member("i-3", "us-east-1b", Lifecycle::kSpot, 0)};
  EXPECT_EQ(LeastPopulatedZone(members, OriginPolicy(3)), "us-east-1c");
  EXPECT_EQ(LeastPopulatedZone(members, OriginPolicy(2)), "us-east-1b");
}

TEST(AsgLifecycle, PendingRunningThenRegisteredWithCatalogResources) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.group.desired_capacity = 1;
  SimCluster cluster(snapshot);
  SimControlLoop loop(&cluster, OriginPolicy(), SchedulerPolicy{}, 1);
  ASSERT_TRUE(loop.Step().ok());
  ASSERT_EQ(cluster.snapshot().instances.size(), 1u);
  const state::Instance& instance = cluster.snapshot().instances[0];
  EXPECT_EQ(instance.state, state::InstanceState::kPending);
  ASSERT_TRUE(loop.RunFor(Seconds(29)).ok());
  EXPECT_EQ(cluster.snapshot().instances[0].state, state::InstanceState::kPending);
  ASSERT_TRUE(loop.RunFor(Seconds(2)).ok());
  EXPECT_EQ(cluster.snapshot().instances[0].state, state::InstanceState::kRunning);
  EXPECT_TRUE(cluster.snapshot().instances[0].container_instance_arn.empty());
  ASSERT_TRUE(loop.RunFor(Seconds(11)).ok());
  const state::Instance& registered = cluster.snapshot().instances[0];
  EXPECT_EQ(registered.container_status, state::ContainerInstanceStatus::kActive);
  EXPECT_TRUE(std::regex_match(
      registered.container_instance_arn,
      std::regex("arn:aws:ecs:us-east-1:000000000000:container-instance/test/[0-9a-f]{32}")));
  EXPECT_EQ(registered.registered.cpu_units, 2048);
  EXPECT_EQ(registered.registered.memory_mib, 3904);
  EXPECT_EQ(registered.registered.enis, 2);
}

TEST(AsgLifecycle, TerminatedAfterShutdownDelay) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances.push_back(fixtures::ActiveInstance("i-1", "us-east-1a"));
  snapshot.instances[0].state = state::InstanceState::kShuttingDown;
  const AsgPolicy policy = OriginPolicy();
  Random random(1);
  EXPECT_TRUE(ActionsOf<SetInstanceState>(
                  ReconcileAutoScalingGroup(snapshot, TimePoint{} + Seconds(29), policy, random))
                  .empty());
  const auto changes = ActionsOf<SetInstanceState>(
      ReconcileAutoScalingGroup(snapshot, TimePoint{} + Seconds(30), policy, random));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].state, state::InstanceState::kTerminated);
}

TEST(AsgTermination, ShrinksSpotInTheZoneWithMostSpotOldestFirst) {
  // Base 1, 20 %: size 5 is 2 On-Demand + 3 Spot; size 4 is 2 + 2, so Spot shrinks.
  const std::vector<GroupMember> members = {
      Member("i-1", "us-east-1a", Lifecycle::kOnDemand, 0),
      Member("i-2", "us-east-1b", Lifecycle::kOnDemand, 0),
      Member("i-3", "us-east-1a", Lifecycle::kSpot, 20),
      Member("i-4", "us-east-1a", Lifecycle::kSpot, 10),
      Member("i-5", "us-east-1b", Lifecycle::kSpot, 5),
  };
  Random random(1);
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "i-4");
}

TEST(AsgTermination, ShrinksOnDemandWhenTheMixRequiresIt) {
  // Size 7 is 3 + 4; size 6 is 2 + 4: an On-Demand instance goes.
  std::vector<GroupMember> members;
  for (int i = 0; i < 3; ++i) {
    members.push_back(Member("i-od" + std::to_string(i), i == 0 ? "us-east-1b" : "us-east-1a",
                             Lifecycle::kOnDemand, i));
  }
  for (int i = 0; i < 4; ++i) {
    members.push_back(Member("i-sp" + std::to_string(i), "us-east-1b", Lifecycle::kSpot, i));
  }
  Random random(1);
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "i-od1");  // AZ a, oldest
}

TEST(AsgTermination, SkipsProtectedInstances) {
  std::vector<GroupMember> members = {
      Member("i-1", "us-east-1a", Lifecycle::kOnDemand, 0),
      Member("i-2", "us-east-1b", Lifecycle::kOnDemand, 0),
      Member("i-3", "us-east-1a", Lifecycle::kSpot, 20),
      Member("i-4", "us-east-1a", Lifecycle::kSpot, 10),
      Member("i-5", "us-east-1b", Lifecycle::kSpot, 5),
  };
  members[3].protected_from_scale_in = true;  // i-4
  Random random(1);
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "i-3");
  members[2].protected_from_scale_in = true;  // i-3: AZ a has no unprotected Spot left
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "i-5");
  members[4].protected_from_scale_in = true;  // no Spot left: an On-Demand instance goes
  const std::string victim = ChooseInstanceToTerminate(members, OriginPolicy(), random);
  EXPECT_TRUE(victim == "i-1" || victim == "i-2") << victim;
  for (GroupMember& m : members) m.protected_from_scale_in = true;
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "");
}

TEST(AsgTermination, MisalignedInstancesGoFirst) {
  const std::vector<GroupMember> members = {
      Member("i-1", "us-east-1a", Lifecycle::kOnDemand, 0),
      Member("i-2", "us-east-1a", Lifecycle::kSpot, 0),
      Member("i-3", "us-east-1a", Lifecycle::kSpot, 50, "c5.large"),  // no longer listed
  };
  Random random(1);
  EXPECT_EQ(ChooseInstanceToTerminate(members, OriginPolicy(), random), "i-3");
}

TEST(AsgTermination, ScaleInThroughTheLoopKeepsTheMixAndZones) {
  state::Snapshot start = fixtures::EmptyCluster();
  start.group.desired_capacity = 10;
  SimCluster cluster(start);
  AsgPolicy policy = OriginPolicy();
  policy.managed_termination_protection = false;
  SimControlLoop loop(&cluster, policy, SchedulerPolicy{}, 21);
  ASSERT_TRUE(loop.RunUntilStable().ok());
  for (int size = 9; size >= 1; --size) {
    cluster.SetDesiredCapacity(size);
    ASSERT_TRUE(loop.RunUntilStable().ok());
    const aws::PurchaseMix mix = aws::MixForGroupSize(size, 1, 20);
    EXPECT_EQ(CountLive(cluster.snapshot(), Lifecycle::kOnDemand), mix.on_demand) << size;
    EXPECT_EQ(CountLive(cluster.snapshot(), Lifecycle::kSpot), mix.spot) << size;
    const auto zones = CountByZone(cluster.snapshot());
    int low = size, high = 0;
    for (const auto& [zone, count] : zones) {
      low = std::min(low, count);
      high = std::max(high, count);
    }
    if (zones.size() == 2) {
      EXPECT_LE(high - low, 2) << size;
    }
  }
}

TEST(AsgProtection, ProtectsBusyInstancesAndClearsEmptyOnes) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {fixtures::ActiveInstance("i-busy", "us-east-1a"),
                        fixtures::ActiveInstance("i-idle", "us-east-1b")};
  snapshot.instances[1].protected_from_scale_in = true;
  snapshot.task_definitions = {fixtures::Definition("web", 256, 512)};
  snapshot.tasks = {fixtures::RunningTask("t1", "web", snapshot.instances[0])};
  snapshot.group.desired_capacity = 1;
  Random random(1);
  const Plan plan = ReconcileAutoScalingGroup(snapshot, TimePoint{}, OriginPolicy(), random);
  const auto protection = ActionsOf<SetScaleInProtection>(plan);
  ASSERT_EQ(protection.size(), 2u);
  EXPECT_EQ(protection[0].instance_id, "i-busy");
  EXPECT_TRUE(protection[0].protected_from_scale_in);
  EXPECT_EQ(protection[1].instance_id, "i-idle");
  EXPECT_FALSE(protection[1].protected_from_scale_in);
  // Scale-in in the same round sees the new protection: the idle one goes.
  const auto terminated = ActionsOf<TerminateInstance>(plan);
  ASSERT_EQ(terminated.size(), 1u);
  EXPECT_EQ(terminated[0].instance_id, "i-idle");
}

TEST(AsgProtection, AllBusyMeansNothingTerminates) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {fixtures::ActiveInstance("i-1", "us-east-1a"),
                        fixtures::ActiveInstance("i-2", "us-east-1b")};
  snapshot.task_definitions = {fixtures::Definition("web", 256, 512)};
  snapshot.tasks = {fixtures::RunningTask("t1", "web", snapshot.instances[0]),
                    fixtures::RunningTask("t2", "web", snapshot.instances[1])};
  snapshot.group.desired_capacity = 1;
  Random random(1);
  const Plan plan = ReconcileAutoScalingGroup(snapshot, TimePoint{}, OriginPolicy(), random);
  EXPECT_TRUE(ActionsOf<TerminateInstance>(plan).empty());
  EXPECT_EQ(ActionsOf<SetScaleInProtection>(plan).size(), 2u);
}

TEST(AsgProtection, WithoutManagedProtectionBusyInstancesCanGo) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {fixtures::ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {fixtures::Definition("web", 256, 512)};
  snapshot.tasks = {fixtures::RunningTask("t1", "web", snapshot.instances[0])};
  snapshot.group.desired_capacity = 0;
  AsgPolicy policy = OriginPolicy();
  policy.managed_termination_protection = false;
  Random random(1);
  const Plan plan = ReconcileAutoScalingGroup(snapshot, TimePoint{}, policy, random);
  EXPECT_TRUE(ActionsOf<SetScaleInProtection>(plan).empty());
  ASSERT_EQ(ActionsOf<TerminateInstance>(plan).size(), 1u);
  const auto events = ActionsOf<EmitEvent>(plan);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].message, "Terminating EC2 instance: i-1");
}

}  // namespace
}  // namespace drydock::control

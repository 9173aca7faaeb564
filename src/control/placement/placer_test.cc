#include "control/placement/placer.h"

#include <gtest/gtest.h>

#include <map>

#include "control/harness/fixtures.h"
#include "control/placement/task_selection.h"

namespace drydock::control {
namespace {

using fixtures::ActiveInstance;
using fixtures::Definition;
using fixtures::RunningTask;
using state::NetworkMode;

constexpr char kUnable[] =
    "(service web) was unable to place a task because no container instance met all of its "
    "requirements.";

// Places `count` tasks of `service` in one plan; returns the instance ids ("" = not placed).
std::vector<std::string> PlaceMany(const state::Snapshot& snapshot, const std::string& service,
                                   const TaskNeeds& needs, const PlacementPolicy& policy, int count,
                                   uint64_t seed = 1, std::string* last_event = nullptr) {
  ClusterView view(snapshot);
  Random random(seed);
  std::vector<std::string> placed;
  for (int i = 0; i < count; ++i) {
    const PlacementResult result =
        ChooseInstanceForTask(view, PlacementRequest{service, needs, &policy}, random);
    placed.push_back(result.placed ? result.instance_id : "");
    if (!result.placed && last_event != nullptr) *last_event = result.event;
  }
  return placed;
}

std::map<std::string, int> Tally(const std::vector<std::string>& ids) {
  std::map<std::string, int> out;
  for (const std::string& id : ids) out[id]++;
  return out;
}

state::Snapshot ThreeInstancesTwoZones() {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-a1", "us-east-1a"), ActiveInstance("i-a2", "us-east-1a"),
                        ActiveInstance("i-b1", "us-east-1b")};
  snapshot.task_definitions = {Definition("web", 256, 512)};
  return snapshot;
}

const TaskNeeds kSmallBridge{256, 512, false, 0};

TEST(PlacementStrategies, DefaultSpreadsOverZonesThenInstances) {
  const auto placed =
      PlaceMany(ThreeInstancesTwoZones(), "web", kSmallBridge, DefaultServicePlacement(), 4);
  // Two per AZ; AZ b has one instance, so it takes both of its tasks.
  EXPECT_EQ(Tally(placed), (std::map<std::string, int>{{"i-a1", 1}, {"i-a2", 1}, {"i-b1", 2}}));
}

TEST(PlacementStrategies, SpreadCountsTasksAlreadyRunning) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  snapshot.tasks = {
      RunningTask("t1", "web", snapshot.instances[2]),  // AZ b
      RunningTask("t2", "web", snapshot.instances[2]),
      RunningTask("o1", "other", snapshot.instances[0])};  // other services don't count
  const auto placed = PlaceMany(snapshot, "web", kSmallBridge, DefaultServicePlacement(), 2);
  EXPECT_EQ(Tally(placed), (std::map<std::string, int>{{"i-a1", 1}, {"i-a2", 1}}));
}

TEST(PlacementStrategies, BinpackCpuChoosesLeastRemainingThatFits) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  snapshot.task_definitions = {Definition("big", 1536, 512)};
  snapshot.tasks = {RunningTask("t1", "big", snapshot.instances[1])};  // i-a2: 512 CPU left
  PlacementPolicy binpack;
  binpack.strategies = {*MakeStrategy("binpack", "cpu")};
  EXPECT_EQ(PlaceMany(snapshot, "web", TaskNeeds{256, 128, false, 0}, binpack, 1)[0], "i-a2");
  // 1024 units fit only on the empty instances; both tie, the seed decides.
  const std::string wide =
      PlaceMany(snapshot, "web", TaskNeeds{1024, 128, false, 0}, binpack, 1)[0];
  EXPECT_TRUE(wide == "i-a1" || wide == "i-b1") << wide;
  // Filling in one plan: 2 x 256 go to i-a2, the third elsewhere.
  const auto three = PlaceMany(snapshot, "web", TaskNeeds{256, 128, false, 0}, binpack, 3);
  EXPECT_EQ(three[0], "i-a2");
  EXPECT_EQ(three[1], "i-a2");
  EXPECT_NE(three[2], "i-a2");
  EXPECT_EQ(three[2], PlaceMany(snapshot, "web", TaskNeeds{256, 128, false, 0}, binpack, 3)[2]);
}

TEST(PlacementStrategies, BinpackMemory) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  snapshot.task_definitions = {Definition("big", 128, 3000)};
  snapshot.tasks = {RunningTask("t1", "big", snapshot.instances[2])};  // i-b1: 904 MiB left
  PlacementPolicy binpack;
  binpack.strategies = {*MakeStrategy("binpack", "memory")};
  const auto placed = PlaceMany(snapshot, "web", TaskNeeds{128, 400, false, 0}, binpack, 3);
  EXPECT_EQ(placed[0], "i-b1");
  EXPECT_EQ(placed[1], "i-b1");
  EXPECT_NE(placed[2], "i-b1");  // 104 MiB left there
}

TEST(PlacementStrategies, RandomUsesEveryInstanceAndReplaysFromTheSeed) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  for (int i = 0; i < 4; ++i) {
    snapshot.instances.push_back(
        ActiveInstance("i-" + std::to_string(i), "us-east-1a", "m5.4xlarge"));
  }
  PlacementPolicy random;
  random.strategies = {*MakeStrategy("random", "")};
  const TaskNeeds tiny{16, 16, false, 0};
  const auto first = PlaceMany(snapshot, "web", tiny, random, 200, 9);
  EXPECT_EQ(Tally(first).size(), 4u);
  EXPECT_EQ(first, PlaceMany(snapshot, "web", tiny, random, 200, 9));
  EXPECT_NE(first, PlaceMany(snapshot, "web", tiny, random, 200, 10));
}

TEST(PlacementStrategies, StrategyValidation) {
  EXPECT_FALSE(MakeStrategy("spread", "cpu").ok());
  EXPECT_FALSE(MakeStrategy("binpack", "instanceId").ok());
  EXPECT_FALSE(MakeStrategy("fastest", "").ok());
  EXPECT_TRUE(MakeStrategy("spread", "attribute:ecs.instance-type").ok());
  EXPECT_TRUE(MakeStrategy("spread", "host").ok());
}

TEST(PlacementConstraints, DistinctInstance) {
  PlacementPolicy policy = DefaultServicePlacement();
  policy.constraints = {*MakeConstraint("distinctInstance", "")};
  std::string event;
  const auto placed =
      PlaceMany(ThreeInstancesTwoZones(), "web", kSmallBridge, policy, 4, 1, &event);
  EXPECT_EQ(Tally(placed),
            (std::map<std::string, int>{{"", 1}, {"i-a1", 1}, {"i-a2", 1}, {"i-b1", 1}}));
  EXPECT_EQ(event, kUnable);  // resources fit: the bare documented form
}

TEST(PlacementConstraints, MemberOfInstanceType) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a", "t3.medium"),
                        ActiveInstance("i-2", "us-east-1a", "t3a.medium"),
                        ActiveInstance("i-3", "us-east-1b", "t2.medium")};
  PlacementPolicy policy = DefaultServicePlacement();
  policy.constraints = {*MakeConstraint("memberOf", "attribute:ecs.instance-type == t3a.medium")};
  EXPECT_EQ(Tally(PlaceMany(snapshot, "web", kSmallBridge, policy, 3)),
            (std::map<std::string, int>{{"i-2", 3}}));
  // "t3.*" is a prefix glob: t3.medium only, not t3a.medium.
  policy.constraints = {*MakeConstraint("memberOf", "attribute:ecs.instance-type =~ t3.*")};
  EXPECT_EQ(Tally(PlaceMany(snapshot, "web", kSmallBridge, policy, 2)),
            (std::map<std::string, int>{{"i-1", 2}}));
  policy.constraints = {
      *MakeConstraint("memberOf", "attribute:ecs.instance-type in [t2.medium, t3a.medium]")};
  EXPECT_EQ(Tally(PlaceMany(snapshot, "web", kSmallBridge, policy, 2)).count("i-1"), 0u);
}

TEST(PlacementConstraints, MemberOfAvailabilityZone) {
  PlacementPolicy policy = DefaultServicePlacement();
  policy.constraints = {
      *MakeConstraint("memberOf", "attribute:ecs.availability-zone == us-east-1b")};
  EXPECT_EQ(Tally(PlaceMany(ThreeInstancesTwoZones(), "web", kSmallBridge, policy, 3)),
            (std::map<std::string, int>{{"i-b1", 3}}));
  policy.constraints = {*MakeConstraint(
      "memberOf", "attribute:ecs.availability-zone != us-east-1b and ec2InstanceId != i-a1")};
  EXPECT_EQ(Tally(PlaceMany(ThreeInstancesTwoZones(), "web", kSmallBridge, policy, 2)),
            (std::map<std::string, int>{{"i-a2", 2}}));
  EXPECT_FALSE(MakeConstraint("memberOf", "attribute:ecs.instance-type").ok());
  EXPECT_FALSE(MakeConstraint("memberOf", "").ok());
  EXPECT_FALSE(MakeConstraint("distinctInstance", "x").ok());
}

TEST(PlacementNoFit, NoContainerInstances) {
  std::string event;
  PlaceMany(fixtures::EmptyCluster(), "web", kSmallBridge, DefaultServicePlacement(), 1, 1, &event);
  EXPECT_EQ(event,
            std::string(kUnable) + " Reason: No Container Instances were found in your cluster.");
}

TEST(PlacementNoFit, InsufficientCpu) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  std::string event;
  PlaceMany(snapshot, "web", TaskNeeds{4096, 512, false, 0}, DefaultServicePlacement(), 1, 1,
            &event);
  EXPECT_EQ(event, std::string(kUnable) +
                       " The closest matching container-instance ci-i-1 has insufficient CPU "
                       "units available.");
}

TEST(PlacementNoFit, InsufficientMemory) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  std::string event;
  // 4096 MiB never fits a t3.medium: it registers 3904, not the nominal 4096.
  PlaceMany(snapshot, "web", TaskNeeds{256, 4096, false, 0}, DefaultServicePlacement(), 1, 1,
            &event);
  EXPECT_EQ(event, std::string(kUnable) +
                       " The closest matching container-instance ci-i-1 has insufficient "
                       "memory available.");
}

TEST(PlacementNoFit, HostPortConflict) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a"), ActiveInstance("i-2", "us-east-1b")};
  snapshot.task_definitions = {Definition("web", 256, 512, NetworkMode::kHost, 80)};
  const TaskNeeds needs = NeedsOf(snapshot.task_definitions[0]);
  std::string event;
  const auto placed = PlaceMany(snapshot, "web", needs, DefaultServicePlacement(), 3, 1, &event);
  EXPECT_EQ(Tally(placed), (std::map<std::string, int>{{"", 1}, {"i-1", 1}, {"i-2", 1}}));
  EXPECT_EQ(event, std::string(kUnable) +
                       " The closest matching container-instance ci-i-1 is already using a port "
                       "required by your task.");
  // A task already holding the port on the snapshot blocks it as well.
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0])};
  EXPECT_EQ(PlaceMany(snapshot, "web", needs, DefaultServicePlacement(), 1)[0], "i-2");
}

TEST(PlacementNoFit, AgentReservedPortNeverPlaces) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  std::string event;
  PlaceMany(snapshot, "web", TaskNeeds{256, 512, false, 51678}, DefaultServicePlacement(), 1, 1,
            &event);
  EXPECT_NE(event.find("is already using a port required by your task."), std::string::npos);
}

TEST(PlacementNoFit, BridgeModeNeedsNoStaticPort) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {Definition("web", 256, 512, NetworkMode::kBridge, 80)};
  const auto placed = PlaceMany(snapshot, "web", NeedsOf(snapshot.task_definitions[0]),
                                DefaultServicePlacement(), 7);
  EXPECT_EQ(Tally(placed), (std::map<std::string, int>{{"i-1", 7}}));  // 3904 / 512 = 7
}

TEST(PlacementNoFit, EniExhaustionInAwsvpcMode) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a")};
  snapshot.task_definitions = {Definition("web", 256, 512, NetworkMode::kAwsvpc, 80)};
  std::string event;
  const auto placed = PlaceMany(snapshot, "web", NeedsOf(snapshot.task_definitions[0]),
                                DefaultServicePlacement(), 3, 1, &event);
  // t3.medium: 3 ENIs less the primary = 2 tasks, the same port on each ENI.
  EXPECT_EQ(Tally(placed), (std::map<std::string, int>{{"", 1}, {"i-1", 2}}));
  EXPECT_EQ(event, std::string(kUnable) +
                       " The closest matching container-instance ci-i-1 encountered error "
                       "\"RESOURCE:ENI\".");
}

TEST(PlacementNoFit, ClosestIsTheInstanceFailingFewestChecks) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a", "t3.micro"),     // fails CPU and memory
                        ActiveInstance("i-2", "us-east-1b", "t3.2xlarge")};  // fails memory only
  std::string event;
  PlaceMany(snapshot, "web", TaskNeeds{4096, 40000, false, 0}, DefaultServicePlacement(), 1, 1,
            &event);
  EXPECT_EQ(event, std::string(kUnable) +
                       " The closest matching container-instance ci-i-2 has insufficient memory "
                       "available.");
}

TEST(PlacementNoFit, OnlyActiveRunningInstancesAreCandidates) {
  state::Snapshot snapshot = fixtures::EmptyCluster();
  snapshot.instances = {ActiveInstance("i-1", "us-east-1a"), ActiveInstance("i-2", "us-east-1a"),
                        ActiveInstance("i-3", "us-east-1a")};
  snapshot.instances[0].container_status = state::ContainerInstanceStatus::kDraining;
  snapshot.instances[1].state = state::InstanceState::kShuttingDown;
  snapshot.instances[2].container_instance_arn.clear();  // not registered yet
  snapshot.instances[2].container_status = state::ContainerInstanceStatus::kRegistering;
  std::string event;
  PlaceMany(snapshot, "web", kSmallBridge, DefaultServicePlacement(), 1, 1, &event);
  EXPECT_NE(event.find("No Container Instances were found"), std::string::npos);
}

// ---- scale-in mirror ---------------------------------------------------------

std::vector<const state::Task*> Pointers(const state::Snapshot& snapshot) {
  std::vector<const state::Task*> out;
  for (const state::Task& task : snapshot.tasks) out.push_back(&task);
  return out;
}

TEST(PlacementScaleIn, StopsFromTheFullestZoneThenTheFullestInstance) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  const auto& a1 = snapshot.instances[0];
  const auto& a2 = snapshot.instances[1];
  const auto& b1 = snapshot.instances[2];
  snapshot.tasks = {RunningTask("t1", "web", a1), RunningTask("t2", "web", a1),
                    RunningTask("t3", "web", a2), RunningTask("t4", "web", b1)};
  Random random(1);
  const auto one = ChooseTasksToStop(StopCandidates(snapshot, Pointers(snapshot)), 1,
                                     DefaultServicePlacement(), random);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0] == "t1" || one[0] == "t2") << one[0];  // AZ a (3), instance i-a1 (2)
  const auto two = ChooseTasksToStop(StopCandidates(snapshot, Pointers(snapshot)), 2,
                                     DefaultServicePlacement(), random);
  ASSERT_EQ(two.size(), 2u);
  // After the first, AZ a still has 2 against 1: the second also comes from AZ a.
  EXPECT_NE(two[1], "t4");
}

TEST(PlacementScaleIn, UnplacedTasksGoFirst) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[0])};
  state::Task waiting;
  waiting.task_id = "t9";
  waiting.service = "web";
  waiting.task_definition = "web:1";
  snapshot.tasks.push_back(waiting);
  Random random(1);
  EXPECT_EQ(ChooseTasksToStop(StopCandidates(snapshot, Pointers(snapshot)), 1,
                              DefaultServicePlacement(), random),
            std::vector<std::string>{"t9"});
}

TEST(PlacementScaleIn, BinpackStopsWhereMostRemains) {
  state::Snapshot snapshot = ThreeInstancesTwoZones();
  snapshot.task_definitions = {Definition("web", 512, 512), Definition("big", 1024, 512)};
  snapshot.tasks = {RunningTask("t1", "web", snapshot.instances[0]),
                    RunningTask("b1", "big", snapshot.instances[0]),
                    RunningTask("t2", "web", snapshot.instances[1])};
  PlacementPolicy binpack;
  binpack.strategies = {*MakeStrategy("binpack", "cpu")};
  Random random(1);
  std::vector<const state::Task*> web = {&snapshot.tasks[0], &snapshot.tasks[2]};
  EXPECT_EQ(ChooseTasksToStop(StopCandidates(snapshot, web), 1, binpack, random),
            std::vector<std::string>{"t2"});
}

}  // namespace
}  // namespace drydock::control

#include "live/configure.h"

#include <gtest/gtest.h>

#include "config/spec/origin_fixture.h"
#include "control/harness/sim_cluster.h"

namespace drydock::live {
namespace {

config::Settings Origin() { return config::testing::OriginConfig("origin.tfvars").settings; }

TEST(ConfigureCluster, ANewStateDirectoryGetsTheConfiguredCluster) {
  Result<state::Snapshot> cluster = ConfigureCluster({}, Origin(), control::SimEpoch());
  ASSERT_TRUE(cluster.ok());
  EXPECT_EQ(cluster->identity.cluster_name, "production-cluster");
  EXPECT_EQ(cluster->services.size(), 2u);
  EXPECT_EQ(cluster->group.desired_capacity, 2);
}

TEST(ConfigureCluster, TheSameFileChangesNothing) {
  const state::Snapshot recorded = control::SnapshotFromSettings(Origin(), control::SimEpoch());
  std::vector<std::string> changes;
  Result<state::Snapshot> cluster =
      ConfigureCluster(recorded, Origin(), control::SimEpoch() + Seconds(60), &changes);
  ASSERT_TRUE(cluster.ok());
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ(cluster->services, recorded.services);
  EXPECT_EQ(cluster->task_definitions, recorded.task_definitions);
}

TEST(ConfigureCluster, AppliesSizesRevisionsNewAndRemovedServices) {
  const state::Snapshot recorded = control::SnapshotFromSettings(Origin(), control::SimEpoch());
  config::Settings edited = Origin();
  edited.asg_desired_capacity = 3;
  edited.services[0].command = {"./serve"};       // nginx: new revision
  edited.services[1] = config::testing::OriginService("worker", 120);  // api removed, worker new
  edited.services[1].desired_count = 1;
  std::vector<std::string> changes;
  Result<state::Snapshot> cluster =
      ConfigureCluster(recorded, edited, control::SimEpoch() + Seconds(60), &changes);
  ASSERT_TRUE(cluster.ok());
  EXPECT_EQ(cluster->group.desired_capacity, 3);
  EXPECT_EQ(cluster->FindService("nginx")->task_definition, "nginx:2");
  EXPECT_EQ(cluster->FindTaskDefinition("nginx:2")->container.command,
            std::vector<std::string>{"./serve"});
  EXPECT_NE(cluster->FindTaskDefinition("nginx:1"), nullptr);  // revisions are kept
  EXPECT_EQ(cluster->FindService("worker")->task_definition, "worker:1");
  EXPECT_EQ(cluster->FindService("worker")->desired_count, 1);
  EXPECT_EQ(cluster->FindService("api")->status, state::ServiceStatus::kDraining);
  EXPECT_EQ(cluster->FindService("api")->desired_count, 0);
  EXPECT_EQ(changes.size(), 5u);
}

TEST(ConfigureCluster, RefusesAnotherClustersStateDirectory) {
  const state::Snapshot recorded = control::SnapshotFromSettings(Origin(), control::SimEpoch());
  config::Settings other = Origin();
  other.cluster_name = "staging";
  Result<state::Snapshot> cluster = ConfigureCluster(recorded, other, control::SimEpoch());
  ASSERT_FALSE(cluster.ok());
  EXPECT_EQ(cluster.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(cluster.status().message().find("holds cluster production-cluster"), std::string::npos);
}

}  // namespace
}  // namespace drydock::live

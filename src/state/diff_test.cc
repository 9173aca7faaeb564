#include "state/diff.h"

#include <gtest/gtest.h>

namespace drydock::state {
namespace {

Snapshot Base() {
  Snapshot snapshot;
  snapshot.identity = {"c", "us-east-1"};
  snapshot.group = {"c-asg", 1, 3, 2};
  TaskDefinition definition;
  definition.family = "api";
  snapshot.task_definitions.push_back(definition);
  snapshot.services.push_back({"api", "api:1", 2, ServiceStatus::kActive, {}});
  Instance instance;
  instance.instance_id = "i-01";
  snapshot.instances.push_back(instance);
  Task task;
  task.task_id = "t1";
  task.service = "api";
  task.task_definition = "api:1";
  snapshot.tasks.push_back(task);
  Deployment deployment;
  deployment.id = "ecs-svc/1";
  deployment.service = "api";
  deployment.task_definition = "api:1";
  snapshot.deployments.push_back(deployment);
  snapshot.events.push_back({7, {}, "api", "old"});
  return snapshot;
}

TEST(DiffSnapshots, IdenticalSnapshotsChangeNothing) {
  EXPECT_TRUE(DiffSnapshots(Base(), Base()).empty());
}

TEST(DiffSnapshots, ChangedNewAndRemovedRows) {
  const Snapshot before = Base();
  Snapshot after = Base();
  after.group.desired_capacity = 3;
  after.tasks[0].last_status = TaskStatus::kRunning;
  Task second = after.tasks[0];
  second.task_id = "t2";
  after.tasks.push_back(second);
  after.instances.clear();
  TaskDefinition revision2 = after.task_definitions[0];
  revision2.revision = 2;
  after.task_definitions.push_back(revision2);
  after.events.push_back({0, {}, "api", "new"});

  const Changes changes = DiffSnapshots(before, after);
  ASSERT_TRUE(changes.group.has_value());
  EXPECT_EQ(changes.group->desired_capacity, 3);
  EXPECT_FALSE(changes.identity.has_value());
  ASSERT_EQ(changes.upsert_tasks.size(), 2u);
  EXPECT_EQ(changes.upsert_tasks[0].last_status, TaskStatus::kRunning);
  EXPECT_EQ(changes.upsert_tasks[1].task_id, "t2");
  EXPECT_EQ(changes.delete_instances, std::vector<std::string>{"i-01"});
  ASSERT_EQ(changes.register_task_definitions.size(), 1u);
  EXPECT_EQ(changes.register_task_definitions[0].revision, 2);
  ASSERT_EQ(changes.append_events.size(), 1u);
  EXPECT_EQ(changes.append_events[0].message, "new");
  EXPECT_TRUE(changes.upsert_services.empty());
  EXPECT_TRUE(changes.upsert_deployments.empty());
  EXPECT_TRUE(changes.delete_deployments.empty());
}

TEST(DiffSnapshots, DeploymentsAreDiffedById) {
  Snapshot before = Base();
  Deployment old_one = before.deployments[0];
  old_one.id = "ecs-svc/0";
  old_one.status = DeploymentStatus::kInactive;
  before.deployments.insert(before.deployments.begin(), old_one);
  Deployment unchanged = before.deployments[0];
  unchanged.id = "ecs-svc/same";
  before.deployments.push_back(unchanged);

  Snapshot after = before;
  // ecs-svc/0 goes, ecs-svc/1 fails, ecs-svc/2 is new, ecs-svc/same stays.
  after.deployments.erase(after.deployments.begin());
  after.deployments[0].rollout_state = RolloutState::kFailed;
  after.deployments[0].failed_tasks = 3;
  Deployment rollback = after.deployments[0];
  rollback.id = "ecs-svc/2";
  rollback.status = DeploymentStatus::kPrimary;
  rollback.rollout_state = RolloutState::kInProgress;
  rollback.rollback_of = "ecs-svc/1";
  after.deployments.push_back(rollback);

  const Changes changes = DiffSnapshots(before, after);
  ASSERT_EQ(changes.upsert_deployments.size(), 2u);
  EXPECT_EQ(changes.upsert_deployments[0].id, "ecs-svc/1");
  EXPECT_EQ(changes.upsert_deployments[0].rollout_state, RolloutState::kFailed);
  EXPECT_EQ(changes.upsert_deployments[0].failed_tasks, 3);
  EXPECT_EQ(changes.upsert_deployments[1].id, "ecs-svc/2");
  EXPECT_EQ(changes.upsert_deployments[1].rollback_of, "ecs-svc/1");
  EXPECT_EQ(changes.delete_deployments, std::vector<std::string>{"ecs-svc/0"});
  EXPECT_TRUE(changes.upsert_services.empty());
  EXPECT_TRUE(changes.delete_services.empty());
  EXPECT_TRUE(changes.upsert_tasks.empty());
  EXPECT_FALSE(changes.empty());
}

TEST(DiffSnapshots, NewTaskFieldsAreChanges) {
  const Snapshot before = Base();
  Snapshot after = Base();
  after.tasks[0].health_status = HealthStatus::kHealthy;
  Changes changes = DiffSnapshots(before, after);
  ASSERT_EQ(changes.upsert_tasks.size(), 1u);
  EXPECT_EQ(changes.upsert_tasks[0].health_status, HealthStatus::kHealthy);

  after = Base();
  after.tasks[0].started_by = "ecs-svc/1";
  changes = DiffSnapshots(before, after);
  ASSERT_EQ(changes.upsert_tasks.size(), 1u);
  EXPECT_EQ(changes.upsert_tasks[0].started_by, "ecs-svc/1");
}

TEST(DiffSnapshots, ChangesWithOnlyDeploymentsAreNotEmpty) {
  Changes upsert;
  upsert.upsert_deployments.push_back(Base().deployments[0]);
  EXPECT_FALSE(upsert.empty());
  Changes removal;
  removal.delete_deployments.push_back("ecs-svc/1");
  EXPECT_FALSE(removal.empty());
  EXPECT_TRUE(Changes{}.empty());
}

}  // namespace
}  // namespace drydock::state

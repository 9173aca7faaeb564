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
}

}  // namespace
}  // namespace drydock::state

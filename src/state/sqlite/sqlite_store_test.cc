#include "state/sqlite/sqlite_store.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file_mode_test_util.h"
#include "state/sqlite/database.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::state {
namespace {

using drydock::testing::ModeOf;

using store_testing::At;
using store_testing::MakeDeployment;
using store_testing::MakeInstance;
using store_testing::MakeService;
using store_testing::MakeTask;
using store_testing::MakeTaskDefinition;
using store_testing::TempDir;

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, SqliteStoreOptions options = {}) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::unique_ptr<SqliteStore> InMemory(const StoreOptions& options = {}) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::OpenInMemory(options);
  EXPECT_TRUE(store.ok()) << store.status().message();
  return store.ok() ? std::move(store).value() : nullptr;
}

// A complete cluster: identity, group, meta, a task definition, an instance,
// a service, two deployments (written newest first), a running task and a
// stopped one, and an event.
Changes FullChanges() {
  Changes changes;
  changes.identity = ClusterIdentity{"demo", "eu-west-3", "123456789012"};
  changes.group = AutoScalingGroup{"demo-asg", 1, 4, 2};
  changes.set_meta["config_path"] = "/home/me/terraform.tfvars";
  changes.register_task_definitions.push_back(MakeTaskDefinition("api", 1));
  changes.upsert_instances.push_back(MakeInstance("i-0123456789abcdef0", 1'700'000'000'000));
  changes.upsert_services.push_back(MakeService("api", "api:1"));
  Deployment primary = MakeDeployment("ecs-svc/2000000000000000002", "api", "api:1", 2'000);
  primary.status = DeploymentStatus::kPrimary;
  primary.rollout_state = RolloutState::kInProgress;
  primary.rollout_state_reason = "ECS deployment ecs-svc/2000000000000000002 in progress.";
  primary.failed_tasks = 1;
  changes.upsert_deployments.push_back(primary);
  changes.upsert_deployments.push_back(
      MakeDeployment("ecs-svc/1000000000000000001", "api", "api:1", 1'000));
  changes.upsert_tasks.push_back(MakeTask("0123456789abcdef0123456789abcdef", "api:1"));
  Task running = MakeTask("fedcba9876543210fedcba9876543210", "api:1");
  running.started_by = "ecs-svc/2000000000000000002";
  running.health_status = HealthStatus::kHealthy;
  running.last_status = TaskStatus::kRunning;
  running.desired_status = TaskStatus::kRunning;
  running.started_at = At(5);
  running.stopping_at.reset();
  running.stopped_at.reset();
  running.stop_code = StopCode::kNone;
  running.stopped_reason.clear();
  running.exit_code.reset();
  changes.upsert_tasks.push_back(running);
  changes.append_events.push_back(ServiceEvent{0, At(1'700'000'009'000), "api",
                                               "(service api) has reached a steady state."});
  return changes;
}

void ExpectSameTaskDefinition(const TaskDefinition& a, const TaskDefinition& b) {
  EXPECT_EQ(a.family, b.family);
  EXPECT_EQ(a.revision, b.revision);
  EXPECT_EQ(a.cpu_units, b.cpu_units);
  EXPECT_EQ(a.memory_mib, b.memory_mib);
  EXPECT_EQ(a.network_mode, b.network_mode);
  EXPECT_EQ(a.container.name, b.container.name);
  EXPECT_EQ(a.container.image, b.container.image);
  EXPECT_EQ(a.container.command, b.container.command);
  EXPECT_EQ(a.container.environment, b.container.environment);
  EXPECT_EQ(a.container.container_port, b.container.container_port);
  EXPECT_EQ(a.container.stop_timeout_seconds, b.container.stop_timeout_seconds);
  EXPECT_EQ(a.container.secrets, b.container.secrets);
  EXPECT_EQ(a.execution_role_arn, b.execution_role_arn);
}

void ExpectSameInstance(const Instance& a, const Instance& b) {
  EXPECT_EQ(a.instance_id, b.instance_id);
  EXPECT_EQ(a.instance_type, b.instance_type);
  EXPECT_EQ(a.availability_zone, b.availability_zone);
  EXPECT_EQ(a.lifecycle, b.lifecycle);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.launch_time, b.launch_time);
  EXPECT_EQ(a.state_changed_at, b.state_changed_at);
  EXPECT_EQ(a.protected_from_scale_in, b.protected_from_scale_in);
  EXPECT_EQ(a.container_instance_arn, b.container_instance_arn);
  EXPECT_EQ(a.container_status, b.container_status);
  EXPECT_EQ(a.registered.cpu_units, b.registered.cpu_units);
  EXPECT_EQ(a.registered.memory_mib, b.registered.memory_mib);
  EXPECT_EQ(a.registered.enis, b.registered.enis);
  EXPECT_EQ(a.reserved_host_ports, b.reserved_host_ports);
}

void ExpectSameTask(const Task& a, const Task& b) {
  EXPECT_EQ(a.task_id, b.task_id);
  EXPECT_EQ(a.service, b.service);
  EXPECT_EQ(a.task_definition, b.task_definition);
  EXPECT_EQ(a.instance_id, b.instance_id);
  EXPECT_EQ(a.availability_zone, b.availability_zone);
  EXPECT_EQ(a.last_status, b.last_status);
  EXPECT_EQ(a.desired_status, b.desired_status);
  EXPECT_EQ(a.host_port, b.host_port);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(a.stopping_at, b.stopping_at);
  EXPECT_EQ(a.stopped_at, b.stopped_at);
  EXPECT_EQ(a.stop_code, b.stop_code);
  EXPECT_EQ(a.stopped_reason, b.stopped_reason);
  EXPECT_EQ(a.exit_code, b.exit_code);
  EXPECT_EQ(a.pid, b.pid);
  EXPECT_EQ(a.pid_start_ticks, b.pid_start_ticks);
  EXPECT_EQ(a.started_by, b.started_by);
  EXPECT_EQ(a.health_status, b.health_status);
}

void ExpectSameDeployment(const Deployment& a, const Deployment& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.service, b.service);
  EXPECT_EQ(a.task_definition, b.task_definition);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.rollout_state, b.rollout_state);
  EXPECT_EQ(a.rollout_state_reason, b.rollout_state_reason);
  EXPECT_EQ(a.failed_tasks, b.failed_tasks);
  EXPECT_EQ(a.rollback_of, b.rollback_of);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  EXPECT_TRUE(a == b) << a.id;  // catches a field added to Deployment but not stored
}

// Everything FullChanges() wrote, as Load() returns it.
void ExpectFullSnapshot(const Snapshot& snapshot, const Changes& written) {
  EXPECT_EQ(snapshot.identity.cluster_name, "demo");
  EXPECT_EQ(snapshot.identity.region, "eu-west-3");
  EXPECT_EQ(snapshot.identity.account_id, "123456789012");
  EXPECT_EQ(snapshot.group.name, "demo-asg");
  EXPECT_EQ(snapshot.group.min_size, 1);
  EXPECT_EQ(snapshot.group.max_size, 4);
  EXPECT_EQ(snapshot.group.desired_capacity, 2);
  ASSERT_EQ(snapshot.task_definitions.size(), 1u);
  ExpectSameTaskDefinition(snapshot.task_definitions[0], written.register_task_definitions[0]);
  ASSERT_EQ(snapshot.instances.size(), 1u);
  ExpectSameInstance(snapshot.instances[0], written.upsert_instances[0]);
  ASSERT_EQ(snapshot.services.size(), 1u);
  const Service& service = snapshot.services[0];
  EXPECT_EQ(service.name, "api");
  EXPECT_EQ(service.task_definition, "api:1");
  EXPECT_EQ(service.desired_count, 3);
  EXPECT_EQ(service.status, ServiceStatus::kDraining);
  EXPECT_EQ(service.created_at, written.upsert_services[0].created_at);
  // By creation time, not in the order written.
  ASSERT_EQ(snapshot.deployments.size(), 2u);
  ExpectSameDeployment(snapshot.deployments[0], written.upsert_deployments[1]);
  ExpectSameDeployment(snapshot.deployments[1], written.upsert_deployments[0]);
  ASSERT_EQ(snapshot.tasks.size(), 2u);
  ExpectSameTask(snapshot.tasks[0], written.upsert_tasks[0]);
  ExpectSameTask(snapshot.tasks[1], written.upsert_tasks[1]);
  EXPECT_TRUE(snapshot.tasks[0] == written.upsert_tasks[0]);
  EXPECT_TRUE(snapshot.tasks[1] == written.upsert_tasks[1]);
}

TEST(StoreTest, RoundTripsEveryField) {
  TempDir dir;
  auto store = OpenOrDie(dir.Join("state.db"));
  ASSERT_NE(store, nullptr);
  Changes changes = FullChanges();
  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  ASSERT_EQ(applied->event_ids.size(), 1u);

  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ExpectFullSnapshot(*snapshot, changes);
  // And again from a new connection, to read from the file and not a cache.
  store.reset();
  store = OpenOrDie(dir.Join("state.db"));
  snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ExpectFullSnapshot(*snapshot, changes);

  Result<std::optional<std::string>> config = store->GetMeta(kMetaConfigPath);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->value_or(""), "/home/me/terraform.tfvars");
  Result<std::vector<ServiceEvent>> events = store->ListEvents(EventQuery{"api"});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].id, applied->event_ids[0]);
  EXPECT_EQ((*events)[0].created_at, changes.append_events[0].created_at);
  EXPECT_EQ((*events)[0].service, "api");
  EXPECT_EQ((*events)[0].message, changes.append_events[0].message);
}

TEST(StoreTest, EmptyDatabaseLoadsDefaults) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::OpenInMemory();
  ASSERT_TRUE(store.ok()) << store.status().message();
  Result<Snapshot> snapshot = (*store)->Load();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->identity.cluster_name, "");
  EXPECT_EQ(snapshot->group.desired_capacity, 0);
  EXPECT_TRUE(snapshot->instances.empty());
  EXPECT_TRUE(snapshot->deployments.empty());
  EXPECT_TRUE(snapshot->tasks.empty());
  Result<std::optional<std::string>> seed = (*store)->GetMeta(kMetaSeed);
  ASSERT_TRUE(seed.ok());
  EXPECT_FALSE(seed->has_value());
}

TEST(StoreTest, UpsertReplacesAndDeleteRemoves) {
  auto store = InMemory();
  ASSERT_TRUE(store->Apply(FullChanges()).ok());
  Changes update;
  Task task = MakeTask("0123456789abcdef0123456789abcdef", "api:1");
  task.last_status = TaskStatus::kDeprovisioning;
  task.exit_code.reset();
  task.stopped_at.reset();
  update.upsert_tasks.push_back(task);
  update.delete_tasks.push_back("fedcba9876543210fedcba9876543210");
  update.delete_tasks.push_back("no-such-task");  // a no-op
  update.delete_meta.push_back("config_path");
  ASSERT_TRUE(store->Apply(update).ok());

  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->tasks.size(), 1u);
  ExpectSameTask(snapshot->tasks[0], task);
  EXPECT_FALSE(store->GetMeta(kMetaConfigPath)->has_value());

  Changes removal;
  removal.delete_services.push_back("api");
  removal.delete_instances.push_back("i-0123456789abcdef0");
  ASSERT_TRUE(store->Apply(removal).ok());
  snapshot = store->Load();
  EXPECT_TRUE(snapshot->services.empty());
  EXPECT_TRUE(snapshot->instances.empty());
}

TEST(StoreTest, DeploymentUpsertReplacesAndDeleteRemoves) {
  auto store = InMemory();
  const Changes full = FullChanges();
  ASSERT_TRUE(store->Apply(full).ok());

  // Changes that hold nothing but deployment upserts or deletes are applied
  // (Changes::empty() must count them).
  Deployment completed = full.upsert_deployments[0];
  completed.status = DeploymentStatus::kInactive;
  completed.rollout_state = RolloutState::kCompleted;
  completed.rollout_state_reason = "ECS deployment completed.";
  completed.failed_tasks = 0;
  completed.rollback_of.clear();
  completed.updated_at = At(9'000);
  Changes upsert;
  upsert.upsert_deployments.push_back(completed);
  ASSERT_FALSE(upsert.empty());
  Result<AppliedChanges> applied = store->Apply(upsert);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->deployments.size(), 2u);
  ExpectSameDeployment(snapshot->deployments[1], completed);

  Changes removal;
  removal.delete_deployments.push_back(full.upsert_deployments[1].id);
  removal.delete_deployments.push_back("ecs-svc/0");  // a no-op
  ASSERT_FALSE(removal.empty());
  applied = store->Apply(removal);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->deployments.size(), 1u);
  EXPECT_EQ(snapshot->deployments[0].id, completed.id);
  ASSERT_NE(snapshot->FindDeployment(completed.id), nullptr);
  EXPECT_EQ(snapshot->FindDeployment(full.upsert_deployments[1].id), nullptr);

  // Deletes come after upserts: a deployment upserted and deleted in one
  // Changes is gone, and its service can go with it.
  Changes both;
  both.upsert_deployments.push_back(completed);
  both.delete_deployments.push_back(completed.id);
  both.delete_services.push_back("api");
  applied = store->Apply(both);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_TRUE(snapshot->deployments.empty());
  EXPECT_TRUE(snapshot->services.empty());
}

TEST(StoreTest, DeploymentMayReferToWhatTheSameChangesCreates) {
  auto store = InMemory();
  Changes changes;
  changes.register_task_definitions.push_back(MakeTaskDefinition("web", 1));
  changes.upsert_services.push_back(MakeService("web", "web:1"));
  changes.upsert_deployments.push_back(
      MakeDeployment("ecs-svc/3000000000000000003", "web", "web:1", 5));
  Task task = MakeTask("abcdef", "web:1");
  task.service = "web";
  task.started_by = "ecs-svc/3000000000000000003";
  changes.upsert_tasks.push_back(task);
  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->deployments.size(), 1u);
  ExpectSameDeployment(snapshot->deployments[0], changes.upsert_deployments[0]);
  ASSERT_EQ(snapshot->tasks.size(), 1u);
  EXPECT_EQ(snapshot->tasks[0].started_by, "ecs-svc/3000000000000000003");
}

TEST(StoreTest, RefusesDeploymentOfUnknownTaskDefinitionAndAppliesNothing) {
  auto store = InMemory();
  ASSERT_TRUE(store->Apply(FullChanges()).ok());
  Changes changes;
  changes.upsert_services.push_back(MakeService("other", "api:1"));
  changes.upsert_deployments.push_back(
      MakeDeployment("ecs-svc/4000000000000000004", "api", "api:7", 7'000));
  changes.append_events.push_back(ServiceEvent{0, At(1), "other", "never saved"});
  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("deployment ecs-svc/4000000000000000004 refers to "
                                            "task definition api:7, which is not registered"),
            std::string::npos)
      << applied.status().message();

  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  EXPECT_EQ(snapshot->deployments.size(), 2u);
  EXPECT_EQ(snapshot->FindDeployment("ecs-svc/4000000000000000004"), nullptr);
  EXPECT_EQ(snapshot->FindService("other"), nullptr);
  EXPECT_EQ(store->ListEvents(EventQuery{"other"})->size(), 0u);
}

TEST(StoreTest, RefusesDeploymentOfUnknownService) {
  auto store = InMemory();
  ASSERT_TRUE(store->Apply(FullChanges()).ok());
  Changes changes;
  changes.upsert_deployments.push_back(
      MakeDeployment("ecs-svc/5000000000000000005", "worker", "api:1", 7'000));
  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("deployment ecs-svc/5000000000000000005 refers to "
                                            "service worker, which does not exist"),
            std::string::npos)
      << applied.status().message();
  EXPECT_EQ(store->Load()->deployments.size(), 2u);
}

TEST(StoreTest, InvalidStoredDeploymentAndTaskValuesNameTheRow) {
  struct Case {
    const char* sql;
    const char* expected;
  };
  const Case cases[] = {
      {"UPDATE deployments SET rollout_state = 'DONE' WHERE id = 'ecs-svc/1000000000000000001'",
       "deployments.rollout_state of ecs-svc/1000000000000000001: 'DONE'"},
      {"UPDATE deployments SET status = 'UNKNOWN' WHERE id = 'ecs-svc/2000000000000000002'",
       "deployments.status of ecs-svc/2000000000000000002: 'UNKNOWN'"},
      {"UPDATE tasks SET health_status = 'healthy' WHERE task_id = "
       "'fedcba9876543210fedcba9876543210'",
       "tasks.health_status of fedcba9876543210fedcba9876543210: 'healthy'"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const std::string path = dir.Join("state.db");
    auto store = OpenOrDie(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Apply(FullChanges()).ok());
    {
      Result<std::unique_ptr<sqlite::Database>> raw = sqlite::Database::Open(path, false, 1000);
      ASSERT_TRUE(raw.ok()) << raw.status().message();
      ASSERT_TRUE((*raw)->Exec(c.sql).ok()) << c.sql;
    }
    Result<Snapshot> snapshot = store->Load();
    ASSERT_FALSE(snapshot.ok()) << c.sql;
    EXPECT_EQ(snapshot.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(snapshot.status().message().find(c.expected), std::string::npos)
        << snapshot.status().message();
  }
}

TEST(StoreTest, FailingStatementInTheMiddleAppliesNothing) {
  auto store = InMemory();
  ASSERT_TRUE(store->Apply(FullChanges()).ok());
  Changes changes;
  changes.group = AutoScalingGroup{"other", 0, 9, 9};
  changes.set_meta["seed"] = "7";
  changes.register_task_definitions.push_back(MakeTaskDefinition("web", 0));
  changes.upsert_instances.push_back(MakeInstance("i-0fffffffffffffff0", 1));
  changes.upsert_services.push_back(MakeService("web", "web:1"));
  changes.upsert_services.push_back(MakeService("worker", "worker:3"));  // never registered
  changes.append_events.push_back(ServiceEvent{0, At(1), "web", "never saved"});

  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(applied.status().message().find("service worker refers to task definition "
                                            "worker:3, which is not registered"),
            std::string::npos)
      << applied.status().message();

  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->group.name, "demo-asg");
  EXPECT_EQ(snapshot->task_definitions.size(), 1u);
  EXPECT_EQ(snapshot->instances.size(), 1u);
  EXPECT_EQ(snapshot->services.size(), 1u);
  EXPECT_FALSE(store->GetMeta(kMetaSeed)->has_value());
  EXPECT_EQ(store->ListEvents(EventQuery{"web"})->size(), 0u);

  // The store is usable afterwards: the same changes minus the bad service.
  changes.upsert_services.pop_back();
  ASSERT_TRUE(store->Apply(changes).ok());
  EXPECT_EQ(store->Load()->services.size(), 2u);
}

TEST(StoreTest, TaskDefinitionRevisionsAreAppendOnly) {
  auto store = InMemory();
  Changes first;
  first.register_task_definitions = {MakeTaskDefinition("api", 0), MakeTaskDefinition("api", 0),
                                     MakeTaskDefinition("web", 1)};
  Result<AppliedChanges> applied = store->Apply(first);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  ASSERT_EQ(applied->task_definitions.size(), 3u);
  EXPECT_EQ(applied->task_definitions[0].FamilyRevision(), "api:1");
  EXPECT_EQ(applied->task_definitions[1].FamilyRevision(), "api:2");
  EXPECT_EQ(applied->task_definitions[2].FamilyRevision(), "web:1");

  // An explicit revision must be the next one, which lets a service in the
  // same Changes refer to it.
  Changes next;
  next.register_task_definitions = {MakeTaskDefinition("api", 3)};
  next.upsert_services = {MakeService("api", "api:3")};
  ASSERT_TRUE(store->Apply(next).ok());

  Changes again;
  again.register_task_definitions = {MakeTaskDefinition("api", 2)};
  Result<AppliedChanges> duplicate = store->Apply(again);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("api:2 is already registered"), std::string::npos);
  again.register_task_definitions = {MakeTaskDefinition("api", 9)};
  Result<AppliedChanges> gap = store->Apply(again);
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.status().message().find("the next revision of api is api:4"), std::string::npos)
      << gap.status().message();

  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->task_definitions.size(), 4u);
  EXPECT_EQ(snapshot->task_definitions[2].FamilyRevision(), "api:3");
  EXPECT_EQ(NextTaskDefinitionRevision(*snapshot, "api"), 4);
  EXPECT_EQ(NextTaskDefinitionRevision(*snapshot, "new"), 1);
}

TEST(StoreTest, RejectsMalformedTaskDefinitionReference) {
  auto store = InMemory();
  Changes changes;
  changes.upsert_tasks.push_back(MakeTask("abc", "api"));
  Result<AppliedChanges> applied = store->Apply(changes);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(applied.status().message().find("task abc has task definition 'api'"),
            std::string::npos);
}

TEST(StoreTest, EventsAreTrimmedPerServiceAndListedNewestLast) {
  StoreOptions options;
  options.events_kept_per_service = 5;
  auto store = InMemory(options);
  for (int i = 0; i < 8; ++i) {
    Changes changes;
    changes.append_events.push_back(ServiceEvent{0, At(i), "api", "api " + std::to_string(i)});
    changes.append_events.push_back(ServiceEvent{0, At(i), "web", "web " + std::to_string(i)});
    if (i < 2) changes.append_events.push_back(ServiceEvent{0, At(i), "", "cluster"});
    ASSERT_TRUE(store->Apply(changes).ok());
  }
  Result<std::vector<ServiceEvent>> api = store->ListEvents(EventQuery{"api", 0});
  ASSERT_TRUE(api.ok());
  ASSERT_EQ(api->size(), 5u);
  EXPECT_EQ(api->front().message, "api 3");
  EXPECT_EQ(api->back().message, "api 7");
  for (size_t i = 1; i < api->size(); ++i) EXPECT_GT((*api)[i].id, (*api)[i - 1].id);

  Result<std::vector<ServiceEvent>> newest = store->ListEvents(EventQuery{"api", 2});
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].message, "api 6");
  EXPECT_EQ((*newest)[1].message, "api 7");

  EXPECT_EQ(store->ListEvents(EventQuery{"", 0})->size(), 2u);  // cluster-level only
  EXPECT_EQ(store->ListEvents(EventQuery{std::nullopt, 0})->size(), 12u);
  // Following: only what came after an id already seen.
  Result<std::vector<ServiceEvent>> after =
      store->ListEvents(EventQuery{"web", 0, (*newest)[0].id});
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].message, "web 6");  // appended just after "api 6"
  EXPECT_EQ((*after)[1].message, "web 7");
}

TEST(StoreTest, SnapshotCarriesRecentEventsOfServicesAndCluster) {
  auto store = InMemory();
  Changes setup;
  setup.register_task_definitions.push_back(MakeTaskDefinition("api", 1));
  setup.upsert_services.push_back(MakeService("api", "api:1"));
  ASSERT_TRUE(store->Apply(setup).ok());
  for (int i = 0; i < 120; ++i) {
    Changes changes;
    changes.append_events.push_back(ServiceEvent{0, At(i), "api", "api " + std::to_string(i)});
    if (i % 40 == 0) changes.append_events.push_back(ServiceEvent{0, At(i), "", "cluster"});
    changes.append_events.push_back(ServiceEvent{0, At(i), "gone", "not a service"});
    ASSERT_TRUE(store->Apply(changes).ok());
  }
  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  // The newest 100 of api, all 3 cluster events; events of unknown services are not loaded.
  ASSERT_EQ(snapshot->events.size(), 103u);
  for (size_t i = 1; i < snapshot->events.size(); ++i) {
    EXPECT_GT(snapshot->events[i].id, snapshot->events[i - 1].id);
  }
  EXPECT_EQ(snapshot->events.back().message, "api 119");
}

TEST(StoreTest, ListsTasksByServiceAndStatus) {
  auto store = InMemory();
  Changes changes = FullChanges();
  Task web = MakeTask("aaaa", "api:1");
  web.service = "web";
  web.last_status = TaskStatus::kRunning;
  changes.upsert_tasks.push_back(web);
  ASSERT_TRUE(store->Apply(changes).ok());

  auto running = store->ListTasks(TaskQuery{std::nullopt, TaskStatus::kRunning});
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->size(), 2u);
  // Same creation time: ordered by task id.
  EXPECT_EQ((*running)[0].task_id, "aaaa");
  EXPECT_EQ((*running)[1].task_id, "fedcba9876543210fedcba9876543210");
  auto api_running = store->ListTasks(TaskQuery{"api", TaskStatus::kRunning});
  ASSERT_EQ(api_running->size(), 1u);
  EXPECT_EQ(store->ListTasks(TaskQuery{"api", std::nullopt})->size(), 2u);
  EXPECT_EQ(store->ListTasks(TaskQuery{"api", TaskStatus::kPending})->size(), 0u);
  EXPECT_EQ(store->ListTasks(TaskQuery{})->size(), 3u);
}

TEST(StoreTest, MetaSetAndOverwrite) {
  auto store = InMemory();
  ASSERT_TRUE(store->SetMeta(kMetaControlPid, "1234").ok());
  ASSERT_TRUE(store->SetMeta(kMetaControlPid, "5678").ok());
  EXPECT_EQ(store->GetMeta(kMetaControlPid)->value_or(""), "5678");
}

TEST(StoreTest, FilesAreCreatedPrivate) {
  TempDir dir;
  mode_t old_umask = umask(0);  // the widest umask: modes must not depend on it
  auto store = OpenOrDie(dir.Join("state.db"));
  umask(old_umask);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Apply(FullChanges()).ok());
  EXPECT_EQ(ModeOf(dir.Join("state.db")), 0600u);
  EXPECT_EQ(ModeOf(dir.Join("state.db-wal")), 0600u);
  EXPECT_EQ(ModeOf(dir.Join("state.db-shm")), 0600u);
}

TEST(StoreTest, TightensAnExistingDatabaseFile) {
  TempDir dir;
  { auto store = OpenOrDie(dir.Join("state.db")); }
  ASSERT_EQ(chmod(dir.Join("state.db").c_str(), 0644), 0);
  auto store = OpenOrDie(dir.Join("state.db"));
  EXPECT_EQ(ModeOf(dir.Join("state.db")), 0600u);
}

TEST(StoreTest, CommittedDataSurvivesACrash) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes, then dies without closing anything, like kill -9.
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
    if (!store.ok() || !(*store)->Apply(FullChanges()).ok()) _exit(1);
    raise(SIGKILL);
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
  // The commit is still only in the write-ahead log: no checkpoint ran.
  EXPECT_EQ(access((path + "-wal").c_str(), F_OK), 0);

  auto store = OpenOrDie(path);
  ASSERT_NE(store, nullptr);
  Result<Snapshot> snapshot = store->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ExpectFullSnapshot(*snapshot, FullChanges());
}

TEST(StoreTest, ReadOnlyOpenReadsButNeverWrites) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  SqliteStoreOptions read_only;
  read_only.read_only = true;
  Result<std::unique_ptr<SqliteStore>> missing = SqliteStore::Open(path, read_only);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("drydock up"), std::string::npos);
  EXPECT_NE(access(path.c_str(), F_OK), 0) << "a read-only open must not create the file";

  auto writer = OpenOrDie(path);
  ASSERT_TRUE(writer->Apply(FullChanges()).ok());
  auto reader = OpenOrDie(path, read_only);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->Load()->tasks.size(), 2u);
  Result<AppliedChanges> write = reader->Apply(FullChanges());
  ASSERT_FALSE(write.ok());
  EXPECT_NE(write.status().message().find("read-only"), std::string::npos);
  // The reader sees the writer's later commits.
  ASSERT_TRUE(writer->SetMeta(kMetaSeed, "42").ok());
  EXPECT_EQ(reader->GetMeta(kMetaSeed)->value_or(""), "42");
}

TEST(StoreTest, ParsesFamilyRevision) {
  std::string family;
  int revision = 0;
  EXPECT_TRUE(ParseFamilyRevision("api:12", &family, &revision));
  EXPECT_EQ(family, "api");
  EXPECT_EQ(revision, 12);
  for (const char* bad : {"api", "api:", ":3", "api:0", "api:-1", "api:3x", "api:99999999999"}) {
    EXPECT_FALSE(ParseFamilyRevision(bad, &family, &revision)) << bad;
  }
}

}  // namespace
}  // namespace drydock::state

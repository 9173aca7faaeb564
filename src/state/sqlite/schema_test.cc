#include "state/sqlite/schema.h"

#include <fstream>

#include <gtest/gtest.h>

#include "state/sqlite/sqlite_store.h"
#include "state/sqlite/store_test_util.h"

namespace drydock::state::sqlite {
namespace {

using state::store_testing::TempDir;

std::unique_ptr<Database> OpenRaw(const std::string& path) {
  Result<std::unique_ptr<Database>> database = Database::Open(path, false, 1000);
  EXPECT_TRUE(database.ok()) << database.status().message();
  return database.ok() ? std::move(database).value() : nullptr;
}

int64_t Pragma(Database& database, const char* name) {
  Result<int64_t> value = database.PragmaInt(name);
  EXPECT_TRUE(value.ok()) << value.status().message();
  return value.ok() ? *value : -1;
}

bool HasTable(Database& database, const std::string& name) {
  Result<Statement> statement =
      database.Prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  EXPECT_TRUE(statement.ok());
  statement->Bind(1, name);
  Result<bool> row = statement->Step();
  return row.ok() && *row;
}

bool Contains(const Status& status, const std::string& text) {
  return status.message().find(text) != std::string::npos;
}

constexpr Migration kV1 = {1, "create t1", "CREATE TABLE t1 (a INTEGER);"};
constexpr Migration kV2 = {2, "create t2", "CREATE TABLE t2 (b TEXT); ALTER TABLE t1 ADD c;"};
constexpr Migration kV3Broken = {3, "break",
                                 "CREATE TABLE t3 (x); INSERT INTO nowhere VALUES (1);"};

TEST(StoreSchemaTest, MigrationsAreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const Migration& migration : Migrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_NE(std::string(migration.description), "");
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
}

TEST(StoreSchemaTest, FreshDatabaseGetsTheLatestSchema) {
  TempDir dir;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir.Join("state.db"));
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->SchemaVersion().value(), LatestSchemaVersion());
  store->reset();
  auto database = OpenRaw(dir.Join("state.db"));
  EXPECT_EQ(Pragma(*database, "application_id"), kApplicationId);
  for (const char* table : {"meta", "cluster", "auto_scaling_group", "instances",
                            "task_definitions", "services", "deployments", "tasks", "events"}) {
    EXPECT_TRUE(HasTable(*database, table)) << table;
  }
}

TEST(StoreSchemaTest, MigratesAnOlderDatabaseKeepingItsData) {
  TempDir dir;
  auto database = OpenRaw(dir.Join("state.db"));
  const Migration v1_only[] = {kV1};
  ASSERT_TRUE(Migrate(*database, v1_only).ok());
  EXPECT_EQ(Pragma(*database, "user_version"), 1);
  ASSERT_TRUE(database->Exec("INSERT INTO t1 (a) VALUES (7)").ok());

  const Migration v1_v2[] = {kV1, kV2};
  Status status = Migrate(*database, v1_v2);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(Pragma(*database, "user_version"), 2);
  EXPECT_TRUE(HasTable(*database, "t2"));
  Result<Statement> kept = database->Prepare("SELECT a FROM t1");
  ASSERT_TRUE(kept->Step().value());
  EXPECT_EQ(kept->Int(0), 7);
}

// A database written by a drydock whose schema stopped at migration 1: its
// tasks and task definitions load with the defaults of the columns migrations
// 2 and 3 add, and the deployments table is there to be written.
TEST(StoreSchemaTest, MigratesAVersion1DatabaseToDeployments) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  {
    auto database = OpenRaw(path);
    ASSERT_NE(database, nullptr);
    Status migrated = Migrate(*database, Migrations().first(1));
    ASSERT_TRUE(migrated.ok()) << migrated.message();
    EXPECT_EQ(Pragma(*database, "user_version"), 1);
    EXPECT_FALSE(HasTable(*database, "deployments"));
    Status inserted = database->Exec(
        "INSERT INTO task_definitions (family, revision, cpu_units, memory_mib, network_mode, "
        "container_name, image, command, environment, container_port, stop_timeout_seconds) "
        "VALUES ('api', 1, 256, 512, 'bridge', 'api', 'local/api', '[]', '{}', 8080, 30);"
        "INSERT INTO services (name, task_definition_family, task_definition_revision, "
        "desired_count, status, created_at_ms) VALUES ('api', 'api', 1, 1, 'ACTIVE', 10);"
        "INSERT INTO tasks (task_id, service, task_definition_family, task_definition_revision, "
        "instance_id, availability_zone, last_status, desired_status, host_port, created_at_ms, "
        "started_at_ms, stopping_at_ms, stopped_at_ms, stop_code, stopped_reason, exit_code, "
        "pid, pid_start_ticks) VALUES ('0123456789abcdef0123456789abcdef', 'api', 'api', 1, "
        "'i-0123456789abcdef0', 'us-east-1a', 'RUNNING', 'RUNNING', 32768, 20, 30, NULL, NULL, "
        "'', '', NULL, 4242, 99)");
    ASSERT_TRUE(inserted.ok()) << inserted.message();
  }

  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->SchemaVersion().value(), 3);
  EXPECT_EQ(LatestSchemaVersion(), 3);
  Result<Snapshot> snapshot = (*store)->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->tasks.size(), 1u);
  const Task& task = snapshot->tasks[0];
  EXPECT_EQ(task.task_id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(task.last_status, TaskStatus::kRunning);
  EXPECT_EQ(task.task_definition, "api:1");
  EXPECT_EQ(task.pid, 4242);
  EXPECT_EQ(task.started_by, "");
  EXPECT_EQ(task.health_status, HealthStatus::kUnknown);
  EXPECT_TRUE(snapshot->deployments.empty());
  // Migration 3: revisions registered before it have no secrets and no role.
  ASSERT_EQ(snapshot->task_definitions.size(), 1u);
  EXPECT_TRUE(snapshot->task_definitions[0].container.secrets.empty());
  EXPECT_EQ(snapshot->task_definitions[0].execution_role_arn, "");

  // The migrated database takes deployments and the new task fields.
  Changes changes;
  Deployment deployment;
  deployment.id = "ecs-svc/1234567890123456789";
  deployment.service = "api";
  deployment.task_definition = "api:1";
  deployment.created_at = TimePoint(Duration(40));
  changes.upsert_deployments.push_back(deployment);
  Task updated = task;
  updated.started_by = deployment.id;
  updated.health_status = HealthStatus::kHealthy;
  changes.upsert_tasks.push_back(updated);
  Result<AppliedChanges> applied = (*store)->Apply(changes);
  ASSERT_TRUE(applied.ok()) << applied.status().message();
  snapshot = (*store)->Load();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  ASSERT_EQ(snapshot->deployments.size(), 1u);
  EXPECT_TRUE(snapshot->deployments[0] == deployment);
  ASSERT_EQ(snapshot->tasks.size(), 1u);
  EXPECT_TRUE(snapshot->tasks[0] == updated);

  // A reader of the migrated file accepts its version.
  store->reset();
  SqliteStoreOptions read_only;
  read_only.read_only = true;
  Result<std::unique_ptr<SqliteStore>> reader = SqliteStore::Open(path, read_only);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->Load()->deployments.size(), 1u);
}

TEST(StoreSchemaTest, ReadOnlyOpenOfAVersion1DatabaseAsksToMigrate) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  {
    auto database = OpenRaw(path);
    ASSERT_NE(database, nullptr);
    ASSERT_TRUE(Migrate(*database, Migrations().first(1)).ok());
  }
  SqliteStoreOptions read_only;
  read_only.read_only = true;
  Result<std::unique_ptr<SqliteStore>> reader = SqliteStore::Open(path, read_only);
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(Contains(reader.status(), "has schema version 1 and this drydock needs 3"))
      << reader.status().message();
}

TEST(StoreSchemaTest, FailedMigrationLeavesTheOldVersion) {
  TempDir dir;
  auto database = OpenRaw(dir.Join("state.db"));
  const Migration v1_only[] = {kV1};
  ASSERT_TRUE(Migrate(*database, v1_only).ok());

  const Migration broken[] = {kV1, kV2, kV3Broken};
  Status status = Migrate(*database, broken);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(Contains(status, "migrating to schema version 3 (break)")) << status.message();
  // Both pending migrations ran in one transaction: neither is left.
  EXPECT_EQ(Pragma(*database, "user_version"), 1);
  EXPECT_FALSE(HasTable(*database, "t2"));
  EXPECT_FALSE(HasTable(*database, "t3"));
}

TEST(StoreSchemaTest, RefusesANewerSchemaVersion) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  ASSERT_TRUE(SqliteStore::Open(path).ok());
  {
    auto database = OpenRaw(path);
    ASSERT_TRUE(database->Exec("PRAGMA user_version = " +
                               std::to_string(LatestSchemaVersion() + 1)).ok());
  }
  for (bool read_only : {false, true}) {
    SqliteStoreOptions options;
    options.read_only = read_only;
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_TRUE(Contains(store.status(), "newer than this drydock understands"))
        << store.status().message();
    EXPECT_TRUE(Contains(store.status(), path));
  }
}

TEST(StoreSchemaTest, ReadOnlyCheckNeverMigrates) {
  TempDir dir;
  auto database = OpenRaw(dir.Join("state.db"));
  Status empty = CheckSchemaVersion(*database);
  EXPECT_EQ(empty.code(), StatusCode::kNotFound);
  const Migration v1_only[] = {kV1};
  ASSERT_TRUE(Migrate(*database, v1_only).ok());
  const Migration v1_v2[] = {kV1, kV2};
  Status older = CheckSchemaVersion(*database, v1_v2);
  EXPECT_EQ(older.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(older, "run `drydock up` once to migrate it")) << older.message();
  EXPECT_EQ(Pragma(*database, "user_version"), 1);
  EXPECT_TRUE(CheckSchemaVersion(*database, v1_only).ok());
}

TEST(StoreSchemaTest, RefusesAnotherProgramsDatabase) {
  TempDir dir;
  {
    auto database = OpenRaw(dir.Join("tables.db"));
    ASSERT_TRUE(database->Exec("CREATE TABLE someone_elses (x)").ok());
    auto other = OpenRaw(dir.Join("other.db"));
    ASSERT_TRUE(other->Exec("PRAGMA application_id = 42; PRAGMA user_version = 1").ok());
  }
  for (const char* name : {"tables.db", "other.db"}) {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir.Join(name));
    ASSERT_FALSE(store.ok()) << name;
    EXPECT_TRUE(Contains(store.status(), "is not a drydock state database"))
        << store.status().message();
  }
}

TEST(StoreSchemaTest, RefusesAFileThatIsNotSqlite) {
  TempDir dir;
  std::ofstream(dir.Join("state.db")) << "this is not a database, just some text that is long "
                                         "enough to fill a header of one hundred bytes..........";
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(dir.Join("state.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(Contains(store.status(), "is not a SQLite database")) << store.status().message();
}

TEST(StoreSchemaTest, LockedDatabaseSaysSo) {
  TempDir dir;
  const std::string path = dir.Join("state.db");
  SqliteStoreOptions options;
  options.busy_timeout_ms = 50;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  ASSERT_TRUE(store.ok());
  auto other = OpenRaw(path);
  ASSERT_TRUE(other->Exec("BEGIN IMMEDIATE").ok());  // another writer holds the lock
  Status status = (*store)->SetMeta("k", "v");
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(status, "state database " + path + " is locked by another process"))
      << status.message();
  ASSERT_TRUE(other->Exec("ROLLBACK").ok());
  EXPECT_TRUE((*store)->SetMeta("k", "v").ok());
}

}  // namespace
}  // namespace drydock::state::sqlite

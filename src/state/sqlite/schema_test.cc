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
                            "task_definitions", "services", "tasks", "events"}) {
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

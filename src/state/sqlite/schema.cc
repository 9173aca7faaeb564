#include "state/sqlite/schema.h"

#include <string>

namespace drydock::state::sqlite {
namespace {

// Migration 1: everything. Times are integer milliseconds since the Unix
// epoch (cluster time); enums are their AWS strings; short lists are JSON
// text so that the sqlite3 shell shows them as they are.
constexpr const char* kCreateTables = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE cluster (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  cluster_name TEXT NOT NULL,
  region       TEXT NOT NULL,
  account_id   TEXT NOT NULL
);
CREATE TABLE auto_scaling_group (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  name             TEXT NOT NULL,
  min_size         INTEGER NOT NULL,
  max_size         INTEGER NOT NULL,
  desired_capacity INTEGER NOT NULL
);
CREATE TABLE instances (
  instance_id             TEXT PRIMARY KEY NOT NULL,
  instance_type           TEXT NOT NULL,
  availability_zone       TEXT NOT NULL,
  lifecycle               TEXT NOT NULL,
  state                   TEXT NOT NULL,
  launch_time_ms          INTEGER NOT NULL,
  state_changed_at_ms     INTEGER NOT NULL,
  protected_from_scale_in INTEGER NOT NULL CHECK (protected_from_scale_in IN (0, 1)),
  container_instance_arn  TEXT NOT NULL,
  container_status        TEXT NOT NULL,
  registered_cpu_units    INTEGER NOT NULL,
  registered_memory_mib   INTEGER NOT NULL,
  registered_enis         INTEGER NOT NULL,
  reserved_host_ports     TEXT NOT NULL
);
CREATE TABLE task_definitions (
  family               TEXT NOT NULL,
  revision             INTEGER NOT NULL CHECK (revision >= 1),
  cpu_units            INTEGER NOT NULL,
  memory_mib           INTEGER NOT NULL,
  network_mode         TEXT NOT NULL,
  container_name       TEXT NOT NULL,
  image                TEXT NOT NULL,
  command              TEXT NOT NULL,
  environment          TEXT NOT NULL,
  container_port       INTEGER NOT NULL,
  stop_timeout_seconds INTEGER NOT NULL,
  PRIMARY KEY (family, revision)
);
CREATE TABLE services (
  name                     TEXT PRIMARY KEY NOT NULL,
  task_definition_family   TEXT NOT NULL,
  task_definition_revision INTEGER NOT NULL,
  desired_count            INTEGER NOT NULL,
  status                   TEXT NOT NULL,
  created_at_ms            INTEGER NOT NULL,
  FOREIGN KEY (task_definition_family, task_definition_revision)
    REFERENCES task_definitions (family, revision)
);
CREATE TABLE tasks (
  task_id                  TEXT PRIMARY KEY NOT NULL,
  service                  TEXT NOT NULL,
  task_definition_family   TEXT NOT NULL,
  task_definition_revision INTEGER NOT NULL,
  instance_id              TEXT NOT NULL,
  availability_zone        TEXT NOT NULL,
  last_status              TEXT NOT NULL,
  desired_status           TEXT NOT NULL,
  host_port                INTEGER NOT NULL,
  created_at_ms            INTEGER NOT NULL,
  started_at_ms            INTEGER,
  stopping_at_ms           INTEGER,
  stopped_at_ms            INTEGER,
  stop_code                TEXT NOT NULL,
  stopped_reason           TEXT NOT NULL,
  exit_code                INTEGER,
  pid                      INTEGER NOT NULL,
  pid_start_ticks          INTEGER NOT NULL,
  FOREIGN KEY (task_definition_family, task_definition_revision)
    REFERENCES task_definitions (family, revision)
);
CREATE INDEX tasks_by_last_status ON tasks (last_status);
CREATE INDEX tasks_by_service ON tasks (service);
CREATE TABLE events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at_ms INTEGER NOT NULL,
  service       TEXT NOT NULL,
  message       TEXT NOT NULL
);
CREATE INDEX events_by_service ON events (service, id);
)sql";

// Migration 2: service deployments (DescribeServices deployments[]) and the
// tasks' startedBy and healthStatus. Existing tasks get started_by '' and
// health_status 'UNKNOWN'. A deployment's service is not a foreign key, like
// a task's: the writes check it (tables_write.cc) and the controllers decide
// when a deployment goes.
constexpr const char* kAddDeployments = R"sql(
CREATE TABLE deployments (
  id                       TEXT PRIMARY KEY NOT NULL,
  service                  TEXT NOT NULL,
  task_definition_family   TEXT NOT NULL,
  task_definition_revision INTEGER NOT NULL,
  status                   TEXT NOT NULL,
  rollout_state            TEXT NOT NULL,
  rollout_state_reason     TEXT NOT NULL,
  failed_tasks             INTEGER NOT NULL,
  rollback_of              TEXT NOT NULL,
  created_at_ms            INTEGER NOT NULL,
  updated_at_ms            INTEGER NOT NULL,
  FOREIGN KEY (task_definition_family, task_definition_revision)
    REFERENCES task_definitions (family, revision)
);
CREATE INDEX deployments_by_service ON deployments (service);
ALTER TABLE tasks ADD COLUMN started_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN health_status TEXT NOT NULL DEFAULT 'UNKNOWN';
)sql";

// Migration 3: task definitions' secrets (a JSON list of {"name","valueFrom"},
// references only, never values) and execution role. Existing revisions get
// none.
constexpr const char* kAddSecrets = R"sql(
ALTER TABLE task_definitions ADD COLUMN secrets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE task_definitions ADD COLUMN execution_role_arn TEXT NOT NULL DEFAULT '';
)sql";

constexpr Migration kMigrations[] = {
    {1, "create the initial tables", kCreateTables},
    {2, "add deployments and the tasks' started_by and health_status", kAddDeployments},
    {3, "add the task definitions' secrets and execution role", kAddSecrets},
};

std::string Version(int64_t version) { return std::to_string(version); }

Status TooNew(const Database& database, int64_t version, int latest) {
  return {StatusCode::kFailedPrecondition,
          "state database " + database.path() + " has schema version " + Version(version) +
              ", newer than this drydock understands (up to " + Version(latest) +
              "); use the newer drydock that wrote it, or another --state-dir"};
}

Status NotDrydocks(const Database& database, const std::string& why) {
  return {StatusCode::kFailedPrecondition,
          database.path() + " is not a drydock state database (" + why +
              "); move it away or use another --state-dir"};
}

// Refuses files that some other program wrote.
Status CheckOwnership(Database& database, int64_t version) {
  Result<int64_t> application_id = database.PragmaInt("application_id");
  if (!application_id.ok()) return application_id.status();
  if (*application_id != 0 && *application_id != kApplicationId) {
    return NotDrydocks(database, "its application id is " + Version(*application_id));
  }
  if (version != 0) return Status::Ok();
  Result<Statement> tables = database.Prepare("SELECT count(*) FROM sqlite_schema");
  if (!tables.ok()) return tables.status();
  Result<bool> row = tables->Step();
  if (!row.ok()) return row.status();
  if (tables->Int(0) != 0) return NotDrydocks(database, "it has tables but no schema version");
  return Status::Ok();
}

Status RunPending(Database& database, std::span<const Migration> migrations, int64_t from) {
  for (const Migration& migration : migrations) {
    if (migration.version <= from) continue;
    Status status = database.Exec(migration.sql);
    if (!status.ok()) {
      return {status.code(), "migrating to schema version " + Version(migration.version) + " (" +
                                 migration.description + "): " + status.message()};
    }
  }
  int latest = LatestSchemaVersion(migrations);
  DRYDOCK_RETURN_IF_ERROR(database.Exec("PRAGMA user_version = " + Version(latest)));
  return database.Exec("PRAGMA application_id = " + Version(kApplicationId));
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

Status Migrate(Database& database, std::span<const Migration> migrations) {
  int latest = LatestSchemaVersion(migrations);
  Result<int64_t> version = database.PragmaInt("user_version");
  if (!version.ok()) return version.status();
  if (*version > latest) return TooNew(database, *version, latest);
  if (*version == latest) return CheckOwnership(database, *version);

  Result<Transaction> transaction = Transaction::Begin(database, /*immediate=*/true);
  if (!transaction.ok()) return transaction.status();
  // Another process may have migrated between the read above and BEGIN.
  version = database.PragmaInt("user_version");
  if (!version.ok()) return version.status();
  if (*version > latest) return TooNew(database, *version, latest);
  DRYDOCK_RETURN_IF_ERROR(CheckOwnership(database, *version));
  if (*version == latest) return transaction->Commit();
  DRYDOCK_RETURN_IF_ERROR(RunPending(database, migrations, *version));
  return transaction->Commit();
}

Status CheckSchemaVersion(Database& database, std::span<const Migration> migrations) {
  int latest = LatestSchemaVersion(migrations);
  Result<int64_t> version = database.PragmaInt("user_version");
  if (!version.ok()) return version.status();
  if (*version > latest) return TooNew(database, *version, latest);
  DRYDOCK_RETURN_IF_ERROR(CheckOwnership(database, *version));
  if (*version == 0) {
    return NotFound("state database " + database.path() +
                    " is empty; start the cluster with `drydock up` first");
  }
  if (*version < latest) {
    return {StatusCode::kFailedPrecondition,
            "state database " + database.path() + " has schema version " + Version(*version) +
                " and this drydock needs " + Version(latest) +
                "; run `drydock up` once to migrate it"};
  }
  return Status::Ok();
}

}  // namespace drydock::state::sqlite

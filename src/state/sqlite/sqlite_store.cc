#include "state/sqlite/sqlite_store.h"

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <utility>

#include "state/sqlite/database.h"
#include "state/sqlite/schema.h"
#include "state/sqlite/tables.h"
#include "state/state_dir.h"

namespace drydock::state {
namespace {

using sqlite::Database;
using sqlite::Transaction;

// Moves a successful result into `out`.
template <typename T>
Status Take(Result<T> result, T* out) {
  if (!result.ok()) return result.status();
  *out = std::move(result).value();
  return Status::Ok();
}

// Creates the file 0600 before SQLite does (SQLite would use 0644 minus the
// umask). SQLite gives the -wal and -shm files the database file's mode, so
// they follow; ones left by an older run are tightened here too.
Status PrepareDatabaseFile(const std::string& path) {
  Result<int> fd = OpenPrivateFile(path);
  if (!fd.ok()) return fd.status();
  close(*fd);
  DRYDOCK_RETURN_IF_ERROR(TightenFileMode(path + "-wal"));
  return TightenFileMode(path + "-shm");
}

Result<std::string> PragmaText(Database& database, const std::string& pragma) {
  Result<sqlite::Statement> statement = database.Prepare("PRAGMA " + pragma);
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  return *row ? statement->Text(0) : std::string();
}

Status ConfigureForWriting(Database& database) {
  // WAL: readers (the CLI) never block the control plane's writes and a
  // commit appends to one file instead of rewriting pages in place.
  Result<std::string> mode = PragmaText(database, "journal_mode = WAL");
  if (!mode.ok()) return mode.status();
  if (*mode != "wal" && !database.in_memory()) {
    return IoError("state database " + database.path() + " cannot use write-ahead logging (" +
                   "journal mode stays '" + *mode + "'); put the state directory on a local "
                   "file system");
  }
  // synchronous=NORMAL: in WAL mode a commit is in the WAL (in the OS page
  // cache) when COMMIT returns and is fsynced at checkpoints. A committed
  // transaction therefore survives a crash of the process (kill -9 of the
  // control plane, which is what drydock must survive); only a power loss or
  // an OS crash can lose the last commits, and it never corrupts the file.
  // FULL would add an fsync to every commit of every control-loop turn.
  return database.Exec("PRAGMA synchronous = NORMAL");
}

bool FileExists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Database> database, const SqliteStoreOptions& options)
    : database_(std::move(database)), options_(options) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  if (options.read_only) {
    if (!FileExists(path)) {
      return NotFound("no state database at " + path +
                      "; start the cluster with `drydock up` first");
    }
  } else {
    DRYDOCK_RETURN_IF_ERROR(PrepareDatabaseFile(path));
  }
  Result<std::unique_ptr<Database>> database =
      Database::Open(path, options.read_only, options.busy_timeout_ms);
  if (!database.ok()) return database.status();
  return Finish(std::move(database).value(), options);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::OpenInMemory(const StoreOptions& options) {
  SqliteStoreOptions sqlite_options;
  sqlite_options.store = options;
  Result<std::unique_ptr<Database>> database =
      Database::Open(":memory:", false, sqlite_options.busy_timeout_ms);
  if (!database.ok()) return database.status();
  return Finish(std::move(database).value(), sqlite_options);
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Finish(std::unique_ptr<Database> database,
                                                         const SqliteStoreOptions& options) {
  if (options.store.events_kept_per_service < 1) {
    return InvalidArgument("events_kept_per_service must be at least 1");
  }
  if (options.read_only) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::CheckSchemaVersion(*database));
  } else {
    // Migrate first: it refuses a file that is not drydock's (or is newer)
    // before ConfigureForWriting switches its journal mode.
    DRYDOCK_RETURN_IF_ERROR(sqlite::Migrate(*database));
    DRYDOCK_RETURN_IF_ERROR(ConfigureForWriting(*database));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(database), options));
}

const std::string& SqliteStore::path() const { return database_->path(); }

Result<int> SqliteStore::SchemaVersion() {
  Result<int64_t> version = database_->PragmaInt("user_version");
  if (!version.ok()) return version.status();
  return static_cast<int>(*version);
}

Result<Snapshot> SqliteStore::Load() {
  // One read transaction: every table as of the same commit.
  Result<Transaction> transaction = Transaction::Begin(*database_, /*immediate=*/false);
  if (!transaction.ok()) return transaction.status();
  Snapshot snapshot;
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadIdentity(*database_), &snapshot.identity));
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadGroup(*database_), &snapshot.group));
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadInstances(*database_), &snapshot.instances));
  DRYDOCK_RETURN_IF_ERROR(
      Take(sqlite::LoadTaskDefinitions(*database_), &snapshot.task_definitions));
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadServices(*database_), &snapshot.services));
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadDeployments(*database_), &snapshot.deployments));
  DRYDOCK_RETURN_IF_ERROR(Take(sqlite::LoadTasks(*database_, TaskQuery{}), &snapshot.tasks));
  DRYDOCK_RETURN_IF_ERROR(LoadRecentEvents(&snapshot));
  DRYDOCK_RETURN_IF_ERROR(transaction->Commit());
  return snapshot;
}

Result<AppliedChanges> SqliteStore::Apply(const Changes& changes) {
  if (options_.read_only) {
    return Status(StatusCode::kFailedPrecondition,
                  "state database " + path() + " is open read-only; only the control plane "
                  "writes it");
  }
  AppliedChanges applied;
  if (changes.empty()) return applied;
  Result<Transaction> transaction = Transaction::Begin(*database_, /*immediate=*/true);
  if (!transaction.ok()) return transaction.status();
  // Any error returns before Commit; the Transaction then rolls back.
  DRYDOCK_RETURN_IF_ERROR(ApplyRecords(changes, &applied));
  DRYDOCK_RETURN_IF_ERROR(ApplyEvents(changes, &applied));
  DRYDOCK_RETURN_IF_ERROR(transaction->Commit());
  return applied;
}

Status SqliteStore::ApplyRecords(const Changes& changes, AppliedChanges* applied) {
  Database& db = *database_;
  if (changes.identity) DRYDOCK_RETURN_IF_ERROR(sqlite::SaveIdentity(db, *changes.identity));
  if (changes.group) DRYDOCK_RETURN_IF_ERROR(sqlite::SaveGroup(db, *changes.group));
  for (const auto& [key, value] : changes.set_meta) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::SaveMeta(db, key, value));
  }
  for (const std::string& key : changes.delete_meta) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::DeleteMeta(db, key));
  }
  for (const TaskDefinition& definition : changes.register_task_definitions) {
    Result<int> revision = sqlite::RegisterTaskDefinition(db, definition);
    if (!revision.ok()) return revision.status();
    applied->task_definitions.push_back(definition);
    applied->task_definitions.back().revision = *revision;
  }
  for (const Instance& instance : changes.upsert_instances) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::SaveInstance(db, instance));
  }
  for (const Service& service : changes.upsert_services) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::SaveService(db, service));
  }
  for (const Deployment& deployment : changes.upsert_deployments) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::SaveDeployment(db, deployment));
  }
  for (const Task& task : changes.upsert_tasks) DRYDOCK_RETURN_IF_ERROR(sqlite::SaveTask(db, task));
  for (const std::string& id : changes.delete_tasks) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::DeleteTask(db, id));
  }
  for (const std::string& id : changes.delete_deployments) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::DeleteDeployment(db, id));
  }
  for (const std::string& name : changes.delete_services) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::DeleteService(db, name));
  }
  for (const std::string& id : changes.delete_instances) {
    DRYDOCK_RETURN_IF_ERROR(sqlite::DeleteInstance(db, id));
  }
  return Status::Ok();
}

Status SqliteStore::ApplyEvents(const Changes& changes, AppliedChanges* applied) {
  std::set<std::string> services;
  for (const ServiceEvent& event : changes.append_events) {
    Result<int64_t> id = sqlite::AppendEvent(*database_, event);
    if (!id.ok()) return id.status();
    applied->event_ids.push_back(*id);
    services.insert(event.service);
  }
  for (const std::string& service : services) {
    DRYDOCK_RETURN_IF_ERROR(
        sqlite::TrimEvents(*database_, service, options_.store.events_kept_per_service));
  }
  return Status::Ok();
}

// Controllers see the newest kSnapshotEventsPerService events of each service
// (and of the cluster), oldest first: enough to deduplicate repeated events
// the way DescribeServices shows them (ECS keeps the latest 100).
Status SqliteStore::LoadRecentEvents(Snapshot* snapshot) {
  constexpr int kSnapshotEventsPerService = 100;
  std::vector<std::string> owners = {""};
  for (const Service& service : snapshot->services) owners.push_back(service.name);
  for (const std::string& owner : owners) {
    Result<std::vector<ServiceEvent>> events =
        sqlite::LoadEvents(*database_, EventQuery{owner, kSnapshotEventsPerService});
    if (!events.ok()) return events.status();
    snapshot->events.insert(snapshot->events.end(), events->begin(), events->end());
  }
  std::sort(snapshot->events.begin(), snapshot->events.end(),
            [](const ServiceEvent& a, const ServiceEvent& b) { return a.id < b.id; });
  return Status::Ok();
}

Result<std::vector<ServiceEvent>> SqliteStore::ListEvents(const EventQuery& query) {
  return sqlite::LoadEvents(*database_, query);
}

Result<std::vector<Task>> SqliteStore::ListTasks(const TaskQuery& query) {
  return sqlite::LoadTasks(*database_, query);
}

Result<std::optional<std::string>> SqliteStore::GetMeta(std::string_view key) {
  return sqlite::LoadMeta(*database_, key);
}

Status SqliteStore::SetMeta(std::string_view key, std::string_view value) {
  Changes changes;
  changes.set_meta[std::string(key)] = std::string(value);
  Result<AppliedChanges> applied = Apply(changes);
  return applied.ok() ? Status::Ok() : applied.status();
}

}  // namespace drydock::state

// The Store on SQLite: one database file (<state-dir>/state.db) in WAL mode
// with a versioned schema (state/sqlite/schema.h). docs/state.md has the
// tables and the durability choices. sqlite3.h is not included here.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "state/store.h"

namespace drydock::state {

namespace sqlite {
class Database;
}  // namespace sqlite

struct SqliteStoreOptions {
  StoreOptions store;
  // For commands that only read (status, events): never creates the file,
  // never migrates it (a reader must not change the schema under a running
  // control plane), and refuses Apply and SetMeta.
  bool read_only = false;
  // How long a statement waits for another connection's lock before failing
  // with kUnavailable.
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
 public:
  // Opens the database at `path`, creating it with mode 0600 (and keeping its
  // -wal and -shm files 0600) and migrating it to the latest schema. Fails
  // when the file is not a drydock database, is newer than this binary
  // understands, or (read_only) does not exist or is at another version.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteStoreOptions& options = {});
  // A private in-memory database with the same schema and rules, for the
  // simulated runtime and tests.
  static Result<std::unique_ptr<SqliteStore>> OpenInMemory(const StoreOptions& options = {});

  ~SqliteStore() override;

  // drydock::state::Store
  Result<Snapshot> Load() override;
  Result<AppliedChanges> Apply(const Changes& changes) override;
  Result<std::vector<ServiceEvent>> ListEvents(const EventQuery& query) override;
  Result<std::vector<Task>> ListTasks(const TaskQuery& query) override;
  Result<std::optional<std::string>> GetMeta(std::string_view key) override;
  Status SetMeta(std::string_view key, std::string_view value) override;

  // The schema version of the open database (PRAGMA user_version).
  Result<int> SchemaVersion();
  const std::string& path() const;

 private:
  SqliteStore(std::unique_ptr<sqlite::Database> database, const SqliteStoreOptions& options);
  static Result<std::unique_ptr<SqliteStore>> Finish(std::unique_ptr<sqlite::Database> database,
                                                     const SqliteStoreOptions& options);

  Status ApplyRecords(const Changes& changes, AppliedChanges* applied);
  Status LoadRecentEvents(Snapshot* snapshot);
  Status ApplyEvents(const Changes& changes, AppliedChanges* applied);

  std::unique_ptr<sqlite::Database> database_;
  SqliteStoreOptions options_;
};

}  // namespace drydock::state

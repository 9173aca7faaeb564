#include "secrets/secret_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "base/strings.h"
#include "secrets/value_from.h"

namespace drydock::secrets {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr int kSchemaVersion = 1;
constexpr std::string_view kValueContext = "drydock-secret-value-v1";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS secrets (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,       -- the data key, encrypted by master.key
  created_ms INTEGER NOT NULL,
  last_changed_ms INTEGER NOT NULL,
  last_accessed_ms INTEGER,
  last_rotated_ms INTEGER,
  deleted_ms INTEGER,
  deletion_ms INTEGER
);
CREATE TABLE IF NOT EXISTS versions (
  arn TEXT NOT NULL REFERENCES secrets(arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  seq INTEGER NOT NULL,            -- position, oldest first
  created_ms INTEGER NOT NULL,
  stages TEXT NOT NULL,            -- space-separated (labels contain no spaces)
  ciphertext BLOB NOT NULL,        -- the SecretString, encrypted by the data key
  PRIMARY KEY (arn, version_id)
);
)sql";

std::string Errno(int error) { return std::strerror(error); }

int64_t Ms(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint At(int64_t ms) { return TimePoint(Duration(ms)); }

// The AAD of a version's ciphertext: it belongs to this secret and version.
std::string ValueAad(std::string_view arn, std::string_view version_id) {
  return std::string(kValueContext) + '\0' + std::string(arn) + '\0' + std::string(version_id);
}

Status SqlError(sqlite3* db, int rc, std::string_view doing) {
  const std::string file = db != nullptr && sqlite3_db_filename(db, "main") != nullptr
                               ? sqlite3_db_filename(db, "main")
                               : "secrets.db";
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Status(StatusCode::kUnavailable, "the secrets database " + file +
                                                " stayed locked by another drydock process "
                                                "while " +
                                                std::string(doing) + "; try again");
  }
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return IoError("secrets database " + file + ": " + detail + " (while " + std::string(doing) +
                 ")");
}

Status Exec(sqlite3* db, const char* sql, std::string_view doing) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqlError(db, rc, doing);
}

// A prepared statement, finalized on scope exit. Bind errors surface at Step.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  void Text(int index, std::string_view text) {
    Note(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_TRANSIENT));
  }
  void Blob(int index, std::string_view bytes) {
    Note(sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()),
                           SQLITE_TRANSIENT));
  }
  void Int(int index, int64_t value) { Note(sqlite3_bind_int64(stmt_, index, value)); }
  void Time(int index, const std::optional<TimePoint>& t) {
    Note(t ? sqlite3_bind_int64(stmt_, index, Ms(*t)) : sqlite3_bind_null(stmt_, index));
  }

  // True when a row is ready.
  Result<bool> Step(std::string_view doing) {
    if (rc_ != SQLITE_OK) return SqlError(db_, rc_, doing);
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, rc, doing);
  }
  Status Run(std::string_view doing) {
    Result<bool> stepped = Step(doing);
    return stepped.ok() ? Status::Ok() : stepped.status();
  }

  std::string ColumnText(int column) const {
    const auto* text = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return text == nullptr ? std::string() : std::string(static_cast<const char*>(text), size);
  }
  int64_t ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<TimePoint> ColumnTime(int column) const {
    if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
    return At(ColumnInt(column));
  }

 private:
  void Note(int rc) {
    if (rc_ == SQLITE_OK && rc != SQLITE_OK) rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// Runs `body` in BEGIN IMMEDIATE ... COMMIT; rolls back when it fails.
template <typename Body>
auto InTransaction(sqlite3* db, Body&& body) -> decltype(body()) {
  DRYDOCK_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE", "starting a transaction"));
  auto result = body();
  if (!result.ok()) {
    (void)Exec(db, "ROLLBACK", "rolling back");
    return result;
  }
  Status committed = Exec(db, "COMMIT", "committing");
  if (!committed.ok()) {
    (void)Exec(db, "ROLLBACK", "rolling back");
    return committed;
  }
  return result;
}

// A secret as stored: its model, its wrapped data key, each version's
// ciphertext, and (once unwrapped) the data key.
struct Stored {
  Secret secret;
  std::string wrapped_key;
  std::map<std::string, std::string, std::less<>> ciphertexts;
};

constexpr const char* kSelectSecret =
    "SELECT arn, name, description, wrapped_key, created_ms, last_changed_ms, "
    "last_accessed_ms, last_rotated_ms, deleted_ms, deletion_ms FROM secrets ";

Stored ReadSecretRow(const Statement& row) {
  Stored stored;
  SecretInfo& info = stored.secret.info;
  info.arn = row.ColumnText(0);
  info.name = row.ColumnText(1);
  info.description = row.ColumnText(2);
  stored.wrapped_key = row.ColumnText(3);
  info.created = At(row.ColumnInt(4));
  info.last_changed = At(row.ColumnInt(5));
  info.last_accessed = row.ColumnTime(6);
  info.last_rotated = row.ColumnTime(7);
  info.deleted_date = row.ColumnTime(8);
  info.deletion_date = row.ColumnTime(9);
  return stored;
}

std::vector<std::string> SplitStages(const std::string& text) {
  std::vector<std::string> stages;
  size_t start = 0;
  while (start < text.size()) {
    size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) stages.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return stages;
}

Status ReadVersions(sqlite3* db, Stored& stored) {
  Statement select(db,
                   "SELECT version_id, created_ms, stages, ciphertext FROM versions "
                   "WHERE arn = ? ORDER BY seq");
  select.Text(1, stored.secret.info.arn);
  while (true) {
    Result<bool> row = select.Step("reading versions");
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    VersionInfo version{select.ColumnText(0), At(select.ColumnInt(1)),
                        SplitStages(select.ColumnText(2))};
    stored.ciphertexts[version.version_id] = select.ColumnText(3);
    stored.secret.info.versions.push_back(std::move(version));
  }
}

// The secret `id` names, or nullopt.
Result<std::optional<Stored>> Find(sqlite3* db, std::string_view id) {
  const std::string sql = std::string(kSelectSecret) +
                          "WHERE name = ?1 OR arn = ?1 OR (length(arn) = length(?1) + 7 AND "
                          "substr(arn, 1, length(?1)) = ?1) ORDER BY name = ?1 DESC";
  Statement select(db, sql.c_str());
  select.Text(1, id);
  while (true) {
    Result<bool> row = select.Step("looking up a secret");
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Stored>();
    Stored stored = ReadSecretRow(select);
    if (!MatchesId(stored.secret.info, id)) continue;
    DRYDOCK_RETURN_IF_ERROR(ReadVersions(db, stored));
    return std::optional<Stored>(std::move(stored));
  }
}

Result<Stored> FindOrFail(sqlite3* db, std::string_view id) {
  Result<std::optional<Stored>> found = Find(db, id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return ResourceNotFound();
  return std::move(**found);
}

std::string VersionName(const Stored& stored, std::string_view version_id) {
  return "version " + std::string(version_id) + " of secret " + stored.secret.info.name;
}

Result<std::string> DecryptVersion(const Stored& stored, const Key& data_key,
                                   std::string_view version_id) {
  auto sealed = stored.ciphertexts.find(version_id);
  if (sealed == stored.ciphertexts.end()) return Internal("no ciphertext for a stored version");
  return Decrypt(data_key, sealed->second, ValueAad(stored.secret.info.arn, version_id),
                 VersionName(stored, version_id));
}

// Decrypts every version into stored.secret.values (before a write).
Status DecryptAll(Stored& stored, const Key& data_key) {
  for (const VersionInfo& version : stored.secret.info.versions) {
    Result<std::string> value = DecryptVersion(stored, data_key, version.version_id);
    if (!value.ok()) return value.status();
    stored.secret.values[version.version_id] = std::move(*value);
  }
  return Status::Ok();
}

// Writes the secret's row and its versions. Versions already stored keep
// their ciphertext (values are immutable); new ones are encrypted with
// `data_key` (REQUIRES: not null when there are new versions).
Status Save(sqlite3* db, const Stored& stored, const Key* data_key) {
  const SecretInfo& info = stored.secret.info;
  Statement upsert(db,
                   "INSERT INTO secrets (arn, name, description, wrapped_key, created_ms, "
                   "last_changed_ms, last_accessed_ms, last_rotated_ms, deleted_ms, deletion_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(arn) DO UPDATE "
                   "SET description = ?3, last_changed_ms = ?6, last_accessed_ms = ?7, "
                   "last_rotated_ms = ?8, deleted_ms = ?9, deletion_ms = ?10");
  upsert.Text(1, info.arn);
  upsert.Text(2, info.name);
  upsert.Text(3, info.description);
  upsert.Blob(4, stored.wrapped_key);
  upsert.Int(5, Ms(info.created));
  upsert.Int(6, Ms(info.last_changed));
  upsert.Time(7, info.last_accessed);
  upsert.Time(8, info.last_rotated);
  upsert.Time(9, info.deleted_date);
  upsert.Time(10, info.deletion_date);
  DRYDOCK_RETURN_IF_ERROR(upsert.Run("saving secret " + info.name));
  Statement clear(db, "DELETE FROM versions WHERE arn = ?");
  clear.Text(1, info.arn);
  DRYDOCK_RETURN_IF_ERROR(clear.Run("saving secret " + info.name));
  int64_t seq = 0;
  for (const VersionInfo& version : info.versions) {
    std::string sealed;
    if (auto old = stored.ciphertexts.find(version.version_id); old != stored.ciphertexts.end()) {
      sealed = old->second;
    } else {
      auto value = stored.secret.values.find(version.version_id);
      if (data_key == nullptr || value == stored.secret.values.end()) {
        return Internal("a new secret version has no value or key to encrypt it");
      }
      Result<std::string> encrypted =
          Encrypt(*data_key, value->second, ValueAad(info.arn, version.version_id));
      if (!encrypted.ok()) return encrypted.status();
      sealed = std::move(*encrypted);
    }
    Statement insert(db,
                     "INSERT INTO versions (arn, version_id, seq, created_ms, stages, ciphertext) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
    insert.Text(1, info.arn);
    insert.Text(2, version.version_id);
    insert.Int(3, seq++);
    insert.Int(4, Ms(version.created));
    insert.Text(5, Join(version.stages, " "));
    insert.Blob(6, sealed);
    DRYDOCK_RETURN_IF_ERROR(insert.Run("saving " + VersionName(stored, version.version_id)));
  }
  return Status::Ok();
}

Status Remove(sqlite3* db, const std::string& arn) {
  Statement versions(db, "DELETE FROM versions WHERE arn = ?");
  versions.Text(1, arn);
  DRYDOCK_RETURN_IF_ERROR(versions.Run("removing a secret"));
  Statement secret(db, "DELETE FROM secrets WHERE arn = ?");
  secret.Text(1, arn);
  return secret.Run("removing a secret");
}

// Removes the secrets whose deletion date has passed.
Status Purge(sqlite3* db, TimePoint now) {
  Statement versions(db,
                     "DELETE FROM versions WHERE arn IN (SELECT arn FROM secrets WHERE "
                     "deletion_ms IS NOT NULL AND deletion_ms <= ?)");
  versions.Int(1, Ms(now));
  DRYDOCK_RETURN_IF_ERROR(versions.Run("purging deleted secrets"));
  Statement secrets(db, "DELETE FROM secrets WHERE deletion_ms IS NOT NULL AND deletion_ms <= ?");
  secrets.Int(1, Ms(now));
  return secrets.Run("purging deleted secrets");
}

// The final value of a put or a rotation: `value.value`, or the current
// value with `value.json_key` set.
Result<std::string> Compose(const Secret& secret, const NewValue& value) {
  if (!value.json_key) return value.value;
  if (value.json_key->empty()) return InvalidParameter("the JSON key is empty");
  const VersionInfo* current = secret.info.VersionWithStage(kAwsCurrent);
  auto found = current ? secret.values.find(current->version_id) : secret.values.end();
  if (found == secret.values.end()) {
    return ResourceNotFound(
        "Secrets Manager can't find the specified secret value for staging "
        "label: AWSCURRENT");
  }
  Result<std::string> composed = SetJsonKey(found->second, *value.json_key, value.value);
  if (!composed.ok()) return InvalidRequest(composed.status().message());
  return composed;
}

// Opens (creating 0600) the database file before SQLite does, so that it
// never exists with the umask's mode; an existing file is tightened.
Status PrepareDatabaseFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return IoError("cannot open " + path + ": " + Errno(errno));
  struct stat info;
  Status status;
  if (fstat(fd, &info) != 0) {
    status = IoError("cannot stat " + path + ": " + Errno(errno));
  } else if (info.st_uid != geteuid()) {
    status = Status(StatusCode::kFailedPrecondition,
                    path + " belongs to uid " + std::to_string(info.st_uid) + ", not to you");
  } else if ((info.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0) {
    status = IoError("cannot set mode 0600 on " + path + ": " + Errno(errno));
  }
  close(fd);
  return status;
}

Status MakePrivateDirectory(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) == 0) {
    if (chmod(dir.c_str(), 0700) != 0) {  // undo the umask
      return IoError("cannot set mode 0700 on " + dir + ": " + Errno(errno));
    }
  } else if (errno != EEXIST) {
    return IoError("cannot create secrets directory " + dir + ": " + Errno(errno));
  }
  return CheckPrivate(dir, /*is_directory=*/true);
}

Status CreateSchema(sqlite3* db) {
  return InTransaction(db, [&]() -> Status {
    Statement version(db, "PRAGMA user_version");
    Result<bool> row = version.Step("reading the schema version");
    if (!row.ok()) return row.status();
    const int64_t found = *row ? version.ColumnInt(0) : 0;
    if (found > kSchemaVersion) {
      return Status(StatusCode::kFailedPrecondition,
                    "the secrets database was written by a newer drydock (schema " +
                        std::to_string(found) + "); use that version");
    }
    DRYDOCK_RETURN_IF_ERROR(Exec(db, kSchema, "creating the schema"));
    return Exec(db, "PRAGMA user_version = 1", "setting the schema version");
  });
}

Result<sqlite3*> OpenDatabase(const std::string& path) {
  DRYDOCK_RETURN_IF_ERROR(PrepareDatabaseFile(path));
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (rc != SQLITE_OK) {
    Status error = SqlError(db, rc, "opening");
    sqlite3_close_v2(db);
    return error;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // secure_delete: freed pages are zeroed, so removed ciphertexts do not linger.
  Status status = Exec(db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                       "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                       "configuring the connection");
  if (status.ok()) status = CreateSchema(db);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = path + suffix;
    if (status.ok() && chmod(side.c_str(), 0600) != 0 && errno != ENOENT) {
      status = IoError("cannot set mode 0600 on " + side + ": " + Errno(errno));
    }
  }
  if (!status.ok()) {
    sqlite3_close_v2(db);
    return status;
  }
  return db;
}

}  // namespace

std::string_view RotationStepName(RotationStep step) {
  switch (step) {
    case RotationStep::kCreate:
      return "createSecret";
    case RotationStep::kSet:
      return "setSecret";
    case RotationStep::kTest:
      return "testSecret";
    case RotationStep::kFinish:
      return "finishSecret";
  }
  return "unknown";
}

Result<std::unique_ptr<SecretStore>> SecretStore::Open(const std::string& dir) {
  std::string path = dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  DRYDOCK_RETURN_IF_ERROR(MakePrivateDirectory(path));
  Result<Key> master = LoadOrCreateMasterKey(path + "/master.key");
  if (!master.ok()) return master.status();
  Result<sqlite3*> db = OpenDatabase(path + "/secrets.db");
  if (!db.ok()) return db.status();
  return std::unique_ptr<SecretStore>(new SecretStore(path, std::move(*master), *db));
}

SecretStore::~SecretStore() { sqlite3_close_v2(db_); }

Result<CreateResult> SecretStore::Create(const std::string& name, const std::string& description,
                                         const std::string& value, const std::string& region,
                                         const std::string& account,
                                         const std::optional<std::string>& token, TimePoint now) {
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretName(name));
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretString(value));
  return InTransaction(db_, [&]() -> Result<CreateResult> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<std::optional<Stored>> existing = Find(db_, name);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      if ((*existing)->secret.info.MarkedForDeletion()) {
        return InvalidRequest(
            "You can't create this secret because a secret with this name is "
            "already scheduled for deletion.");
      }
      return ResourceExists("The operation failed because the secret " + name + " already exists.");
    }
    Result<std::string> suffix = RandomAlphanumeric(6);
    if (!suffix.ok()) return suffix.status();
    Result<std::string> version_id = token ? Result<std::string>(*token) : NewVersionId();
    if (!version_id.ok()) return version_id.status();
    Result<Secret> secret =
        NewSecret({name, description, value, region, account, *suffix, *version_id}, now);
    if (!secret.ok()) return secret.status();
    Result<Key> data_key = NewKey();
    if (!data_key.ok()) return data_key.status();
    Stored stored{std::move(*secret), {}, {}};
    Result<std::string> wrapped = WrapKey(master_, *data_key, stored.secret.info.arn);
    if (!wrapped.ok()) return wrapped.status();
    stored.wrapped_key = std::move(*wrapped);
    Status saved = Save(db_, stored, &*data_key);
    for (auto& [id, clear] : stored.secret.values) Wipe(clear);
    if (!saved.ok()) return saved;
    return CreateResult{stored.secret.info.arn, name, *version_id};
  });
}

Result<EnsureResult> SecretStore::EnsureSecret(const std::string& name,
                                               const std::string& initial_value,
                                               const std::string& region,
                                               const std::string& account, TimePoint now) {
  DRYDOCK_RETURN_IF_ERROR(ValidateSecretName(name));
  Result<std::optional<Stored>> existing =
      InTransaction(db_, [&]() -> Result<std::optional<Stored>> {
        DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
        return Find(db_, name);
      });
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    const SecretInfo& info = (*existing)->secret.info;
    return EnsureResult{info.arn, false, info.MarkedForDeletion()};
  }
  Result<CreateResult> created =
      Create(name, "", initial_value, region, account, std::nullopt, now);
  if (created.ok()) return EnsureResult{created->arn, true, false};
  // Another process created it between the two transactions: leave it.
  if (created.status().code() != StatusCode::kAlreadyExists &&
      created.status().code() != StatusCode::kFailedPrecondition) {
    return created.status();
  }
  Result<SecretInfo> info = Describe(name, now);
  if (!info.ok()) return info.status();
  return EnsureResult{info->arn, false, info->MarkedForDeletion()};
}

Result<PutOutcome> SecretStore::PutValue(const std::string& id, const NewValue& value,
                                         const std::optional<std::string>& token,
                                         const std::vector<std::string>& stages, TimePoint now) {
  return InTransaction(db_, [&]() -> Result<PutOutcome> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    if (stored->secret.info.MarkedForDeletion()) return MarkedForDeletion();
    Result<Key> data_key = UnwrapKey(master_, stored->wrapped_key, stored->secret.info.arn);
    if (!data_key.ok()) return data_key.status();
    DRYDOCK_RETURN_IF_ERROR(DecryptAll(*stored, *data_key));
    Result<std::string> final_value = Compose(stored->secret, value);
    Result<std::string> version_id = token ? Result<std::string>(*token) : NewVersionId();
    Result<PutOutcome> outcome =
        !final_value.ok() ? Result<PutOutcome>(final_value.status())
        : !version_id.ok()
            ? Result<PutOutcome>(version_id.status())
            : secrets::PutValue(stored->secret, *final_value, *version_id, stages, now);
    Status saved = outcome.ok() && outcome->changed ? Save(db_, *stored, &*data_key) : Status::Ok();
    if (final_value.ok()) Wipe(*final_value);
    for (auto& [version, clear] : stored->secret.values) Wipe(clear);
    if (!saved.ok()) return saved;
    return outcome;
  });
}

Result<SecretValue> SecretStore::GetValue(const std::string& id,
                                          const std::optional<std::string>& version_id,
                                          const std::optional<std::string>& version_stage,
                                          TimePoint now) {
  return InTransaction(db_, [&]() -> Result<SecretValue> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    Result<const VersionInfo*> version =
        ResolveVersion(stored->secret.info, version_id, version_stage);
    if (!version.ok()) return version.status();
    SecretValue result{stored->secret.info.arn,
                       stored->secret.info.name,
                       (*version)->version_id,
                       (*version)->stages,
                       {},
                       (*version)->created};
    Result<Key> data_key = UnwrapKey(master_, stored->wrapped_key, stored->secret.info.arn);
    if (!data_key.ok()) return data_key.status();
    Result<std::string> value = DecryptVersion(*stored, *data_key, result.version_id);
    if (!value.ok()) return value.status();
    result.secret_string = std::move(*value);
    if (NoteAccess(stored->secret.info, now)) {
      Statement update(db_, "UPDATE secrets SET last_accessed_ms = ? WHERE arn = ?");
      update.Time(1, stored->secret.info.last_accessed);
      update.Text(2, result.arn);
      DRYDOCK_RETURN_IF_ERROR(update.Run("recording an access"));
    }
    return result;
  });
}

Result<SecretInfo> SecretStore::Describe(const std::string& id, TimePoint now) {
  return InTransaction(db_, [&]() -> Result<SecretInfo> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    return std::move(stored->secret.info);
  });
}

Result<std::vector<SecretInfo>> SecretStore::List(bool include_planned_deletion, TimePoint now) {
  return InTransaction(db_, [&]() -> Result<std::vector<SecretInfo>> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Statement select(db_, (std::string(kSelectSecret) + "ORDER BY name").c_str());
    std::vector<SecretInfo> secrets;
    while (true) {
      Result<bool> row = select.Step("listing secrets");
      if (!row.ok()) return row.status();
      if (!*row) break;
      Stored stored = ReadSecretRow(select);
      if (stored.secret.info.MarkedForDeletion() && !include_planned_deletion) continue;
      DRYDOCK_RETURN_IF_ERROR(ReadVersions(db_, stored));
      secrets.push_back(std::move(stored.secret.info));
    }
    return secrets;
  });
}

Status SecretStore::UpdateVersionStage(const std::string& id, const std::string& stage,
                                       const std::optional<std::string>& move_to,
                                       const std::optional<std::string>& remove_from,
                                       TimePoint now) {
  return InTransaction(db_, [&]() -> Status {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    DRYDOCK_RETURN_IF_ERROR(
        secrets::UpdateVersionStage(stored->secret, stage, move_to, remove_from, now));
    return Save(db_, *stored, nullptr);
  });
}

Result<DeleteResult> SecretStore::Delete(const std::string& id, const DeleteOptions& options,
                                         TimePoint now) {
  return InTransaction(db_, [&]() -> Result<DeleteResult> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    SecretInfo& info = stored->secret.info;
    Result<TimePoint> deletion = MarkForDeletion(info, options, now);
    if (!deletion.ok()) return deletion.status();
    DRYDOCK_RETURN_IF_ERROR(DueForPurge(info, now) ? Remove(db_, info.arn)
                                                   : Save(db_, *stored, nullptr));
    return DeleteResult{info.arn, info.name, *deletion};
  });
}

Result<std::string> SecretStore::Restore(const std::string& id, TimePoint now) {
  return InTransaction(db_, [&]() -> Result<std::string> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    secrets::Restore(stored->secret.info, now);
    DRYDOCK_RETURN_IF_ERROR(Save(db_, *stored, nullptr));
    return stored->secret.info.arn;
  });
}

Result<std::string> SecretStore::Rotate(const std::string& id, RotationStep step,
                                        const std::string& token, const NewValue& value,
                                        TimePoint now) {
  return InTransaction(db_, [&]() -> Result<std::string> {
    DRYDOCK_RETURN_IF_ERROR(Purge(db_, now));
    Result<Stored> stored = FindOrFail(db_, id);
    if (!stored.ok()) return stored.status();
    Secret& secret = stored->secret;
    if (secret.info.MarkedForDeletion()) return MarkedForDeletion();
    Result<Key> data_key = UnwrapKey(master_, stored->wrapped_key, secret.info.arn);
    if (!data_key.ok()) return data_key.status();
    DRYDOCK_RETURN_IF_ERROR(DecryptAll(*stored, *data_key));
    Result<std::string> report = Internal("unknown rotation step");
    switch (step) {
      case RotationStep::kCreate: {
        Result<std::string> final_value = Compose(secret, value);
        report = final_value.ok() ? RotateCreate(secret, token, *final_value, now)
                                  : Result<std::string>(final_value.status());
        if (final_value.ok()) Wipe(*final_value);
        break;
      }
      case RotationStep::kSet:
        report = RotateSet(secret, token);
        break;
      case RotationStep::kTest:
        report = RotateTest(secret, token);
        break;
      case RotationStep::kFinish:
        report = RotateFinish(secret, token, now);
        break;
    }
    const bool writes = step == RotationStep::kCreate || step == RotationStep::kFinish;
    Status saved = report.ok() && writes ? Save(db_, *stored, &*data_key) : Status::Ok();
    for (auto& [version, clear] : secret.values) Wipe(clear);
    if (!saved.ok()) return saved;
    return report;
  });
}

}  // namespace drydock::secrets

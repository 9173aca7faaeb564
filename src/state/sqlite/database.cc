#include "state/sqlite/database.h"

#include <sqlite3.h>

#include <cstring>
#include <utility>

namespace drydock::state::sqlite {
namespace {

std::string Prefix(std::string_view doing) {
  return doing.empty() ? std::string() : std::string(doing) + ": ";
}

std::string SystemError(sqlite3* handle) {
  int error = handle != nullptr ? sqlite3_system_errno(handle) : 0;
  return error != 0 ? std::string(": ") + std::strerror(error) : std::string();
}

}  // namespace

// ---- Statement ------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : database_(other.database_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      borrowed_(std::exchange(other.borrowed_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // Errors from reset repeat the last step's error, which was reported there.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *borrowed_ = false;
}

void Statement::Note(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::Bind(int index, int64_t value) {
  Note(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::Bind(int index, std::string_view text) {
  Note(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                           SQLITE_UTF8));
}

void Statement::BindNull(int index) { Note(sqlite3_bind_null(stmt_, index)); }

void Statement::Bind(int index, const std::optional<int64_t>& value) {
  if (value) {
    Bind(index, *value);
  } else {
    BindNull(index);
  }
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return database_->Error(bind_error_, std::string("binding ") + sqlite3_sql(stmt_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return database_->Error(rc, "");
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

int Statement::ChangedRows() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

// ---- Database -------------------------------------------------------------

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, bool read_only,
                                                 int busy_timeout_ms) {
  // NOMUTEX: a connection is used by one thread at a time (see Store).
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  // The Database owns the handle even when opening failed (SQLite allocates
  // one to carry the error), so it is closed on every path.
  std::unique_ptr<Database> database(new Database(handle, path, busy_timeout_ms));
  if (rc != SQLITE_OK) return database->Error(rc, "");
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, busy_timeout_ms);
  // Foreign keys are per connection and off by default in SQLite.
  Status status = database->Exec("PRAGMA foreign_keys = ON");
  if (!status.ok()) return status;
  return database;
}

Database::~Database() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  // close_v2 never fails for a busy connection; it defers the close instead.
  sqlite3_close_v2(handle_);
}

Status Database::Exec(std::string_view sql) {
  int rc = sqlite3_exec(handle_, std::string(sql).c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : Error(rc, "");
}

Result<Statement> Database::Prepare(std::string_view sql) {
  auto [it, inserted] = statements_.try_emplace(std::string(sql));
  CachedStatement& cached = it->second;
  if (cached.borrowed) return Internal("SQL statement used twice at once: " + it->first);
  if (cached.stmt == nullptr) {
    // PERSISTENT: the statement lives for the connection's life.
    int rc = sqlite3_prepare_v3(handle_, it->first.c_str(), static_cast<int>(it->first.size()),
                                SQLITE_PREPARE_PERSISTENT, &cached.stmt, nullptr);
    if (rc != SQLITE_OK) {
      Status error = Error(rc, "preparing `" + it->first + "`");
      statements_.erase(it);
      return error;
    }
  }
  cached.borrowed = true;
  return Statement(this, cached.stmt, &cached.borrowed);
}

Result<int64_t> Database::PragmaInt(std::string_view name) {
  Result<Statement> statement = Prepare("PRAGMA " + std::string(name));
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Internal("PRAGMA " + std::string(name) + " returned no row");
  return statement->Int(0);
}

int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(handle_); }

bool Database::InTransaction() const { return sqlite3_get_autocommit(handle_) == 0; }

Status Database::Error(int rc, std::string_view doing) const {
  std::string where = "state database " + path_;
  std::string detail = handle_ != nullptr ? sqlite3_errmsg(handle_) : sqlite3_errstr(rc);
  std::string prefix = Prefix(doing);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {StatusCode::kUnavailable,
              prefix + where + " is locked by another process (waited " +
                  std::to_string(busy_timeout_ms_) +
                  " ms); wait for it to finish or stop it, then retry"};
    case SQLITE_READONLY:
      return IoError(prefix + where + " is read-only (" + detail +
                     "); check the permissions of the file and its directory");
    case SQLITE_CANTOPEN:
      return IoError(prefix + "cannot open " + where + SystemError(handle_) +
                     "; check that the state directory exists and belongs to you");
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return IoError(prefix + "permission denied on " + where + " (" + detail + ")");
    case SQLITE_NOTADB:
      return {StatusCode::kFailedPrecondition,
              prefix + path_ +
                  " is not a SQLite database; move it away or use another --state-dir"};
    case SQLITE_CORRUPT:
      return {StatusCode::kFailedPrecondition,
              prefix + where + " is corrupt (" + detail +
                  "); restore it from a backup or move the state directory away to start afresh"};
    case SQLITE_FULL:
      return IoError(prefix + "the disk holding " + where + " is full");
    case SQLITE_IOERR:
      return IoError(prefix + "I/O error on " + where + " (" + detail + SystemError(handle_) +
                     ")");
    case SQLITE_CONSTRAINT:
      return {StatusCode::kFailedPrecondition, prefix + where + " refused the change: " + detail};
    default:
      return Internal(prefix + where + ": " + detail + " (SQLite result code " +
                      std::to_string(rc) + ")");
  }
}

// ---- Transaction ----------------------------------------------------------

Result<Transaction> Transaction::Begin(Database& database, bool immediate) {
  Status status = database.Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!status.ok()) return status;
  return Transaction(&database);
}

Transaction::~Transaction() {
  // A failed COMMIT or an error in the middle leaves the transaction open;
  // roll it back so nothing of it is applied. SQLite may already have rolled
  // back on its own (e.g. after SQLITE_FULL), hence the check.
  if (database_ != nullptr && database_->InTransaction()) {
    (void)database_->Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  Status status = database_->Exec("COMMIT");
  if (status.ok()) database_ = nullptr;
  return status;
}

}  // namespace drydock::state::sqlite

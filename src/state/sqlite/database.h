// A thin owner of one SQLite connection for the state layer: statements
// cached by their SQL text, errors turned into Status values whose messages
// name the database file and say what to do. sqlite3.h stays in the .cc
// files; this header only forward-declares SQLite's handle types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace drydock::state::sqlite {

class Database;

// A prepared statement borrowed from a Database's cache. Parameters are
// 1-based and columns 0-based, as in SQLite. The destructor resets the
// statement and returns it to the cache. A bind error is reported by the
// next Step() or Run(). REQUIRES: does not outlive its Database.
class Statement {
 public:
  Statement(const Database* database, sqlite3_stmt* stmt, bool* borrowed)
      : database_(database), stmt_(stmt), borrowed_(borrowed) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void Bind(int index, int64_t value);
  void Bind(int index, std::string_view text);
  void Bind(int index, const char* text) { Bind(index, std::string_view(text)); }
  void BindNull(int index);
  void Bind(int index, const std::optional<int64_t>& value);

  // True when a row is ready, false when the statement is done.
  Result<bool> Step();
  // Steps until done, ignoring rows (INSERT, UPDATE, DELETE).
  Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  // Rows changed by the last Run() of an INSERT, UPDATE or DELETE.
  int ChangedRows() const;

 private:
  void Note(int rc);

  const Database* database_;
  sqlite3_stmt* stmt_;   // null once moved from
  bool* borrowed_;       // the cache's flag; cleared when this is destroyed
  int bind_error_ = 0;
};

class Database {
 public:
  // Opens (creating when allowed) the database at `path`; ":memory:" opens a
  // private in-memory database. Foreign keys are on and busy_timeout is
  // `busy_timeout_ms` on every connection.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, bool read_only,
                                                int busy_timeout_ms);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // The cached statement for `sql`, prepared on first use. At most one
  // borrower per SQL text at a time (a second borrow is a bug: kInternal).
  Result<Statement> Prepare(std::string_view sql);

  // A Status for SQLite result code `rc`, seen while `doing` (e.g. "saving
  // task 3f2a..."). The message names the file and, where there is one, the fix.
  Status Error(int rc, std::string_view doing) const;

  // PRAGMA name; for pragmas that return one integer (user_version, ...).
  Result<int64_t> PragmaInt(std::string_view name);
  int64_t LastInsertRowId() const;
  const std::string& path() const { return path_; }
  bool in_memory() const { return path_ == ":memory:"; }

 private:
  friend class Transaction;
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool borrowed = false;
  };

  Database(sqlite3* handle, std::string path, int busy_timeout_ms)
      : handle_(handle), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}
  bool InTransaction() const;

  sqlite3* handle_;
  std::string path_;
  int busy_timeout_ms_;
  std::unordered_map<std::string, CachedStatement> statements_;
};

// BEGIN ... COMMIT; rolled back by the destructor unless committed.
class Transaction {
 public:
  // `immediate` takes the write lock up front (BEGIN IMMEDIATE), so a writer
  // waits for another writer at BEGIN (bounded by busy_timeout) instead of
  // failing in the middle. Readers use a deferred transaction.
  static Result<Transaction> Begin(Database& database, bool immediate);
  Transaction(Transaction&& other) noexcept : database_(other.database_) {
    other.database_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Database* database) : database_(database) {}
  Database* database_;  // null once committed or rolled back
};

}  // namespace drydock::state::sqlite

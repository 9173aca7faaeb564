// The state database's schema, as an ordered list of numbered migrations.
// The version a database is at lives in `PRAGMA user_version` (0 = empty);
// `PRAGMA application_id` marks the file as drydock's. Migration N takes a
// database from version N-1 to N. Never edit a released migration: append a
// new one (docs/state.md says how).
#pragma once

#include <cstdint>
#include <span>

#include "base/status.h"
#include "state/sqlite/database.h"

namespace drydock::state::sqlite {

struct Migration {
  int version;              // 1, 2, 3, ... in order without gaps
  const char* description;  // for error messages: "create the initial tables"
  const char* sql;          // one or more statements; runs inside a transaction
};

// "dryd" in ASCII, stored in the file header (PRAGMA application_id).
inline constexpr int64_t kApplicationId = 0x64727964;

// drydock's migrations, oldest first.
std::span<const Migration> Migrations();
// The version the last migration produces.
int LatestSchemaVersion(std::span<const Migration> migrations = Migrations());

// Brings `database` to the latest version of `migrations`, running every
// pending migration in ONE immediate transaction: on any error the database
// stays at its old version. Fails without changing anything when the
// database is newer than `migrations` know or is not drydock's.
Status Migrate(Database& database, std::span<const Migration> migrations = Migrations());

// For read-only connections: OK only when `database` is exactly at the
// latest version (a read-only reader never migrates).
Status CheckSchemaVersion(Database& database,
                          std::span<const Migration> migrations = Migrations());

}  // namespace drydock::state::sqlite

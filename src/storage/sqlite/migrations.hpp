// The ordered schema migrations of the SQLite backend and the code that applies them at open.
#pragma once

#include <span>
#include <string_view>

#include "core/model.hpp"
#include "storage/sqlite/connection.hpp"

namespace roster::storage::sqlite {

struct Migration {
  int version;            // 1, 2, 3, … without gaps; never renumbered once released
  std::string_view name;  // recorded in schema_migrations for humans
  std::string_view sql;   // one or more statements, run in the migration's transaction
  // A data step in C++ after `sql`, in the same transaction (nullptr: none).
  void (*then)(Connection& connection) = nullptr;
};

// Every migration, oldest first. Released entries are never edited: change the schema by
// appending a new one.
std::span<const Migration> Migrations() noexcept;

// Applies the pending migrations in one BEGIN IMMEDIATE transaction (so two processes opening
// the same file serialize) and returns the schema version afterwards. Throws core::Error
// kUnavailable when the database is newer than this build knows, or the driver's mapped error.
int ApplyMigrations(Connection& connection, core::Timestamp now);

// The highest applied version (0 for an empty database).
int CurrentSchemaVersion(Connection& connection);

}  // namespace roster::storage::sqlite

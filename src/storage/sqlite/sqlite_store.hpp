// The SQLite implementation of storage::Store: one database file in WAL mode, foreign keys on,
// versioned migrations applied when opened, prepared statements cached per connection.
#pragma once

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::storage::sqlite {

struct SqliteOptions {
  // Connections kept open (each caches its prepared statements). Writers serialize on SQLite's
  // write lock (BEGIN IMMEDIATE); readers run concurrently under WAL.
  int pool_size = 4;
  // How long a writer waits for the write lock before the call fails with kUnavailable.
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  // `path` ":memory:" gives a private in-memory database (one connection). Throws core::Error
  // (kUnavailable) when the file cannot be opened or migrated.
  SqliteStore(const std::string& path, const core::Clock& clock, SqliteOptions options = {});
  ~SqliteStore() override;

  // The schema version after migrations (for tests and `--print-config`).
  int SchemaVersion();

  // Every storage::Store method, overridden (see store.hpp for contracts).
  // (declarations added by the implementation)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::storage::sqlite

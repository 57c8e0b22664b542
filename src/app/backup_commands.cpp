// Backup and restore of a SQLite store from the shell.
#include "app/backup_commands.hpp"

#include <filesystem>
#include <iostream>

#include "app/command_support.hpp"
#include "core/error.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace roster::app {

namespace {

void RequireSqlite(const std::string& db) {
  if (db.starts_with("postgres://") || db.starts_with("postgresql://")) {
    throw CommandError("backup and restore copy SQLite databases; use pg_dump for PostgreSQL",
                       kExitUsage);
  }
}

}  // namespace

int Backup(const std::string& db, const std::string& to) {
  RequireSqlite(db);
  if (!std::filesystem::is_regular_file(db)) throw CommandError("no database at '" + db + "'");
  storage::sqlite::SqliteOptions options;
  options.pool_size = 1;
  storage::sqlite::SqliteStore store(db, SystemClock(), options);
  store.BackupTo(to);
  std::cout << "backed up " << db << " to " << to << " (schema version " << store.SchemaVersion()
            << ")" << std::endl;
  return kExitOk;
}

int Restore(const std::string& db, const std::string& from) {
  RequireSqlite(db);
  storage::sqlite::SqliteOptions options;
  options.pool_size = 1;
  storage::sqlite::SqliteStore store(db, SystemClock(), options);
  try {
    store.RestoreFrom(from);
  } catch (const core::Error& e) {
    if (e.kind() == core::ErrorKind::kInvalidRequest) throw CommandError(e.message());
    throw;
  }
  std::cout << "restored " << db << " from " << from << std::endl;
  return kExitOk;
}

}  // namespace roster::app

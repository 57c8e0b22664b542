// Whole-database copies with SQLite's online backup API: in-memory snapshots for the stand-in
// mode, and `roster backup` / `roster restore` files.
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/store_support.hpp"

namespace roster::storage::sqlite {

// An open in-memory database holding the copy.
class SqliteStore::Snapshot {
 public:
  Snapshot() {
    const int rc =
        sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw MapError(rc, message, "open snapshot");
    }
  }
  ~Snapshot() { sqlite3_close_v2(db_); }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  sqlite3* handle() const noexcept { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

namespace {

// Copies the whole `main` database of `from` into `to` in one step (one read transaction on
// `from`, so the copy is one consistent state).
void CopyDatabase(sqlite3* from, sqlite3* to, std::string_view context) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) {
    throw MapError(sqlite3_extended_errcode(to), sqlite3_errmsg(to), context);
  }
  const int step = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (step != SQLITE_DONE) throw MapError(step, sqlite3_errstr(step), context);
  if (finish != SQLITE_OK) throw MapError(finish, sqlite3_errmsg(to), context);
}

// An SQLite handle closed on scope exit.
struct FileHandle {
  sqlite3* db = nullptr;
  FileHandle(const std::string& path, int flags, std::string_view context) {
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
      sqlite3_close_v2(db);
      db = nullptr;
      throw MapError(rc, message, std::string(context) + " " + path);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
  }
  ~FileHandle() { sqlite3_close_v2(db); }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
};

core::Error NotABackup(const std::string& path, const std::string& why) {
  return core::Error(core::ErrorKind::kInvalidRequest,
                     "'" + path + "' is not a usable Roster backup: " + why);
}

// The single text or integer of `sql` on `db`, or nullopt when it fails or returns no row.
std::optional<std::string> QueryOne(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return std::nullopt;
  }
  std::optional<std::string> out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

std::shared_ptr<const SqliteStore::Snapshot> SqliteStore::TakeSnapshot() {
  auto snapshot = std::make_shared<Snapshot>();
  auto db = impl_->pool.Acquire();
  CopyDatabase(db->handle(), snapshot->handle(), "snapshot");
  return snapshot;
}

void SqliteStore::RestoreSnapshot(const Snapshot& snapshot) {
  auto db = impl_->pool.Acquire();
  CopyDatabase(snapshot.handle(), db->handle(), "restore snapshot");
}

void SqliteStore::BackupTo(const std::string& path) {
  const std::string temporary = path + ".tmp";
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
  {
    FileHandle out(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "create backup");
    auto db = impl_->pool.Acquire();
    CopyDatabase(db->handle(), out.db, "backup to " + path);
    // A self-contained file: no -wal beside it.
    char* message = nullptr;
    if (sqlite3_exec(out.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message) !=
        SQLITE_OK) {
      const std::string text = message != nullptr ? message : "";
      sqlite3_free(message);
      throw MapError(sqlite3_extended_errcode(out.db), text, "backup journal mode");
    }
  }
  std::filesystem::rename(temporary, path);
}

void SqliteStore::RestoreFrom(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw NotABackup(path, "no such file");
  FileHandle in(path, SQLITE_OPEN_READONLY, "open backup");
  const auto check = QueryOne(in.db, "PRAGMA quick_check");
  if (!check) throw NotABackup(path, "not an SQLite database");
  if (*check != "ok") throw NotABackup(path, "damaged (" + *check + ")");
  const auto version = QueryOne(in.db, "SELECT max(version) FROM schema_migrations");
  if (!version || version->empty()) throw NotABackup(path, "no Roster schema in it");
  const int latest = Migrations().back().version;
  if (std::stoi(*version) > latest) {
    throw NotABackup(path, "schema version " + *version + " is newer than this build (" +
                               std::to_string(latest) + ")");
  }
  {
    auto db = impl_->pool.Acquire();
    CopyDatabase(in.db, db->handle(), "restore from " + path);
  }
}

}  // namespace roster::storage::sqlite

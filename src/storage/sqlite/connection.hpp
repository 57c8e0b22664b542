// One SQLite connection with its cache of prepared statements, and the scoped use of a statement.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/sqlite/sqlite_errors.hpp"

namespace roster::storage::sqlite {

class Connection;

// A cached prepared statement leased for one execution. Bind, step, read columns; the destructor
// resets it and clears its bindings, so it releases its read snapshot and the next user finds it
// clean. Not copyable or movable: it lives in the scope that runs it.
class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQL (`?1`). Text is copied by SQLite, so temporaries are fine.
  Statement& BindText(int index, std::string_view text);
  Statement& BindOptText(int index, const std::optional<std::string>& text);
  Statement& BindInt(int index, std::int64_t value);
  Statement& BindOptInt(int index, std::optional<std::int64_t> value);
  Statement& BindNull(int index);

  // Advances; true when a row is available, false when done. Throws the mapped core::Error.
  bool Step();
  // Steps to completion (for writes). `unique` says what a UNIQUE violation means here.
  void Run(UniqueMeaning unique = UniqueMeaning::kBug);
  // Rows changed by the last Run().
  int Changes() const;
  // Resets for another execution with new bindings (bulk loops reuse one lease).
  void Reset();

  // Columns are 0-based, as in sqlite3_column_*.
  std::string Text(int column) const;
  std::optional<std::string> OptText(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptInt(int column) const;
  bool IsNull(int column) const;

 private:
  friend class Connection;
  Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use);

  bool StepImpl(UniqueMeaning unique);

  Connection& connection_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag: one lease of a statement at a time
};

// An open database handle: pragmas applied, statements prepared once (SQLITE_PREPARE_PERSISTENT)
// and reused. Used by one thread at a time (the pool guarantees it).
class Connection {
 public:
  // Opens `path` (created if missing) and applies the per-connection pragmas: WAL journal,
  // foreign keys on, synchronous FULL (a commit is on disk before the response), busy timeout.
  // Throws the mapped core::Error (kUnavailable when the file cannot be opened).
  Connection(const std::string& path, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for `sql`, prepared on first use. `sql` must be one statement.
  Statement Prepare(std::string_view sql);
  // Runs one or more statements without caching (pragmas, migrations).
  void Execute(std::string_view sql);
  // Rows changed by the most recent statement on this connection.
  int Changes() const;
  // True when no transaction is open.
  bool InAutocommit() const;
  // The driver handle, for whole-database copies (sqlite3_backup_*); the caller holds the lease.
  sqlite3* handle() const noexcept { return db_; }

  // Throws the core::Error for result code `rc` on this connection, with the driver's message.
  [[noreturn]] void Fail(int rc, std::string_view context,
                         UniqueMeaning unique = UniqueMeaning::kBug) const;

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  // Transparent, so a lookup by string_view does not allocate.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  void Close() noexcept;

  sqlite3* db_ = nullptr;
  // Keyed by the SQL text itself (not its address) so equal SQL from any translation unit shares
  // one prepared statement.
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> statements_;
};

}  // namespace roster::storage::sqlite

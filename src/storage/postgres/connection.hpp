// One PostgreSQL connection (libpq) with its cache of named prepared statements, and the scoped
// use of a statement. The interface mirrors the SQLite backend's (storage/sqlite/connection.hpp)
// so the store operations read the same on both backends.
#pragma once

#include <libpq-fe.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/postgres/pg_errors.hpp"

namespace roster::storage::postgres {

class Connection;

// One execution of a prepared statement: bind ($1 = index 1), then Step() through the rows or
// Run() a write. The statement is prepared on the connection the first time its SQL runs, with
// the parameter types of that first binding (bigint for BindInt, text for BindText, inferred for
// NULL); values are always sent as text. The result is held client-side, so several statements
// may be in use at once on one connection.
class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& BindText(int index, std::string_view text);
  Statement& BindOptText(int index, const std::optional<std::string>& text);
  Statement& BindInt(int index, std::int64_t value);
  Statement& BindOptInt(int index, std::optional<std::int64_t> value);
  Statement& BindNull(int index);

  // Executes on first call, then advances; true when a row is available. Throws the mapped error.
  bool Step();
  // Executes (for writes). `unique` says what a unique_violation means here.
  void Run(UniqueMeaning unique = UniqueMeaning::kBug);
  // Rows changed by the last Run().
  int Changes() const;
  // Forgets the result and the bindings for another execution.
  void Reset();

  // Columns are 0-based. Booleans read as 1 / 0.
  std::string Text(int column) const;
  std::optional<std::string> OptText(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptInt(int column) const;
  bool IsNull(int column) const;

 private:
  friend class Connection;
  Statement(Connection& connection, std::string_view sql);

  void Execute(UniqueMeaning unique);
  void Bind(int index, std::optional<std::string> value, Oid type);

  Connection& connection_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;  // Oid per parameter; 0 = let the server infer
  PGresult* result_ = nullptr;
  int row_ = -1;
};

// An open connection. Used by one thread at a time (the pool guarantees it).
class Connection {
 public:
  // Connects to `url` (postgres://USER@HOST:PORT/DB?params, any libpq connection string).
  // `connect_timeout_s` applies unless the URL sets connect_timeout. Throws kUnavailable when
  // the server cannot be reached.
  Connection(const std::string& url, int connect_timeout_s);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Statement Prepare(std::string_view sql);
  // Runs one or more statements without parameters or caching (transactions, migrations).
  void Execute(std::string_view sql);

  // True when the connection is usable and idle: no transaction open, and no sign (an error or
  // an EOF already received) that the server went away. Never blocks.
  bool Healthy();
  // True when libpq has marked the connection broken.
  bool Broken() const;
  bool InTransaction() const;
  // Makes Healthy() false from now on, so the pool closes this connection instead of reusing it
  // (e.g. when it may still hold a session-level lock).
  void Discard() noexcept { discarded_ = true; }

 private:
  friend class Statement;
  // Executes the prepared statement for `sql` (preparing it first when new on this connection).
  PGresult* ExecPrepared(std::string_view sql,
                         const std::vector<std::optional<std::string>>& values,
                         const std::vector<Oid>& types, UniqueMeaning unique);
  // Throws the mapped error for a failed result (consumes it) or for a missing one.
  [[noreturn]] void Fail(PGresult* result, std::string_view context, UniqueMeaning unique);

  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  PGconn* conn_ = nullptr;
  bool discarded_ = false;
  // SQL text → server-side statement name.
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> prepared_;
};

}  // namespace roster::storage::postgres

// SQLite connection: open with pragmas, statement cache, and the checked statement wrapper.
#include "storage/sqlite/connection.hpp"

#include <string>
#include <utility>

#include "storage/sqlite/sql.hpp"

namespace roster::storage::sqlite {

// --- Statement -------------------------------------------------------------------------------

Statement::Statement(Connection& connection, sqlite3_stmt* stmt, bool* in_use)
    : connection_(connection), stmt_(stmt), in_use_(in_use) {
  *in_use_ = true;
}

Statement::~Statement() {
  // reset's return value repeats the last step's error, which was already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Statement& Statement::BindText(int index, std::string_view text) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) connection_.Fail(rc, sqlite3_sql(stmt_));
  return *this;
}

Statement& Statement::BindOptText(int index, const std::optional<std::string>& text) {
  return text ? BindText(index, *text) : BindNull(index);
}

Statement& Statement::BindInt(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) connection_.Fail(rc, sqlite3_sql(stmt_));
  return *this;
}

Statement& Statement::BindOptInt(int index, std::optional<std::int64_t> value) {
  return value ? BindInt(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) connection_.Fail(rc, sqlite3_sql(stmt_));
  return *this;
}

bool Statement::StepImpl(UniqueMeaning unique) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  connection_.Fail(rc, sqlite3_sql(stmt_), unique);
}

bool Statement::Step() { return StepImpl(UniqueMeaning::kBug); }

void Statement::Run(UniqueMeaning unique) {
  while (StepImpl(unique)) {
  }
}

int Statement::Changes() const { return connection_.Changes(); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// --- Connection ------------------------------------------------------------------------------

Connection::Connection(const std::string& path, int busy_timeout_ms) {
  // Once per process, before SQLite initializes itself on the first open: no memory statistics,
  // whose global mutex every allocation of every connection would otherwise take. (Too late when
  // something opened a database first; SQLite then refuses and keeps counting, which is harmless.)
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  static_cast<void>(configured);
  // NOMUTEX: the pool hands a connection to one thread at a time, so SQLite's own per-connection
  // mutex would only cost time.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    const int code = db_ != nullptr ? sqlite3_extended_errcode(db_) : rc;
    Close();
    throw MapError(code, message, "open " + path);
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    // journal_mode is a property of the file (":memory:" answers "memory"); the other two are
    // per connection and must be set on each.
    Execute(kPragmaJournalModeWal);
    Execute(kPragmaForeignKeysOn);
    Execute(kPragmaSynchronousFull);
  } catch (...) {
    Close();
    throw;
  }
}

Connection::~Connection() { Close(); }

void Connection::Close() noexcept {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  statements_.clear();
  sqlite3_close_v2(db_);
  db_ = nullptr;
}

Statement Connection::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Fail(rc, sql);
    it = statements_.emplace(std::string(sql), CachedStatement{stmt, false}).first;
  }
  if (it->second.in_use) {
    // Two live leases would share bindings and cursor position; that is a programming error.
    throw InternalError("statement leased twice: " + std::string(sql));
  }
  return Statement(*this, it->second.stmt, &it->second.in_use);
}

void Connection::Execute(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string driver = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw MapError(sqlite3_extended_errcode(db_), driver, sql.substr(0, 200));
  }
}

int Connection::Changes() const { return sqlite3_changes(db_); }

bool Connection::InAutocommit() const { return sqlite3_get_autocommit(db_) != 0; }

void Connection::Fail(int rc, std::string_view context, UniqueMeaning unique) const {
  // The step/prepare return value is already the extended code (extended_result_codes on); it is
  // preferred over sqlite3_extended_errcode, which a later call could have overwritten.
  throw MapError(rc, sqlite3_errmsg(db_), context, unique);
}

}  // namespace roster::storage::sqlite

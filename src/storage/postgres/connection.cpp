// PostgreSQL connection: connect, prepared-statement cache, and the checked statement wrapper.
#include "storage/postgres/connection.hpp"

#include <charconv>
#include <cstdlib>
#include <string>
#include <utility>

namespace roster::storage::postgres {
namespace {

// Oids of the built-in types parameters are declared with (pg_type.h is a server header).
constexpr Oid kOidInt8 = 20;
constexpr Oid kOidText = 25;

std::string_view SqlState(const PGresult* result) {
  if (result == nullptr) return {};
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state != nullptr ? std::string_view(state) : std::string_view();
}

// PostgreSQL text holds valid UTF-8 without NUL; libpq even cuts a parameter at its first NUL.
// Request data (path ids, cursors, filters) may be any bytes, and in SQLite such a value simply
// matches nothing. So each invalid byte (and NUL) becomes U+FFFD, which no stored id, email or
// name contains (they all arrived as valid JSON or were generated): the lookup finds nothing, as
// in SQLite, instead of failing with 22021 or matching a truncated prefix.
std::string ValidUtf8(std::string_view text) {
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < text.size() && static_cast<unsigned char>(text[i]) >= lo &&
           static_cast<unsigned char>(text[i]) <= hi;
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    if (b >= 0x01 && b <= 0x7F) {
      length = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      length = cont(i + 1) ? 2 : 0;
    } else if (b == 0xE0) {
      length = cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      length = cont(i + 1) && cont(i + 2) ? 3 : 0;
    } else if (b == 0xED) {  // no UTF-16 surrogates
      length = cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0;
    } else if (b == 0xF0) {
      length = cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    } else if (b >= 0xF1 && b <= 0xF3) {
      length = cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    } else if (b == 0xF4) {  // up to U+10FFFF
      length = cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace

// --- Statement -------------------------------------------------------------------------------

Statement::Statement(Connection& connection, std::string_view sql)
    : connection_(connection), sql_(sql) {}

Statement::~Statement() { PQclear(result_); }

void Statement::Bind(int index, std::optional<std::string> value, Oid type) {
  if (index < 1) throw InternalError("parameter index " + std::to_string(index));
  const auto position = static_cast<std::size_t>(index - 1);
  if (values_.size() <= position) {
    values_.resize(position + 1);
    types_.resize(position + 1, 0);
  }
  values_[position] = std::move(value);
  types_[position] = type;
}

Statement& Statement::BindText(int index, std::string_view text) {
  Bind(index, ValidUtf8(text), kOidText);
  return *this;
}

Statement& Statement::BindOptText(int index, const std::optional<std::string>& text) {
  return text ? BindText(index, *text) : BindNull(index);
}

Statement& Statement::BindInt(int index, std::int64_t value) {
  Bind(index, std::to_string(value), kOidInt8);
  return *this;
}

Statement& Statement::BindOptInt(int index, std::optional<std::int64_t> value) {
  return value ? BindInt(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  Bind(index, std::nullopt, 0);
  return *this;
}

void Statement::Execute(UniqueMeaning unique) {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  result_ = connection_.ExecPrepared(sql_, values_, types_, unique);
}

bool Statement::Step() {
  if (result_ == nullptr) Execute(UniqueMeaning::kBug);
  ++row_;
  return row_ < PQntuples(result_);
}

void Statement::Run(UniqueMeaning unique) { Execute(unique); }

int Statement::Changes() const {
  if (result_ == nullptr) return 0;
  const char* tuples = PQcmdTuples(result_);
  return tuples[0] == '\0' ? 0 : std::atoi(tuples);
}

void Statement::Reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  values_.clear();
  types_.clear();
}

std::string Statement::Text(int column) const {
  if (IsNull(column)) return {};
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::optional<std::string> Statement::OptText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

std::int64_t Statement::Int(int column) const {
  if (IsNull(column)) return 0;  // as sqlite3_column_int64 on NULL
  const char* text = PQgetvalue(result_, row_, column);
  const int length = PQgetlength(result_, row_, column);
  if (length == 1 && text[0] == 't') return 1;  // boolean (EXISTS)
  if (length == 1 && text[0] == 'f') return 0;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text, text + length, value);
  if (ec != std::errc() || end != text + length) {
    throw InternalError("column " + std::to_string(column) + " is not an integer: " +
                        std::string(text, static_cast<std::size_t>(length)));
  }
  return value;
}

std::optional<std::int64_t> Statement::OptInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

bool Statement::IsNull(int column) const {
  if (result_ == nullptr || row_ < 0 || row_ >= PQntuples(result_) ||
      column >= PQnfields(result_)) {
    throw InternalError("column " + std::to_string(column) + " read outside a row: " + sql_);
  }
  return PQgetisnull(result_, row_, column) != 0;
}

// --- Connection ------------------------------------------------------------------------------

Connection::Connection(const std::string& url, int connect_timeout_s) {
  const std::string timeout = std::to_string(connect_timeout_s);
  // Keywords before `dbname` are defaults the URL (expanded in place of dbname) may override.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  nullptr};
  const char* const values[] = {timeout.c_str(), "roster", url.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) throw ConnectFailed("out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw ConnectFailed(std::move(message));
  }
  // Server notices (e.g. "relation already exists, skipping") are not errors; drop them rather
  // than let libpq print them on stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  try {
    // Timestamps are BIGINT Unix seconds and text compares bytewise (COLLATE "C" in the schema),
    // so no session setting changes results; only the time zone of server logs is pinned.
    Execute("SET TIME ZONE 'UTC'");
  } catch (...) {
    PQfinish(conn_);
    conn_ = nullptr;
    throw;
  }
}

Connection::~Connection() { PQfinish(conn_); }

Statement Connection::Prepare(std::string_view sql) { return Statement(*this, sql); }

PGresult* Connection::ExecPrepared(std::string_view sql,
                                   const std::vector<std::optional<std::string>>& values,
                                   const std::vector<Oid>& types, UniqueMeaning unique) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "roster_" + std::to_string(prepared_.size() + 1);
    PGresult* prepared = PQprepare(conn_, name.c_str(), std::string(sql).c_str(),
                                   static_cast<int>(types.size()), types.data());
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) Fail(prepared, sql, unique);
    PQclear(prepared);
    it = prepared_.emplace(std::string(sql), std::move(name)).first;
  }
  std::vector<const char*> params;
  params.reserve(values.size());
  for (const auto& value : values) params.push_back(value ? value->c_str() : nullptr);
  PGresult* result = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()),
                                    params.data(), nullptr, nullptr, /*resultFormat=*/0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Fail(result, sql, unique);
  return result;
}

void Connection::Execute(std::string_view sql) {
  PGresult* result = PQexec(conn_, std::string(sql).c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    Fail(result, sql, UniqueMeaning::kBug);
  PQclear(result);
}

void Connection::Fail(PGresult* result, std::string_view context, UniqueMeaning unique) {
  const std::string state(SqlState(result));
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  PQclear(result);
  throw MapError(state, Broken(), message, context, unique);
}

bool Connection::Healthy() {
  if (discarded_ || conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) return false;
  // Reads whatever the server sent while we were idle without blocking; libpq marks the
  // connection bad when it reads the socket's EOF. A closing server sends a FATAL message and
  // then closes: the first read returns the message, the second finds the EOF.
  for (int read = 0; read < 2; ++read) {
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::Broken() const { return conn_ == nullptr || PQstatus(conn_) == CONNECTION_BAD; }

bool Connection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

}  // namespace roster::storage::postgres

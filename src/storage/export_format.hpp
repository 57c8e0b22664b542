// The JSON Lines format of `roster export` / `roster import`, shared by both backends: the
// tables in foreign-key order, their columns in a fixed order with their JSON type, and the
// checks an imported row must pass before anything is written.
//
// A file is a header line {"format":"roster-export","format_version":1,"schema_version":N}
// followed by one line per row: {"table":"...","row":{...}} with the row's keys in column order.
// Integers are JSON numbers, text is a JSON string, NULL is null; so both backends write the
// same bytes for the same data.
#pragma once

#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace roster::storage::exchange {

inline constexpr std::string_view kFormatName = "roster-export";
inline constexpr int kFormatVersion = 1;

struct Column {
  std::string_view name;
  bool integer;  // INTEGER/BIGINT; else TEXT
};

struct Table {
  std::string_view name;
  std::span<const Column> columns;
  std::string_view order_by;  // the primary key
  // The identity column of the PostgreSQL schema (its sequence is reset after an import).
  std::string_view identity = {};
};

namespace detail {
inline constexpr std::array kOrganizations = {
    Column{"id", false}, Column{"name", false}, Column{"default_project_id", false},
    Column{"default_project_name", false}, Column{"created_at", true}};
inline constexpr std::array kAccounts = {Column{"id", false},         Column{"email", false},
                                         Column{"email_norm", false}, Column{"name", false},
                                         Column{"picture", false},    Column{"created_at", true}};
inline constexpr std::array kMemberships = {Column{"seq", true},
                                            Column{"org_id", false},
                                            Column{"user_id", false},
                                            Column{"base_role", false},
                                            Column{"added_at", true},
                                            Column{"technical_level", false},
                                            Column{"developer_persona", false},
                                            Column{"deleted_at", true}};
inline constexpr std::array kRoles = {
    Column{"id", false},        Column{"org_id", false},      Column{"name", false},
    Column{"name_norm", false}, Column{"description", false}, Column{"permissions", false},
    Column{"predefined", true}, Column{"base_role", false},   Column{"created_at", true},
    Column{"updated_at", true}, Column{"created_by", false},  Column{"deleted_at", true}};
inline constexpr std::array kUserRoles = {Column{"org_id", false}, Column{"user_id", false},
                                          Column{"role_id", false}, Column{"created_at", true}};
inline constexpr std::array kGroups = {Column{"id", false}, Column{"org_id", false},
                                       Column{"name", false}, Column{"created_at", true},
                                       Column{"deleted_at", true}};
inline constexpr std::array kGroupMembers = {Column{"org_id", false}, Column{"group_id", false},
                                             Column{"user_id", false}, Column{"created_at", true}};
inline constexpr std::array kGroupRoles = {Column{"org_id", false}, Column{"group_id", false},
                                           Column{"role_id", false}, Column{"created_at", true}};
inline constexpr std::array kInvites = {Column{"id", false},
                                        Column{"org_id", false},
                                        Column{"email", false},
                                        Column{"email_norm", false},
                                        Column{"role", false},
                                        Column{"projects", false},
                                        Column{"token_hash", false},
                                        Column{"created_at", true},
                                        Column{"expires_at", true},
                                        Column{"accepted_at", true},
                                        Column{"accepted_user_id", false},
                                        Column{"invited_by", false},
                                        Column{"deleted_at", true}};
inline constexpr std::array kAdminKeys = {Column{"id", false},
                                          Column{"org_id", false},
                                          Column{"owner_user_id", false},
                                          Column{"membership_seq", true},
                                          Column{"name", false},
                                          Column{"key_hash", false},
                                          Column{"redacted_value", false},
                                          Column{"created_at", true},
                                          Column{"expires_at", true},
                                          Column{"last_used_at", true},
                                          Column{"deleted_at", true}};
inline constexpr std::array kAuditEvents = {Column{"id", false},
                                            Column{"org_id", false},
                                            Column{"type", false},
                                            Column{"effective_at", true},
                                            Column{"resource_id", false},
                                            Column{"payload", false},
                                            Column{"actor_key_id", false},
                                            Column{"actor_user_id", false},
                                            Column{"actor_user_email", false},
                                            Column{"project_id", false}};

inline constexpr std::array kTables = {
    Table{"organizations", kOrganizations, "id"},
    Table{"accounts", kAccounts, "id"},
    Table{"memberships", kMemberships, "seq", "seq"},
    Table{"roles", kRoles, "id"},
    Table{"user_roles", kUserRoles, "org_id, user_id, role_id"},
    Table{"groups", kGroups, "id"},
    Table{"group_members", kGroupMembers, "group_id, user_id"},
    Table{"group_roles", kGroupRoles, "group_id, role_id"},
    Table{"invites", kInvites, "id"},
    Table{"admin_keys", kAdminKeys, "id"},
    Table{"audit_events", kAuditEvents, "id"},
};
}  // namespace detail

// Every table of the schema (schema_migrations aside), parents before children.
inline std::span<const Table> Tables() noexcept { return detail::kTables; }

// The table called `name`, or nullptr.
inline const Table* FindTable(std::string_view name) noexcept {
  for (const Table& table : detail::kTables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

// `SELECT c1, c2, ... FROM t ORDER BY pk` (the export's query for `table`).
inline std::string SelectSql(const Table& table) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += table.columns[i].name;
  }
  sql += " FROM ";
  sql += table.name;
  sql += " ORDER BY ";
  sql += table.order_by;
  return sql;
}

// `INSERT INTO t (c1, ...) [OVERRIDING SYSTEM VALUE] VALUES (?1/$1, ...)`.
inline std::string InsertSql(const Table& table, bool postgres) {
  std::string sql = "INSERT INTO ";
  sql += table.name;
  sql += " (";
  std::string values;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) {
      sql += ", ";
      values += ", ";
    }
    sql += table.columns[i].name;
    values += (postgres ? "$" : "?") + std::to_string(i + 1);
  }
  sql += ")";
  if (postgres && !table.identity.empty()) sql += " OVERRIDING SYSTEM VALUE";
  sql += " VALUES (" + values + ")";
  return sql;
}

// One row of an import: its table and its values.
struct Row {
  std::string table;
  nlohmann::ordered_json values;
};

inline core::Error InvalidImport(const std::string& why) {
  return core::Error(core::ErrorKind::kInvalidRequest, "import refused: " + why);
}

// Checks that `row` is an object with exactly the columns of `table`, each of its type or null.
inline void CheckRow(const Table& table, const nlohmann::ordered_json& row) {
  const std::string where = "table '" + std::string(table.name) + "'";
  if (!row.is_object()) throw InvalidImport("a row of " + where + " is not an object");
  if (row.size() != table.columns.size()) {
    throw InvalidImport("a row of " + where + " has " + std::to_string(row.size()) +
                        " fields, expected " + std::to_string(table.columns.size()));
  }
  for (const Column& column : table.columns) {
    const auto it = row.find(column.name);
    if (it == row.end()) {
      throw InvalidImport("a row of " + where + " has no field '" + std::string(column.name) + "'");
    }
    if (it->is_null()) continue;
    const bool ok = column.integer ? it->is_number_integer() : it->is_string();
    if (!ok) {
      throw InvalidImport("field '" + std::string(column.name) + "' of " + where + " must be " +
                          (column.integer ? "an integer" : "a string") + " or null");
    }
  }
}

// The header line of a file written at `schema_version`.
inline nlohmann::ordered_json Header(int schema_version) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  header["format"] = kFormatName;
  header["format_version"] = kFormatVersion;
  header["schema_version"] = schema_version;
  return header;
}

}  // namespace roster::storage::exchange

// Query plans of the admin-key statements of the SQLite backend: the permission lookup runs on
// every authenticated request, so it and the key reads must be index lookups, never scans.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sql_keys.hpp"

namespace roster::storage {
namespace {

// EXPLAIN QUERY PLAN detail lines of `sql` on a fresh schema (parameters left NULL).
std::vector<std::string> PlanOf(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const std::string text = "EXPLAIN QUERY PLAN " + std::string(sql);
  std::vector<std::string> out;
  EXPECT_EQ(sqlite3_prepare_v2(db, text.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db) << " in " << sql;
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(SqliteKeysPlanTest, KeyStatementsUseIndexes) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  for (const auto& migration : sqlite::Migrations()) {
    ASSERT_EQ(sqlite3_exec(db, std::string(migration.sql).c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  const std::vector<std::pair<std::string_view, std::string_view>> expectations = {
      {sqlite::kSelectHeldRolePermissions, "memberships_live_member_uq"},
      {sqlite::kSelectHeldRolePermissions, "group_members_user_idx"},
      {sqlite::kSelectLiveKey, "admin_keys_org_idx (org_id=? AND id=?)"},
      {sqlite::kListKeysAsc, "admin_keys_org_idx"},
      {sqlite::kListKeysAscAfter, "admin_keys_org_idx"},
      {sqlite::kListKeysDesc, "admin_keys_org_idx"},
      {sqlite::kListKeysDescAfter, "admin_keys_org_idx"},
      {sqlite::kSelectKeyCursor, "sqlite_autoindex_admin_keys_1"},
      {sqlite::kTouchKey, "sqlite_autoindex_admin_keys_1"},
  };
  for (const auto& [sql, index] : expectations) {
    const std::vector<std::string> plan = PlanOf(db, sql);
    std::string joined;
    for (const auto& line : plan) joined += line + "\n";
    EXPECT_NE(joined.find(index), std::string::npos) << sql << "\n" << joined;
    for (const auto& line : plan) {
      const bool table_scan = line.rfind("SCAN ", 0) == 0 && line != "SCAN CONSTANT ROW";
      EXPECT_FALSE(table_scan) << sql << "\n" << joined;
    }
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace roster::storage

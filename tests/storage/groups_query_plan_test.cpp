// SQLite only: the group statements read through indexes, never by scanning a table, so group
// pages, inherited roles and the membership checks stay cheap in large organizations.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/sql_groups.hpp"

namespace roster::storage::testing {
namespace {

// The EXPLAIN QUERY PLAN detail lines of `sql` on a fresh in-memory schema.
class SchemaDb {
 public:
  SchemaDb() {
    EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const auto& migration : sqlite::Migrations()) {
      char* error = nullptr;
      const std::string sql(migration.sql);
      EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
          << (error ? error : "");
      sqlite3_free(error);
    }
  }
  ~SchemaDb() { sqlite3_close(db_); }
  SchemaDb(const SchemaDb&) = delete;
  SchemaDb& operator=(const SchemaDb&) = delete;

  std::vector<std::string> Plan(std::string_view sql) {
    const std::string text = "EXPLAIN QUERY PLAN " + std::string(sql);
    sqlite3_stmt* stmt = nullptr;
    std::vector<std::string> out;
    EXPECT_EQ(sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << " in " << sql;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(GroupsQueryPlanTest, GroupStatementsUseIndexes) {
  SchemaDb db;
  // Each statement with an index its plan must name.
  const std::vector<std::pair<std::string_view, std::string_view>> expectations = {
      {sqlite::kSelectGroup, "sqlite_autoindex_groups_1"},
      {sqlite::kListGroupsAscAfter, "groups_list_idx"},
      {sqlite::kListGroupsDesc, "groups_list_idx"},
      {sqlite::kSelectGroupMember, "sqlite_autoindex_group_members_1"},
      {sqlite::kListGroupMembersDescAfter, "sqlite_autoindex_group_members_1"},
      {sqlite::kSelectGroupMemberCursor, "memberships_user_idx"},
      {sqlite::kDeleteGroupMembershipsOfMember, "group_members_user_idx"},
      {sqlite::kSelectGroupRole, "sqlite_autoindex_group_roles_1"},
      {sqlite::kListGroupRolesAscAfter, "sqlite_autoindex_group_roles_1"},
      {sqlite::kSelectGroupsOfRole, "group_roles_role_idx"},
      {sqlite::kSelectInheritedSources, "group_members_user_idx"},
      {sqlite::kSelectGroupsGrantingRole, "group_members_user_idx"},
      {sqlite::kListUserRolesAscAfter, "roles_list_idx"},
      {sqlite::kListUserRolesDesc, "roles_list_idx"},
      {sqlite::kSelectUserRole, "memberships_live_member_uq"},
  };
  for (const auto& [sql, index] : expectations) {
    std::string joined;
    const auto plan = db.Plan(sql);
    for (const auto& line : plan) joined += line + "\n";
    EXPECT_NE(joined.find(index), std::string::npos) << sql << "\n" << joined;
    for (const auto& line : plan) {
      // "SCAN CONSTANT ROW" is the outer SELECT of `SELECT EXISTS (…)`, not a table.
      const bool table_scan = line.rfind("SCAN ", 0) == 0 && line != "SCAN CONSTANT ROW";
      EXPECT_FALSE(table_scan) << sql << "\n" << joined;
    }
  }
}

}  // namespace
}  // namespace roster::storage::testing

// SQLite-only behaviour: migrations and reopening, pragmas, driver errors, query plans.
#include "storage/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "core/permissions.hpp"
#include "crypto/keys.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/sql_audit.hpp"
#include "storage/sqlite/sqlite_errors.hpp"
#include "storage/store_test_support.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;
using sqlite::SqliteStore;

// A raw connection for looking at (or tampering with) the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "") << " in " << sql;
  }

  // The first column of every row, as text.
  std::vector<std::string> Column(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::vector<std::string> out;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << " in " << sql;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out.emplace_back(text ? reinterpret_cast<const char*>(text) : "<null>");
    }
    sqlite3_finalize(stmt);
    return out;
  }

  // EXPLAIN QUERY PLAN detail lines of `sql` (parameters left NULL).
  std::vector<std::string> Plan(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const std::string text = "EXPLAIN QUERY PLAN " + std::string(sql);
    std::vector<std::string> out;
    EXPECT_EQ(sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void TearDown() override { CleanTestDir(); }
  core::ManualClock clock_{1'700'000'000};
  std::string path_ = NewDbPath().string();
};

TEST_F(SqliteStoreTest, MigrationsAreVersionedAndReopeningIsIdempotent) {
  const int latest = sqlite::Migrations().back().version;
  ASSERT_GE(latest, 1);
  // Versions are 1..n without gaps, so "pending" is simply "greater than the current one".
  for (std::size_t i = 0; i < sqlite::Migrations().size(); ++i) {
    EXPECT_EQ(sqlite::Migrations()[i].version, static_cast<int>(i) + 1);
  }
  std::string org_id;
  std::string user_id;
  {
    SqliteStore store(path_, clock_);
    EXPECT_EQ(store.SchemaVersion(), latest);
    org_id = store.CreateOrganization("Acme").id;
    user_id = store.AddMember(std::nullopt, org_id, {"a@x.test", "A", BaseRole::kOwner}).account.id;
  }
  clock_.Advance(100);
  {
    SqliteStore store(path_, clock_);
    EXPECT_EQ(store.SchemaVersion(), latest);
    auto member = store.GetMember(org_id, user_id);
    ASSERT_TRUE(member);
    EXPECT_EQ(member->account.email, "a@x.test");
    EXPECT_EQ(store.ListRoles(org_id, {std::nullopt, 10}).items.size(), 2u);
    EXPECT_EQ(store.ListAuditEvents(org_id, {.after = std::nullopt, .limit = 10}).items.size(), 1u);
  }
  RawDb raw(path_);
  // Each migration recorded once, at the time of the first open.
  EXPECT_EQ(raw.Column("SELECT COUNT(*) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(latest)});
  EXPECT_EQ(raw.Column("SELECT applied_at FROM schema_migrations WHERE version = 1"),
            std::vector<std::string>{"1700000000"});
  EXPECT_EQ(raw.Column("SELECT name FROM schema_migrations WHERE version = 1"),
            std::vector<std::string>{"initial_schema"});
}

// Migration 4 hashes the invite tokens a version-3 database stored in clear: a link issued
// before the upgrade keeps working, and the token itself is no longer in the file.
TEST_F(SqliteStoreTest, UpgradeHashesStoredInviteTokens) {
  const std::string token = "pre-upgrade-token-0123456789abcdefghijklmnopq";
  std::string invite_id;
  std::string org_id;
  {
    SqliteStore store(path_, clock_);
    org_id = store.CreateOrganization("Acme").id;
    NewInvite invite;
    invite.email = "new@x.test";
    invite.expires_at = clock_.Now() + 3600;
    invite.token_hash = "placeholder";
    invite_id = store.CreateInvite(core::Actor{org_id, "key", "", "test"}, org_id, invite).id;
  }
  {
    // Back to version 3: the column and its clear-text value as that version wrote them.
    RawDb raw(path_);
    raw.Exec("ALTER TABLE invites RENAME COLUMN token_hash TO token");
    raw.Exec("UPDATE invites SET token = '" + token + "'");
    raw.Exec("DELETE FROM schema_migrations WHERE version = 4");
  }
  {
    SqliteStore store(path_, clock_);
    EXPECT_EQ(store.SchemaVersion(), sqlite::Migrations().back().version);
    EXPECT_FALSE(store.FindInviteByTokenHash(token));
    const auto found = store.FindInviteByTokenHash(crypto::Sha256Hex(token));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, invite_id);
    EXPECT_EQ(store.AcceptInvite(crypto::Sha256Hex(token), "New").org_id, org_id);
  }
  RawDb raw(path_);
  EXPECT_EQ(raw.Column("SELECT COUNT(*) FROM invites WHERE token_hash = '" + token + "'"),
            std::vector<std::string>{"0"});
}

TEST_F(SqliteStoreTest, ConnectionsUseWalForeignKeysAndFullSync) {
  SqliteStore store(path_, clock_);
  RawDb raw(path_);
  EXPECT_EQ(raw.Column("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  // foreign_keys and synchronous are per connection: ask one opened the way the store opens.
  sqlite::Connection connection(path_, 1000);
  auto pragma = [&](std::string_view sql) {
    sqlite::Statement stmt = connection.Prepare(sql);
    EXPECT_TRUE(stmt.Step());
    return stmt.Text(0);
  };
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
  EXPECT_EQ(pragma("PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  // And they bite: a membership of an organization that does not exist is refused.
  EXPECT_TRUE(Refused(
      [&] {
        connection.Prepare(sqlite::kInsertMembership)
            .BindText(1, "org-missing")
            .BindText(2, "user-missing")
            .BindText(3, "owner")
            .BindInt(4, 0)
            .Run();
      },
      ErrorKind::kInternal));
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  { SqliteStore store(path_, clock_); }
  {
    RawDb raw(path_);
    raw.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
  }
  EXPECT_TRUE(Refused([&] { SqliteStore store(path_, clock_); }, ErrorKind::kUnavailable));
}

TEST_F(SqliteStoreTest, UnopenablePathIsUnavailable) {
  const std::string path = (TestDir() / "no-such-dir" / "x.db").string();
  try {
    SqliteStore store(path, clock_);
    FAIL() << "opened " << path;
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(e.message(), sqlite::kUnavailableMessage);
    EXPECT_NE(e.detail().find("sqlite error"), std::string::npos) << e.detail();
  }
}

TEST_F(SqliteStoreTest, WriteLockHeldElsewhereIsUnavailableAndLeavesNoTrace) {
  SqliteStore store(path_, clock_, {.pool_size = 2, .busy_timeout_ms = 50});
  const auto org = store.CreateOrganization("Acme");
  RawDb other(path_);
  other.Exec("BEGIN IMMEDIATE");
  try {
    store.AddMember(std::nullopt, org.id, {"a@x.test", "A", BaseRole::kOwner});
    FAIL() << "write succeeded while another connection held the write lock";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable);
    EXPECT_EQ(e.message(), "The database is temporarily unavailable, retry later.");
    EXPECT_FALSE(e.code());
    EXPECT_NE(e.detail().find("locked"), std::string::npos) << e.detail();
  }
  // Readers are not blocked by a writer under WAL.
  EXPECT_TRUE(store.GetOrganization(org.id));
  other.Exec("COMMIT");
  // The connection that failed is usable again.
  for (int i = 0; i < 3; ++i) {
    store.AddMember(std::nullopt, org.id,
                    {"m" + std::to_string(i) + "@x.test", "M", BaseRole::kOwner});
  }
  EXPECT_EQ(store.ListMembers(org.id, {std::nullopt, 10, {}}).items.size(), 3u);
}

TEST_F(SqliteStoreTest, PredefinedPermissionsFollowTheCatalogueOnOpen) {
  std::string org_id;
  {
    SqliteStore store(path_, clock_);
    org_id = store.CreateOrganization("Acme").id;
  }
  {
    // As if the database was written by a build with a smaller catalogue.
    RawDb raw(path_);
    raw.Exec("UPDATE roles SET permissions = 'api.all.read' WHERE predefined = 1");
  }
  SqliteStore store(path_, clock_);
  auto roles = store.ListRoles(org_id, {std::nullopt, 10});
  EXPECT_EQ(roles.items.at(0).permissions, core::PredefinedPermissions(BaseRole::kOwner));
  EXPECT_EQ(roles.items.at(1).permissions, core::PredefinedPermissions(BaseRole::kReader));
}

TEST_F(SqliteStoreTest, MemoryDatabasesArePrivate) {
  SqliteStore a(":memory:", clock_, {.pool_size = 8});
  SqliteStore b(":memory:", clock_);
  a.CreateOrganization("A");
  EXPECT_EQ(a.ListOrganizations().size(), 1u);
  EXPECT_TRUE(b.ListOrganizations().empty());
}

TEST_F(SqliteStoreTest, UniqueRoleNameIndexIsTheBackstop) {
  // Simulates a check that missed a duplicate: the unique index still refuses it, and the
  // violation maps to role_name_taken rather than a 500.
  std::string org_id;
  {
    SqliteStore store(path_, clock_);
    org_id = store.CreateOrganization("Acme").id;
  }
  const std::string insert =
      "INSERT INTO roles (id, org_id, name, name_norm, permissions, predefined, created_at,"
      " updated_at) VALUES ('role_x', '" +
      org_id + "', 'Owner', 'owner', '', 0, 0, 0)";
  char* error = nullptr;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_extended_result_codes(db, 1);
  const int rc = sqlite3_exec(db, insert.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_CONSTRAINT_UNIQUE);
  const core::Error mapped =
      sqlite::MapError(rc, error ? error : "", "test", sqlite::UniqueMeaning::kRoleNameTaken);
  sqlite3_free(error);
  sqlite3_close(db);
  EXPECT_EQ(mapped.kind(), ErrorKind::kInvalidRequest);
  EXPECT_EQ(mapped.code(), "role_name_taken");
  EXPECT_EQ(mapped.param(), "role_name");
}

// --- error mapping ---------------------------------------------------------------------------

TEST(SqliteErrorsTest, TransientCodesAreUnavailable) {
  for (int code : {SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED, SQLITE_IOERR,
                   SQLITE_IOERR_FSYNC, SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_READONLY,
                   SQLITE_READONLY_DBMOVED, SQLITE_CANTOPEN}) {
    const core::Error e = sqlite::MapError(code, "driver says no", "SELECT 1");
    EXPECT_EQ(e.kind(), ErrorKind::kUnavailable) << code;
    EXPECT_EQ(e.message(), "The database is temporarily unavailable, retry later.");
    EXPECT_FALSE(e.code());
    EXPECT_FALSE(e.param());
    // The driver's text and the statement are for the log only.
    EXPECT_EQ(e.message().find("driver says no"), std::string::npos);
    EXPECT_NE(e.detail().find("driver says no"), std::string::npos);
    EXPECT_NE(e.detail().find("SELECT 1"), std::string::npos);
  }
}

TEST(SqliteErrorsTest, ConstraintViolationsAreBugsUnlessTheStatementSaysOtherwise) {
  for (int code :
       {SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_FOREIGNKEY, SQLITE_CONSTRAINT_PRIMARYKEY,
        SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_CHECK}) {
    EXPECT_EQ(sqlite::MapError(code, "m", "c").kind(), ErrorKind::kInternal) << code;
  }
  // Only a UNIQUE violation is a name clash, even on the role statements.
  EXPECT_EQ(sqlite::MapError(SQLITE_CONSTRAINT_FOREIGNKEY, "m", "c",
                             sqlite::UniqueMeaning::kRoleNameTaken)
                .kind(),
            ErrorKind::kInternal);
  const core::Error taken =
      sqlite::MapError(SQLITE_CONSTRAINT_UNIQUE, "m", "c", sqlite::UniqueMeaning::kRoleNameTaken);
  EXPECT_EQ(taken.kind(), ErrorKind::kInvalidRequest);
  EXPECT_EQ(taken.code(), "role_name_taken");
  EXPECT_EQ(taken.param(), "role_name");
}

TEST(SqliteErrorsTest, EverythingElseIsInternal) {
  for (int code : {SQLITE_ERROR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_MISUSE, SQLITE_RANGE,
                   SQLITE_SCHEMA, SQLITE_MISMATCH}) {
    const core::Error e = sqlite::MapError(code, "secret driver text", "SQL");
    EXPECT_EQ(e.kind(), ErrorKind::kInternal) << code;
    EXPECT_EQ(e.message().find("secret"), std::string::npos);
    EXPECT_NE(e.detail().find("secret driver text"), std::string::npos);
  }
}

// --- query plans -----------------------------------------------------------------------------

// The hot and the large-table statements must be index lookups: a full scan of memberships,
// accounts or audit_events is harmless in tests and a disaster at a million members.
TEST(SqliteQueryPlanTest, HotStatementsUseIndexes) {
  RawDb raw(":memory:");
  for (const auto& migration : sqlite::Migrations()) raw.Exec(std::string(migration.sql));
  const std::vector<std::pair<std::string_view, std::string_view>> expectations = {
      {sqlite::kSelectMember, "memberships_live_member_uq"},
      {sqlite::kListMembers, "memberships_list_idx"},
      {sqlite::kListMembersByEmail, "email_norm=?"},
      {sqlite::kSelectMemberCursor, "memberships_user_idx"},
      {sqlite::kOtherOwnerExists, "memberships_owners_idx"},
      {sqlite::kSelectKeyByHash, "key_hash=?"},
      {sqlite::kListAuditEventsOlder, "audit_events_list_idx"},
      {sqlite::kListAuditEventsNewer, "audit_events_list_idx"},
      {sqlite::kListRolesAscAfter, "roles_list_idx"},
      {sqlite::kSelectRoleNameTaken, "roles_live_name_uq"},
      {sqlite::kSelectUserRole, "memberships_live_member_uq"},
      {sqlite::kListUserRolesAscAfter, "memberships_live_member_uq"},
  };
  for (const auto& [sql, index] : expectations) {
    const auto plan = raw.Plan(sql);
    std::string joined;
    for (const auto& line : plan) joined += line + "\n";
    EXPECT_NE(joined.find(index), std::string::npos) << sql << "\n" << joined;
    for (const auto& line : plan) {
      // "SCAN e" / "SCAN json_each" are JSON lists of filter values; no real table may be
      // scanned.
      const bool table_scan = line.rfind("SCAN ", 0) == 0 && line.rfind("SCAN e ", 0) != 0 &&
                              line.rfind("SCAN json_each ", 0) != 0 && line != "SCAN CONSTANT ROW";
      EXPECT_FALSE(table_scan) << sql << "\n" << joined;
    }
  }
}

}  // namespace
}  // namespace roster::storage::testing

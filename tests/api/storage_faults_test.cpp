// A full disk and a read-only database, for real on SQLite (the writer connection's
// `max_page_count` and `query_only`, set through SqliteStore::ExecuteOnWriter): writes get a clear
// 503 with retry-after in the OpenAI envelope, nothing is half-written, reads keep working, the
// file passes its integrity check, and writes work again once the condition is lifted.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "api/api_helpers.hpp"
#include "storage/sqlite/connection.hpp"

namespace roster::apitest {
namespace {

class StorageFaultsTest : public ApiTest {
 protected:
  void SetUp() override {
    if (UsePostgresBackend()) GTEST_SKIP() << "SQLite pragmas: the SQLite run only";
  }

  // The clear refusal of a write the database cannot take now.
  static void ExpectUnavailable(const Reply& reply) {
    ExpectError(reply, 503, std::nullopt, std::nullopt, "server_error");
    EXPECT_EQ(reply.response.Header("retry-after"), std::optional<std::string>("1"));
    EXPECT_EQ(reply.response.Header("retry-after-ms"), std::optional<std::string>("1000"));
  }

  std::string IntegrityCheck() {
    storage::sqlite::Connection db(db_path_.string(), 5000);
    auto stmt = db.Prepare("PRAGMA integrity_check");
    return stmt.Step() ? stmt.Text(0) : "no result";
  }

  int RoleCount() {
    return static_cast<int>(Get("/v1/organization/roles?limit=100").body.at("data").size());
  }

  // A role with a long description: a few of these fill a database page.
  Reply CreateBigRole(int i) {
    return Post("/v1/organization/roles", json{{"role_name", "Big role " + std::to_string(i)},
                                               {"description", std::string(1000, 'x')},
                                               {"permissions", {"api.groups.read"}}});
  }
};

TEST_F(StorageFaultsTest, DiskFullAnswers503WithoutCorruptionAndRecovers) {
  ASSERT_EQ(Get("/v1/organization/users").status(), 200);  // the key's use recorded
  // The writer may not grow the file any more: the disk is full.
  SqliteOnlyStore().ExecuteOnWriter("PRAGMA max_page_count = 1");
  int created = 0;
  std::optional<Reply> refused;
  for (int i = 0; i < 100 && !refused; ++i) {
    Reply reply = CreateBigRole(i);
    if (reply.status() == 200) {
      ++created;  // it still fitted into free space of existing pages
    } else {
      refused = std::move(reply);
    }
  }
  ASSERT_TRUE(refused.has_value()) << "never ran out of space";
  ExpectUnavailable(*refused);
  const int roles = RoleCount();
  const int events = CountEvents("role.created");
  // Reads keep working, and the refused role left nothing behind (no role, no event).
  EXPECT_EQ(roles, 2 + created);
  EXPECT_EQ(events, created);
  // Still full: the same refusal again, and still nothing written.
  ExpectUnavailable(CreateBigRole(1000));
  EXPECT_EQ(RoleCount(), roles);
  EXPECT_EQ(IntegrityCheck(), "ok");

  // Space returns: writes work again without a restart.
  SqliteOnlyStore().ExecuteOnWriter("PRAGMA max_page_count = 1073741823");
  const Reply again = CreateBigRole(1000);
  ASSERT_EQ(again.status(), 200) << again.response.body;
  EXPECT_EQ(RoleCount(), roles + 1);
  EXPECT_EQ(CountEvents("role.created"), events + 1);
  EXPECT_EQ(IntegrityCheck(), "ok");
}

TEST_F(StorageFaultsTest, ReadOnlyDatabaseAnswers503ForWritesAndServesReads) {
  const core::Member member = AddMember("ro@example.com", "Read Only");
  ASSERT_EQ(Get("/v1/organization/users").status(), 200);
  SqliteOnlyStore().ExecuteOnWriter("PRAGMA query_only = 1");
  // Every kind of write is refused cleanly …
  ExpectUnavailable(CreateBigRole(1));
  ExpectUnavailable(Post("/v1/organization/users/" + member.account.id, json{{"role", "owner"}}));
  ExpectUnavailable(Post("/v1/organization/groups", json{{"name", "Nope"}}));
  ExpectUnavailable(Delete("/v1/organization/users/" + member.account.id));
  // … while reads are served, and show nothing of the refused writes.
  const Reply user = Get("/v1/organization/users/" + member.account.id);
  ASSERT_EQ(user.status(), 200);
  EXPECT_EQ(user.body["role"], "reader");
  EXPECT_EQ(RoleCount(), 2);
  EXPECT_EQ(CountEvents("user.updated"), 0);
  EXPECT_EQ(IntegrityCheck(), "ok");

  // Writable again: writes work without a restart.
  SqliteOnlyStore().ExecuteOnWriter("PRAGMA query_only = 0");
  EXPECT_EQ(Post("/v1/organization/users/" + member.account.id, json{{"role", "owner"}}).status(),
            200);
  EXPECT_EQ(CreateBigRole(1).status(), 200);
  EXPECT_EQ(CountEvents("user.updated"), 1);
  EXPECT_EQ(IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace roster::apitest

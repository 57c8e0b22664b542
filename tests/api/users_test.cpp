// /organization/users and /organization/users/{user_id}: list, retrieve, modify, delete.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

class UsersTest : public ApiTest {
 protected:
  // Adds `n` readers; returns every member id in join order (owner first).
  std::vector<std::string> AddReaders(int n) {
    std::vector<std::string> ids{OwnerId()};
    for (int i = 0; i < n; ++i) {
      clock_.Advance(1);
      ids.push_back(
          AddMember("member" + std::to_string(i) + "@example.com", "Member " + std::to_string(i))
              .account.id);
    }
    return ids;
  }
  std::string UserPath(const std::string& id) { return "/v1/organization/users/" + id; }
};

void ExpectFullUser(const json& user) {
  ASSERT_TRUE(user.is_object());
  EXPECT_EQ(user.size(), 16u) << user.dump();
  for (const char* key :
       {"object", "id", "added_at", "name", "email", "role", "is_default", "created", "user",
        "is_service_account", "is_scale_tier_authorized_purchaser", "is_scim_managed",
        "api_key_last_used_at", "technical_level", "developer_persona", "projects"}) {
    EXPECT_TRUE(user.contains(key)) << key;
  }
  EXPECT_EQ(user["object"], "organization.user");
  EXPECT_EQ(user["user"]["object"], "user");
  EXPECT_EQ(user["user"]["id"], user["id"]);
  EXPECT_EQ(user["projects"]["object"], "list");
}

TEST_F(UsersTest, ListDefault) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const Reply reply = Get("/v1/organization/users");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 5u);
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["has_more"], false);
  ASSERT_EQ(reply.body["data"].size(), 2u);
  EXPECT_EQ(reply.body["first_id"], OwnerId());
  EXPECT_EQ(reply.body["last_id"], reader.account.id);
  const json& owner = reply.body["data"][0];
  ExpectFullUser(owner);
  EXPECT_EQ(owner["id"], OwnerId());
  EXPECT_EQ(owner["email"], "admin@roster.local");
  EXPECT_EQ(owner["name"], "Roster Admin");
  EXPECT_EQ(owner["role"], "owner");
  EXPECT_EQ(owner["added_at"], kStartTime);
  EXPECT_EQ(owner["projects"]["data"][0]["role"], "owner");
  EXPECT_EQ(owner["projects"]["data"][0]["id"], org_.organization.default_project_id);
  const json& second = reply.body["data"][1];
  ExpectFullUser(second);
  EXPECT_EQ(second["role"], "reader");
  EXPECT_EQ(second["projects"]["data"][0]["role"], "member");
}

TEST_F(UsersTest, ListLimitBounds) {
  ExpectError(Get("/v1/organization/users?limit=0"), 400, "limit", "integer_below_min_value");
  ExpectError(Get("/v1/organization/users?limit=-5"), 400, "limit", "integer_below_min_value");
  ExpectError(Get("/v1/organization/users?limit=101"), 400, "limit", "integer_above_max_value");
  ExpectError(Get("/v1/organization/users?limit=ten"), 400, "limit", "invalid_type");
  ExpectError(Get("/v1/organization/users?limit=2.0"), 400, "limit", "invalid_type");
  EXPECT_EQ(Get("/v1/organization/users?limit=1").status(), 200);
  EXPECT_EQ(Get("/v1/organization/users?limit=100").status(), 200);
}

TEST_F(UsersTest, DefaultLimitIs20) {
  AddReaders(25);
  const Reply reply = Get("/v1/organization/users");
  EXPECT_EQ(reply.body["data"].size(), 20u);
  EXPECT_EQ(reply.body["has_more"], true);
}

TEST_F(UsersTest, PagesWithLimit1) {
  const std::vector<std::string> all = AddReaders(9);
  EXPECT_EQ(WalkIds("/v1/organization/users?limit=1", "last_id"), all);
}

TEST_F(UsersTest, PagesWithLimit7) {
  const std::vector<std::string> all = AddReaders(14);  // 15 members: 7 + 7 + 1
  EXPECT_EQ(WalkIds("/v1/organization/users?limit=7", "last_id"), all);
  const Reply first = Get("/v1/organization/users?limit=7");
  EXPECT_EQ(first.body["has_more"], true);
  EXPECT_EQ(first.body["first_id"], all[0]);
  EXPECT_EQ(first.body["last_id"], all[6]);
  const Reply last = Get("/v1/organization/users?limit=7&after=" + all[13]);
  EXPECT_EQ(last.body["data"].size(), 1u);
  EXPECT_EQ(last.body["has_more"], false);
  EXPECT_EQ(last.body["first_id"], all[14]);
  EXPECT_EQ(last.body["last_id"], all[14]);
}

TEST_F(UsersTest, ExactPageBoundaryHasNoMore) {
  const std::vector<std::string> all = AddReaders(6);  // 7 members
  const Reply reply = Get("/v1/organization/users?limit=7");
  EXPECT_EQ(reply.body["data"].size(), 7u);
  EXPECT_EQ(reply.body["has_more"], false);
  const Reply after_last = Get("/v1/organization/users?after=" + all.back());
  EXPECT_EQ(after_last.status(), 200);
  EXPECT_TRUE(after_last.body["data"].empty());
  EXPECT_TRUE(after_last.body["first_id"].is_null());
  EXPECT_TRUE(after_last.body["last_id"].is_null());
  EXPECT_EQ(after_last.body["has_more"], false);
}

TEST_F(UsersTest, CursorSurvivesDeletionOfItsUser) {
  const std::vector<std::string> all = AddReaders(4);  // 5 members
  const Reply first = Get("/v1/organization/users?limit=2");
  const std::string cursor = first.body["last_id"];
  ASSERT_EQ(cursor, all[1]);
  ASSERT_EQ(Delete(UserPath(cursor)).status(), 200);
  const Reply next = Get("/v1/organization/users?limit=2&after=" + cursor);
  ASSERT_EQ(next.status(), 200) << next.response.body;
  EXPECT_EQ(next.body["first_id"], all[2]);
  EXPECT_EQ(next.body["last_id"], all[3]);
}

TEST_F(UsersTest, UnknownCursor) {
  ExpectError(Get("/v1/organization/users?after=user-doesnotexist"), 400, "after", "invalid_value");
}

TEST_F(UsersTest, EmailsFilterBothSpellingsCaseInsensitive) {
  const core::Member ada = AddMember("ada@example.com", "Ada");
  const core::Member bob = AddMember("bob+test@example.com", "Bob");
  AddMember("carol@example.com", "Carol");

  const Reply sdk = Get("/v1/organization/users?emails%5B%5D=ADA%40Example.com");
  ASSERT_EQ(sdk.status(), 200);
  ASSERT_EQ(sdk.body["data"].size(), 1u);
  EXPECT_EQ(sdk.body["data"][0]["id"], ada.account.id);

  const Reply plain =
      Get("/v1/organization/users?emails=ada@example.com&emails=bob%2Btest@example.com");
  ASSERT_EQ(plain.body["data"].size(), 2u);
  EXPECT_EQ(plain.body["first_id"], ada.account.id);
  EXPECT_EQ(plain.body["last_id"], bob.account.id);

  const Reply mixed = Get(
      "/v1/organization/users?emails[]=ada@example.com&emails=bob%2Btest%40example.com&limit=1");
  EXPECT_EQ(mixed.body["data"].size(), 1u);
  EXPECT_EQ(mixed.body["has_more"], true);

  const Reply none = Get("/v1/organization/users?emails%5B%5D=nobody%40example.com");
  ASSERT_EQ(none.status(), 200);
  EXPECT_TRUE(none.body["data"].empty());
  EXPECT_TRUE(none.body["first_id"].is_null());
  EXPECT_TRUE(none.body["last_id"].is_null());
}

TEST_F(UsersTest, Retrieve) {
  const Reply reply = Get(UserPath(OwnerId()));
  ASSERT_EQ(reply.status(), 200);
  ExpectFullUser(reply.body);
  EXPECT_EQ(reply.body["id"], OwnerId());
  EXPECT_EQ(reply.body["role"], "owner");
  EXPECT_EQ(reply.body["is_default"], false);
  EXPECT_EQ(reply.body["is_service_account"], false);
  EXPECT_EQ(reply.body["is_scim_managed"], false);
  EXPECT_TRUE(reply.body["is_scale_tier_authorized_purchaser"].is_null());
  EXPECT_TRUE(reply.body["api_key_last_used_at"].is_null());
  EXPECT_TRUE(reply.body["technical_level"].is_null());
  EXPECT_TRUE(reply.body["developer_persona"].is_null());
  EXPECT_EQ(reply.body["user"]["banned"], false);
  EXPECT_TRUE(reply.body["user"]["banned_at"].is_null());
  EXPECT_EQ(reply.body["user"]["enabled"], true);
}

TEST_F(UsersTest, RetrieveUnknown) {
  const Reply reply = Get(UserPath("user-nobody"));
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"], "No such user: 'user-nobody'.");
}

TEST_F(UsersTest, ModifyRoleSwap) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const Reply promoted = Post(UserPath(reader.account.id), json{{"role", "owner"}});
  ASSERT_EQ(promoted.status(), 200) << promoted.response.body;
  ExpectFullUser(promoted.body);
  EXPECT_EQ(promoted.body["role"], "owner");
  EXPECT_EQ(promoted.body["projects"]["data"][0]["role"], "owner");
  EXPECT_EQ(Get(UserPath(reader.account.id)).body["role"], "owner");
  EXPECT_EQ(CountEvents("user.updated"), 1);

  // With two owners the first may step down.
  const Reply demoted = Post(UserPath(OwnerId()), json{{"role", "reader"}});
  ASSERT_EQ(demoted.status(), 200) << demoted.response.body;
  EXPECT_EQ(demoted.body["role"], "reader");
}

TEST_F(UsersTest, ModifySameRoleIsANoOp) {
  const Reply reply = Post(UserPath(OwnerId()), json{{"role", "owner"}});
  ASSERT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.body["role"], "owner");
  EXPECT_EQ(CountEvents("user.updated"), 0);
}

TEST_F(UsersTest, LastOwnerCannotBeDemoted) {
  AddMember("reader@example.com", "Reader");
  const Reply reply = Post(UserPath(OwnerId()), json{{"role", "reader"}});
  ExpectError(reply, 400, "role", "last_owner");
  EXPECT_EQ(reply.response.Header("x-should-retry"), std::nullopt);
  EXPECT_EQ(Get(UserPath(OwnerId())).body["role"], "owner");
}

TEST_F(UsersTest, ModifyRoleValidation) {
  ExpectError(Post(UserPath(OwnerId()), json{{"role", "member"}}), 400, "role", "invalid_value");
  ExpectError(Post(UserPath(OwnerId()), json{{"role", "admin"}}), 400, "role", "invalid_value");
  ExpectError(Post(UserPath(OwnerId()), json{{"role", 3}}), 400, "role", "invalid_type");
  ExpectError(Post(UserPath(OwnerId()), json{{"role", "owner"}, {"nickname", "x"}}), 400,
              "nickname", "unknown_parameter");
  ExpectError(Post(UserPath(OwnerId()), std::string(R"({"role":"owner","role":"reader"})")), 400,
              "role", "duplicate_parameter");
}

TEST_F(UsersTest, ModifyInvalidJson) {
  const Reply reply = Post(UserPath(OwnerId()), std::string("{role: owner}"));
  ExpectError(reply, 400, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"].get<std::string>().rfind(
                "We could not parse the JSON body of your request.", 0),
            0u);
  ExpectError(Post(UserPath(OwnerId()), std::string("[\"role\"]")), 400, std::nullopt,
              "invalid_type");
}

TEST_F(UsersTest, ModifyWrongContentType) {
  api::Request request =
      api::Request::Make("POST", UserPath(OwnerId()), R"({"role":"owner"})", Bearer());
  request.content_type = "text/plain";
  ExpectError(Send(request), 400, std::nullopt, "unsupported_content_type");
  request.content_type = "application/json; charset=utf-8";
  EXPECT_EQ(Send(request).status(), 200);
  request.content_type = "";  // absent: read as JSON
  EXPECT_EQ(Send(request).status(), 200);
}

TEST_F(UsersTest, ModifyEmptyBodyReturnsTheUserUnchanged) {
  const Reply before = Get(UserPath(OwnerId()));
  const Reply reply = Post(UserPath(OwnerId()), std::string());
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body, before.body);
  EXPECT_EQ(Post(UserPath(OwnerId()), std::string("{}")).body, before.body);
}

TEST_F(UsersTest, ModifyMetadata) {
  const Reply set = Post(UserPath(OwnerId()),
                         json{{"technical_level", "expert"}, {"developer_persona", "builder"}});
  ASSERT_EQ(set.status(), 200) << set.response.body;
  EXPECT_EQ(set.body["technical_level"], "expert");
  EXPECT_EQ(set.body["developer_persona"], "builder");
  // null leaves values unchanged.
  const Reply kept =
      Post(UserPath(OwnerId()), json{{"technical_level", nullptr}, {"developer_persona", nullptr}});
  EXPECT_EQ(kept.body["technical_level"], "expert");
  EXPECT_EQ(kept.body["developer_persona"], "builder");
  EXPECT_EQ(Get(UserPath(OwnerId())).body["technical_level"], "expert");
  ExpectError(Post(UserPath(OwnerId()), json{{"technical_level", 5}}), 400, "technical_level",
              "invalid_type");
}

TEST_F(UsersTest, ModifyWithPredefinedRoleId) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const Reply reply =
      Post(UserPath(reader.account.id), json{{"role_id", PredefinedRoleId("Owner")}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["role"], "owner");
  const Reply back =
      Post(UserPath(reader.account.id), json{{"role_id", PredefinedRoleId("Reader")}});
  EXPECT_EQ(back.body["role"], "reader");
}

TEST_F(UsersTest, ModifyWithCustomRoleIdAssignsIt) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const std::string role_id = CreateRole("Auditors");
  const Reply reply = Post(UserPath(reader.account.id), json{{"role_id", role_id}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["role"], "reader");
  EXPECT_EQ(Get(UserPath(reader.account.id) + "/roles/" + role_id).status(), 200);
}

TEST_F(UsersTest, ModifyConflictingRoleAndRoleId) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  ExpectError(Post(UserPath(reader.account.id),
                   json{{"role", "reader"}, {"role_id", PredefinedRoleId("Owner")}}),
              400, "role_id", "conflicting_parameters");
}

TEST_F(UsersTest, ModifyUnknownUserOrRole) {
  ExpectError(Post(UserPath("user-nobody"), json{{"role", "owner"}}), 404, std::nullopt,
              std::nullopt);
  ExpectError(Post(UserPath(OwnerId()), json{{"role_id", "role_nothing"}}), 404, std::nullopt,
              std::nullopt);
}

TEST_F(UsersTest, Delete) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const Reply reply = Delete(UserPath(reader.account.id));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body, json({{"object", "organization.user.deleted"},
                              {"id", reader.account.id},
                              {"deleted", true}}));
  ExpectError(Get(UserPath(reader.account.id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(UserPath(reader.account.id)), 404, std::nullopt, std::nullopt);
  const Reply list = Get("/v1/organization/users");
  EXPECT_EQ(list.body["data"].size(), 1u);
  EXPECT_EQ(CountEvents("user.deleted"), 1);
}

TEST_F(UsersTest, DeleteLastOwnerRefused) {
  const Reply reply = Delete(UserPath(OwnerId()));
  ExpectError(reply, 400, std::nullopt, "last_owner");
  EXPECT_EQ(Get(UserPath(OwnerId())).status(), 200);
}

TEST_F(UsersTest, DeleteUnknown) {
  ExpectError(Delete(UserPath("user-nobody")), 404, std::nullopt, std::nullopt);
}

}  // namespace
}  // namespace roster::apitest

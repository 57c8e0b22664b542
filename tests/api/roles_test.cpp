// /organization/roles and /organization/roles/{role_id}: list, create, retrieve, update, delete.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"
#include "core/permissions.hpp"

namespace roster::apitest {
namespace {

class RolesTest : public ApiTest {
 protected:
  static std::string RolePath(const std::string& id) { return "/v1/organization/roles/" + id; }
  Reply Create(const json& body) { return Post("/v1/organization/roles", body); }
};

void ExpectRole(const json& role) {
  ASSERT_TRUE(role.is_object());
  EXPECT_EQ(role.size(), 7u) << role.dump();
  for (const char* key :
       {"object", "id", "name", "description", "permissions", "resource_type", "predefined_role"}) {
    EXPECT_TRUE(role.contains(key)) << key;
  }
  EXPECT_EQ(role["object"], "role");
  EXPECT_EQ(role["resource_type"], "api.organization");
}

TEST_F(RolesTest, ListPredefinedRoles) {
  const Reply reply = Get("/v1/organization/roles");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 4u);
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["has_more"], false);
  EXPECT_TRUE(reply.body["next"].is_null());
  ASSERT_EQ(reply.body["data"].size(), 2u);
  const json& owner = reply.body["data"][0];
  const json& reader = reply.body["data"][1];
  ExpectRole(owner);
  ExpectRole(reader);
  EXPECT_EQ(owner["name"], "Owner");
  EXPECT_EQ(owner["predefined_role"], true);
  EXPECT_EQ(owner["permissions"], json(core::PredefinedPermissions(core::BaseRole::kOwner)));
  EXPECT_EQ(reader["name"], "Reader");
  EXPECT_EQ(reader["permissions"], json(core::PredefinedPermissions(core::BaseRole::kReader)));
}

TEST_F(RolesTest, ListPagingOrderAndLimits) {
  std::vector<std::string> expected{PredefinedRoleId("Owner"), PredefinedRoleId("Reader")};
  for (int i = 0; i < 6; ++i) expected.push_back(CreateRole("Custom " + std::to_string(i)));
  EXPECT_EQ(WalkIds("/v1/organization/roles?limit=1", "next"), expected);
  EXPECT_EQ(WalkIds("/v1/organization/roles?limit=7", "next"), expected);
  EXPECT_EQ(WalkIds("/v1/organization/roles?limit=0", "next"), expected);
  EXPECT_EQ(WalkIds("/v1/organization/roles?order=asc", "next"), expected);
  const std::vector<std::string> reversed(expected.rbegin(), expected.rend());
  EXPECT_EQ(WalkIds("/v1/organization/roles?order=desc", "next"), reversed);
  EXPECT_EQ(WalkIds("/v1/organization/roles?order=desc&limit=3", "next"), reversed);

  ExpectError(Get("/v1/organization/roles?limit=1001"), 400, "limit", "integer_above_max_value");
  ExpectError(Get("/v1/organization/roles?limit=-1"), 400, "limit", "integer_below_min_value");
  ExpectError(Get("/v1/organization/roles?limit=1.5"), 400, "limit", "invalid_type");
  ExpectError(Get("/v1/organization/roles?order=newest"), 400, "order", "invalid_value");
  ExpectError(Get("/v1/organization/roles?after=role_nothing"), 400, "after", "invalid_value");
}

TEST_F(RolesTest, Create) {
  const Reply reply =
      Create({{"role_name", "  Group Managers "},
              {"permissions", {"api.groups.write", "api.groups.read", "api.groups.write"}},
              {"description", "Manage groups"}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  ExpectRole(reply.body);
  EXPECT_EQ(reply.body["name"], "Group Managers");
  EXPECT_EQ(reply.body["description"], "Manage groups");
  EXPECT_EQ(reply.body["permissions"], json({"api.groups.read", "api.groups.write"}));
  EXPECT_EQ(reply.body["predefined_role"], false);
  EXPECT_EQ(reply.body["id"].get<std::string>().rfind("role_", 0), 0u);
  EXPECT_EQ(CountEvents("role.created"), 1);
  EXPECT_EQ(Get(RolePath(reply.body["id"])).body, reply.body);
}

TEST_F(RolesTest, CreateWithNoPermissionsAndNoDescription) {
  const Reply reply = Create({{"role_name", "Empty"}, {"permissions", json::array()}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_TRUE(reply.body["permissions"].empty());
  EXPECT_TRUE(reply.body["description"].is_null());
}

TEST_F(RolesTest, CreateDuplicateNameCaseInsensitive) {
  CreateRole("Auditors");
  const Reply reply = Create({{"role_name", "AUDITORS"}, {"permissions", json::array()}});
  ExpectError(reply, 400, "role_name", "role_name_taken");
  EXPECT_EQ(reply.response.Header("x-should-retry"), std::nullopt);
  ExpectError(Create({{"role_name", "Owner"}, {"permissions", json::array()}}), 400, "role_name",
              "role_name_taken");
}

TEST_F(RolesTest, CreateValidation) {
  ExpectError(Create({{"permissions", json::array()}}), 400, "role_name",
              "missing_required_parameter");
  ExpectError(Create({{"role_name", "x"}}), 400, "permissions", "missing_required_parameter");
  ExpectError(Post("/v1/organization/roles", std::string()), 400, "role_name",
              "missing_required_parameter");
  ExpectError(Create({{"role_name", ""}, {"permissions", json::array()}}), 400, "role_name",
              "invalid_value");
  ExpectError(Create({{"role_name", "   "}, {"permissions", json::array()}}), 400, "role_name",
              "invalid_value");
  ExpectError(Create({{"role_name", std::string(256, 'n')}, {"permissions", json::array()}}), 400,
              "role_name", "invalid_value");
  ExpectError(Create({{"role_name", 5}, {"permissions", json::array()}}), 400, "role_name",
              "invalid_type");
  ExpectError(Create({{"role_name", "x"}, {"permissions", "api.groups.read"}}), 400, "permissions",
              "invalid_type");
  ExpectError(Create({{"role_name", "x"}, {"permissions", {1, 2}}}), 400, "permissions",
              "invalid_type");
  ExpectError(Create({{"role_name", "x"}, {"permissions", json::array()}, {"description", 1}}), 400,
              "description", "invalid_type");
  ExpectError(Create({{"role_name", "x"}, {"permissions", json::array()}, {"name", "y"}}), 400,
              "name", "unknown_parameter");
  ExpectError(Post("/v1/organization/roles", std::string("role_name=x")), 400, std::nullopt,
              std::nullopt);
  ExpectError(Post("/v1/organization/roles", std::string("\"x\"")), 400, std::nullopt,
              "invalid_type");
  EXPECT_EQ(CountEvents("role.created"), 0);
}

TEST_F(RolesTest, UnknownPermission) {
  const Reply reply = Create({{"role_name", "x"}, {"permissions", {"string"}}});
  ExpectError(reply, 400, "permissions", "invalid_value");
  EXPECT_NE(reply.error()["message"].get<std::string>().find("'string'"), std::string::npos);
}

TEST_F(RolesTest, AcceptUnknownPermissionsOption) {
  api::RouterOptions options;
  options.accept_unknown_permissions = true;
  ResetRouter(options);
  const Reply reply = Create({{"role_name", "x"}, {"permissions", {"string", "api.groups.read"}}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["permissions"], json({"api.groups.read", "string"}));
  ExpectError(Create({{"role_name", "y"}, {"permissions", {"Bad String"}}}), 400, "permissions",
              "invalid_value");
}

TEST_F(RolesTest, Retrieve) {
  const Reply owner = Get(RolePath(PredefinedRoleId("Owner")));
  ASSERT_EQ(owner.status(), 200);
  ExpectRole(owner.body);
  EXPECT_EQ(owner.body["name"], "Owner");
  const Reply missing = Get(RolePath("role_nothing"));
  ExpectError(missing, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(missing.error()["message"], "No such role: 'role_nothing'.");
}

TEST_F(RolesTest, Update) {
  const std::string id = CreateRole("Auditors", {"api.usage.read"});
  clock_.Advance(10);
  const Reply reply = Post(RolePath(id), json{{"role_name", "Usage Auditors"},
                                              {"permissions", {"api.usage.read", "api.all.read"}},
                                              {"description", "Reads usage"}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  ExpectRole(reply.body);
  EXPECT_EQ(reply.body["id"], id);
  EXPECT_EQ(reply.body["name"], "Usage Auditors");
  EXPECT_EQ(reply.body["permissions"], json({"api.all.read", "api.usage.read"}));
  EXPECT_EQ(reply.body["description"], "Reads usage");
  EXPECT_EQ(Get(RolePath(id)).body, reply.body);
  EXPECT_EQ(CountEvents("role.updated"), 1);
}

TEST_F(RolesTest, UpdatePartialAndNull) {
  const std::string id = CreateRole("Auditors", {"api.usage.read"});
  const Reply renamed =
      Post(RolePath(id), json{{"role_name", "Renamed"}, {"permissions", nullptr}});
  ASSERT_EQ(renamed.status(), 200);
  EXPECT_EQ(renamed.body["name"], "Renamed");
  EXPECT_EQ(renamed.body["permissions"], json({"api.usage.read"}));
  const Reply cleared = Post(RolePath(id), json{{"permissions", json::array()}});
  EXPECT_TRUE(cleared.body["permissions"].empty());
  EXPECT_EQ(cleared.body["name"], "Renamed");
}

TEST_F(RolesTest, UpdateWithEmptyBodyLeavesTheRoleUnchanged) {
  const std::string id = CreateRole("Auditors");
  const Reply before = Get(RolePath(id));
  const Reply reply = Post(RolePath(id), std::string());
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body, before.body);
  EXPECT_EQ(Post(RolePath(id), std::string("{}")).body, before.body);
  EXPECT_EQ(CountEvents("role.updated"), 0);
}

TEST_F(RolesTest, UpdateRefusals) {
  const std::string id = CreateRole("Auditors");
  CreateRole("Others");
  ExpectError(Post(RolePath(id), json{{"role_name", "others"}}), 400, "role_name",
              "role_name_taken");
  ExpectError(Post(RolePath(id), json{{"role_name", ""}}), 400, "role_name", "invalid_value");
  ExpectError(Post(RolePath(id), json{{"permissions", {"nope"}}}), 400, "permissions",
              "invalid_value");
  ExpectError(Post(RolePath(id), json{{"role", "x"}}), 400, "role", "unknown_parameter");
  ExpectError(Post(RolePath(PredefinedRoleId("Owner")), json{{"description", "mine"}}), 400,
              std::nullopt, "predefined_role_immutable");
  ExpectError(Post(RolePath("role_nothing"), json{{"description", "x"}}), 404, std::nullopt,
              std::nullopt);
}

TEST_F(RolesTest, RenameToOwnNameInOtherCase) {
  const std::string id = CreateRole("Auditors");
  const Reply reply = Post(RolePath(id), json{{"role_name", "AUDITORS"}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["name"], "AUDITORS");
}

TEST_F(RolesTest, HoldersSeeUpdatedPermissions) {
  const std::string id = CreateRole("Auditors", {"api.usage.read"});
  ASSERT_EQ(Post("/v1/organization/users/" + OwnerId() + "/roles", json{{"role_id", id}}).status(),
            200);
  ASSERT_EQ(Post(RolePath(id), json{{"permissions", {"api.files.read"}}}).status(), 200);
  const Reply held = Get("/v1/organization/users/" + OwnerId() + "/roles/" + id);
  EXPECT_EQ(held.body["permissions"], json({"api.files.read"}));
}

TEST_F(RolesTest, Delete) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const std::string id = CreateRole("Auditors");
  ASSERT_EQ(Post("/v1/organization/users/" + reader.account.id + "/roles", json{{"role_id", id}})
                .status(),
            200);
  const Reply reply = Delete(RolePath(id));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body, json({{"object", "role.deleted"}, {"id", id}, {"deleted", true}}));
  ExpectError(Get(RolePath(id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath(id)), 404, std::nullopt, std::nullopt);
  // The assignment went with the role.
  const Reply held = Get("/v1/organization/users/" + reader.account.id + "/roles");
  ASSERT_EQ(held.body["data"].size(), 1u);
  EXPECT_EQ(held.body["data"][0]["name"], "Reader");
  EXPECT_EQ(CountEvents("role.deleted"), 1);
  EXPECT_EQ(CountEvents("role.assignment.deleted"), 1);
  // The name is free again.
  EXPECT_FALSE(CreateRole("Auditors").empty());
}

TEST_F(RolesTest, DeletePredefinedRefused) {
  ExpectError(Delete(RolePath(PredefinedRoleId("Owner"))), 400, std::nullopt,
              "predefined_role_immutable");
  ExpectError(Delete(RolePath(PredefinedRoleId("Reader"))), 400, std::nullopt,
              "predefined_role_immutable");
  EXPECT_EQ(Get("/v1/organization/roles").body["data"].size(), 2u);
}

TEST_F(RolesTest, CursorSurvivesDeletionOfItsRole) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(CreateRole("R" + std::to_string(i)));
  ASSERT_EQ(Delete(RolePath(ids[1])).status(), 200);
  const Reply reply = Get("/v1/organization/roles?after=" + ids[1]);
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  ASSERT_EQ(reply.body["data"].size(), 2u);
  EXPECT_EQ(reply.body["data"][0]["id"], ids[2]);
}

}  // namespace
}  // namespace roster::apitest

// /organization/users/{user_id}/roles[/{role_id}]: list, assign, retrieve, unassign.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

class UserRolesTest : public ApiTest {
 protected:
  std::string RolesPath(const std::string& user_id) {
    return "/v1/organization/users/" + user_id + "/roles";
  }
  std::string RolePath(const std::string& user_id, const std::string& role_id) {
    return RolesPath(user_id) + "/" + role_id;
  }
  Reply Assign(const std::string& user_id, const std::string& role_id) {
    return Post(RolesPath(user_id), json{{"role_id", role_id}});
  }
};

void ExpectAssignedRoleDetails(const json& held) {
  ASSERT_TRUE(held.is_object());
  EXPECT_EQ(held.size(), 12u) << held.dump();
  EXPECT_FALSE(held.contains("object"));
  for (const char* key : {"id", "name", "permissions", "resource_type", "predefined_role",
                          "description", "created_at", "updated_at", "created_by",
                          "created_by_user_obj", "metadata", "assignment_sources"}) {
    EXPECT_TRUE(held.contains(key)) << key;
  }
  EXPECT_EQ(held["resource_type"], "api.organization");
  EXPECT_EQ(held["metadata"], json::object());
  EXPECT_TRUE(held["assignment_sources"].is_array());
}

TEST_F(UserRolesTest, OwnerHoldsThePredefinedOwnerRole) {
  const Reply reply = Get(RolesPath(OwnerId()));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 4u);
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["has_more"], false);
  EXPECT_TRUE(reply.body["next"].is_null());
  ASSERT_EQ(reply.body["data"].size(), 1u);
  const json& held = reply.body["data"][0];
  ExpectAssignedRoleDetails(held);
  EXPECT_EQ(held["id"], PredefinedRoleId("Owner"));
  EXPECT_EQ(held["name"], "Owner");
  EXPECT_EQ(held["predefined_role"], true);
  EXPECT_TRUE(held["created_by"].is_null());
  EXPECT_TRUE(held["created_by_user_obj"].is_null());
  EXPECT_EQ(held["assignment_sources"],
            json::parse(R"([{"principal_id":")" + OwnerId() + R"(","principal_type":"user"}])"));
}

TEST_F(UserRolesTest, AssignCustomRole) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const std::string role_id = CreateRole("Group Managers", {"api.groups.write", "api.groups.read"});
  const Reply reply = Assign(reader.account.id, role_id);
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 3u);
  EXPECT_EQ(reply.body["object"], "user.role");
  EXPECT_EQ(reply.body["user"]["object"], "organization.user");
  EXPECT_EQ(reply.body["user"].size(), 16u);
  EXPECT_EQ(reply.body["user"]["id"], reader.account.id);
  EXPECT_EQ(reply.body["user"]["role"], "reader");
  EXPECT_EQ(reply.body["role"]["object"], "role");
  EXPECT_EQ(reply.body["role"].size(), 7u);
  EXPECT_EQ(reply.body["role"]["id"], role_id);
  EXPECT_EQ(reply.body["role"]["permissions"], json({"api.groups.read", "api.groups.write"}));
  EXPECT_EQ(CountEvents("role.assignment.created"), 1);

  const Reply list = Get(RolesPath(reader.account.id));
  ASSERT_EQ(list.body["data"].size(), 2u);
  EXPECT_EQ(list.body["data"][0]["name"], "Reader");
  EXPECT_EQ(list.body["data"][1]["id"], role_id);

  const Reply held = Get(RolePath(reader.account.id, role_id));
  ASSERT_EQ(held.status(), 200) << held.response.body;
  ExpectAssignedRoleDetails(held.body);
  EXPECT_EQ(held.body["id"], role_id);
  EXPECT_EQ(held.body["name"], "Group Managers");
  EXPECT_EQ(held.body["predefined_role"], false);
  EXPECT_EQ(held.body["created_at"], kStartTime);
  EXPECT_EQ(held.body["updated_at"], kStartTime);
  EXPECT_EQ(held.body["created_by"], OwnerId());
  EXPECT_EQ(held.body["created_by_user_obj"]["id"], OwnerId());
  EXPECT_EQ(held.body["created_by_user_obj"]["email"], "admin@roster.local");
  EXPECT_EQ(held.body["created_by_user_obj"]["name"], "Roster Admin");
  EXPECT_EQ(
      held.body["assignment_sources"],
      json::parse(R"([{"principal_id":")" + reader.account.id + R"(","principal_type":"user"}])"));
}

TEST_F(UserRolesTest, ReplayedAssignIsIdempotent) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const std::string role_id = CreateRole("Auditors");
  const Reply first = Assign(reader.account.id, role_id);
  ASSERT_EQ(first.status(), 200);
  const Reply second = Assign(reader.account.id, role_id);
  ASSERT_EQ(second.status(), 200) << second.response.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(CountEvents("role.assignment.created"), 1);
  EXPECT_EQ(Get(RolesPath(reader.account.id)).body["data"].size(), 2u);
}

TEST_F(UserRolesTest, AssignPredefinedOwnerSwapsBaseRole) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const Reply reply = Assign(reader.account.id, PredefinedRoleId("Owner"));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["user"]["role"], "owner");
  EXPECT_EQ(reply.body["role"]["name"], "Owner");
  EXPECT_EQ(reply.body["role"]["predefined_role"], true);
  const Reply list = Get(RolesPath(reader.account.id));
  ASSERT_EQ(list.body["data"].size(), 1u);
  EXPECT_EQ(list.body["data"][0]["name"], "Owner");
}

TEST_F(UserRolesTest, AssignValidation) {
  ExpectError(Post(RolesPath(OwnerId()), std::string()), 400, "role_id",
              "missing_required_parameter");
  ExpectError(Post(RolesPath(OwnerId()), json::object()), 400, "role_id",
              "missing_required_parameter");
  ExpectError(Post(RolesPath(OwnerId()), json{{"role_id", 12}}), 400, "role_id", "invalid_type");
  ExpectError(Post(RolesPath(OwnerId()), json{{"role_id", "r"}, {"user_id", "u"}}), 400, "user_id",
              "unknown_parameter");
  ExpectError(Post(RolesPath(OwnerId()), std::string("{")), 400, std::nullopt, std::nullopt);
}

TEST_F(UserRolesTest, AssignUnknownUserOrRole) {
  const std::string role_id = CreateRole("Auditors");
  ExpectError(Assign("user-nobody", role_id), 404, std::nullopt, std::nullopt);
  ExpectError(Assign(OwnerId(), "role_nothing"), 404, std::nullopt, std::nullopt);
}

TEST_F(UserRolesTest, Unassign) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const std::string role_id = CreateRole("Auditors");
  ASSERT_EQ(Assign(reader.account.id, role_id).status(), 200);
  const Reply reply = Delete(RolePath(reader.account.id, role_id));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body, json({{"object", "user.role.deleted"}, {"deleted", true}}));
  EXPECT_EQ(CountEvents("role.assignment.deleted"), 1);
  ExpectError(Get(RolePath(reader.account.id, role_id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath(reader.account.id, role_id)), 404, std::nullopt, std::nullopt);
  EXPECT_EQ(Get(RolesPath(reader.account.id)).body["data"].size(), 1u);
}

TEST_F(UserRolesTest, UnassignBaseRoles) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  ExpectError(Delete(RolePath(reader.account.id, PredefinedRoleId("Reader"))), 400, std::nullopt,
              "base_role_required");
  const Reply last = Delete(RolePath(OwnerId(), PredefinedRoleId("Owner")));
  ExpectError(last, 400, std::nullopt, "last_owner");
  EXPECT_EQ(last.response.Header("x-should-retry"), std::nullopt);

  // With a second owner, unassigning Owner demotes to Reader.
  ASSERT_EQ(Assign(reader.account.id, PredefinedRoleId("Owner")).status(), 200);
  ASSERT_EQ(Delete(RolePath(OwnerId(), PredefinedRoleId("Owner"))).status(), 200);
  EXPECT_EQ(Get("/v1/organization/users/" + OwnerId()).body["role"], "reader");
}

TEST_F(UserRolesTest, UnassignNotHeldOrUnknown) {
  const std::string role_id = CreateRole("Auditors");
  ExpectError(Delete(RolePath(OwnerId(), role_id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath("user-nobody", role_id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath(OwnerId(), "role_nothing")), 404, std::nullopt, std::nullopt);
}

TEST_F(UserRolesTest, RetrieveMissingPieces) {
  const std::string role_id = CreateRole("Auditors");
  Reply reply = Get(RolePath("user-nobody", role_id));
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"], "No such user: 'user-nobody'.");
  reply = Get(RolePath(OwnerId(), "role_nothing"));
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"], "No such role: 'role_nothing'.");
  reply = Get(RolePath(OwnerId(), role_id));
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"], "The user does not hold role '" + role_id + "'.");
}

TEST_F(UserRolesTest, ListUnknownUser) {
  ExpectError(Get(RolesPath("user-nobody")), 404, std::nullopt, std::nullopt);
}

TEST_F(UserRolesTest, ListPagingAndOrder) {
  std::vector<std::string> expected{PredefinedRoleId("Owner")};
  for (int i = 0; i < 5; ++i) {
    const std::string role_id = CreateRole("Role " + std::to_string(i));
    ASSERT_EQ(Assign(OwnerId(), role_id).status(), 200);
    expected.push_back(role_id);
  }
  EXPECT_EQ(WalkIds(RolesPath(OwnerId()) + "?limit=1", "next"), expected);
  EXPECT_EQ(WalkIds(RolesPath(OwnerId()) + "?limit=4", "next"), expected);
  EXPECT_EQ(WalkIds(RolesPath(OwnerId()) + "?limit=0", "next"), expected);
  std::vector<std::string> reversed(expected.rbegin(), expected.rend());
  EXPECT_EQ(WalkIds(RolesPath(OwnerId()) + "?order=desc", "next"), reversed);
  EXPECT_EQ(WalkIds(RolesPath(OwnerId()) + "?order=desc&limit=2", "next"), reversed);
  const Reply first = Get(RolesPath(OwnerId()) + "?limit=2");
  EXPECT_EQ(first.body["has_more"], true);
  EXPECT_EQ(first.body["next"], expected[1]);
}

TEST_F(UserRolesTest, ListParameterValidation) {
  ExpectError(Get(RolesPath(OwnerId()) + "?limit=1001"), 400, "limit", "integer_above_max_value");
  ExpectError(Get(RolesPath(OwnerId()) + "?limit=-1"), 400, "limit", "integer_below_min_value");
  ExpectError(Get(RolesPath(OwnerId()) + "?limit=x"), 400, "limit", "invalid_type");
  ExpectError(Get(RolesPath(OwnerId()) + "?order=up"), 400, "order", "invalid_value");
  ExpectError(Get(RolesPath(OwnerId()) + "?after=role_nothing"), 400, "after", "invalid_value");
  EXPECT_EQ(Get(RolesPath(OwnerId()) + "?limit=1000").status(), 200);
}

}  // namespace
}  // namespace roster::apitest

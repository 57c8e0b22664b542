// /organization/groups[/{group_id}], …/users[/{user_id}], …/roles[/{role_id}] in process: every
// endpoint's shape, statuses and errors, paging, and roles inherited through groups as seen on
// /organization/users/{id}/roles (CONTRACT §7.9, §9).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

constexpr const char* kGroups = "/v1/organization/groups";

class GroupsTest : public ApiTest {
 protected:
  static std::string GroupPath(const std::string& id) { return std::string(kGroups) + "/" + id; }
  static std::string UsersPath(const std::string& id) { return GroupPath(id) + "/users"; }
  static std::string UserPath(const std::string& id, const std::string& user_id) {
    return UsersPath(id) + "/" + user_id;
  }
  static std::string RolesPath(const std::string& id) { return GroupPath(id) + "/roles"; }
  static std::string RolePath(const std::string& id, const std::string& role_id) {
    return RolesPath(id) + "/" + role_id;
  }
  static std::string UserRolesPath(const std::string& user_id) {
    return "/v1/organization/users/" + user_id + "/roles";
  }

  // A new group through the API; returns its id.
  std::string NewGroup(const std::string& name) {
    clock_.Advance(1);
    const Reply reply = Post(kGroups, json{{"name", name}});
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }
  Reply AddUser(const std::string& group_id, const std::string& user_id) {
    return Post(UsersPath(group_id), json{{"user_id", user_id}});
  }
  Reply AssignRole(const std::string& group_id, const std::string& role_id) {
    return Post(RolesPath(group_id), json{{"role_id", role_id}});
  }
  // (role id, assignment_sources) of every role the user holds, from the list endpoint.
  std::vector<std::pair<std::string, json>> Holdings(const std::string& user_id) {
    const Reply reply = Get(UserRolesPath(user_id));
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    std::vector<std::pair<std::string, json>> out;
    for (const json& held : reply.body.at("data")) {
      out.emplace_back(held.at("id"), held.at("assignment_sources"));
    }
    return out;
  }
};

json Source(const std::string& id, const std::string& type) {
  return {{"principal_id", id}, {"principal_type", type}};
}

void ExpectGroup(const json& group) {
  ASSERT_TRUE(group.is_object());
  EXPECT_EQ(group.size(), 6u) << group.dump();
  for (const char* key : {"object", "id", "name", "created_at", "is_scim_managed", "group_type"}) {
    EXPECT_TRUE(group.contains(key)) << key;
  }
  EXPECT_EQ(group["object"], "group");
  EXPECT_EQ(group["is_scim_managed"], false);
  EXPECT_EQ(group["group_type"], "group");
  EXPECT_TRUE(group["created_at"].is_number_integer());
}

void ExpectNextCursorPage(const Reply& reply) {
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 4u) << reply.response.body;
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_TRUE(reply.body["data"].is_array());
  EXPECT_TRUE(reply.body["has_more"].is_boolean());
  EXPECT_TRUE(reply.body.contains("next"));
}

// --- groups ----------------------------------------------------------------------------------

TEST_F(GroupsTest, CreateRetrieveListUpdateDelete) {
  clock_.Advance(7);
  const Reply created = Post(kGroups, json{{"name", "  Support Team  "}});
  ASSERT_EQ(created.status(), 200) << created.response.body;
  ExpectGroup(created.body);
  const std::string id = created.body["id"];
  EXPECT_EQ(id.rfind("group_", 0), 0u) << id;
  EXPECT_EQ(created.body["name"], "Support Team") << "surrounding whitespace is trimmed";
  EXPECT_EQ(created.body["created_at"], kStartTime + 7);
  EXPECT_EQ(CountEvents("group.created"), 1);

  const Reply retrieved = Get(GroupPath(id));
  ASSERT_EQ(retrieved.status(), 200);
  EXPECT_EQ(retrieved.body, created.body);

  const Reply list = Get(kGroups);
  ExpectNextCursorPage(list);
  ASSERT_EQ(list.body["data"].size(), 1u);
  EXPECT_EQ(list.body["data"][0], created.body);
  EXPECT_EQ(list.body["has_more"], false);
  EXPECT_TRUE(list.body["next"].is_null());

  // The update response is GroupResourceWithSuccess: no group_type (CONTRACT §9, N-13).
  const Reply updated = Post(GroupPath(id), json{{"name", "Escalations"}});
  ASSERT_EQ(updated.status(), 200) << updated.response.body;
  EXPECT_EQ(updated.body, json({{"object", "group"},
                                {"id", id},
                                {"name", "Escalations"},
                                {"created_at", kStartTime + 7},
                                {"is_scim_managed", false}}));
  EXPECT_EQ(Get(GroupPath(id)).body["name"], "Escalations");
  EXPECT_EQ(CountEvents("group.updated"), 1);
  // Renaming to the same name (a replay) answers the same and logs nothing.
  EXPECT_EQ(Post(GroupPath(id), json{{"name", "Escalations"}}).body, updated.body);
  EXPECT_EQ(CountEvents("group.updated"), 1);

  const Reply deleted = Delete(GroupPath(id));
  ASSERT_EQ(deleted.status(), 200) << deleted.response.body;
  EXPECT_EQ(deleted.body, json({{"object", "group.deleted"}, {"id", id}, {"deleted", true}}));
  EXPECT_EQ(CountEvents("group.deleted"), 1);
  ExpectError(Get(GroupPath(id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(GroupPath(id)), 404, std::nullopt, std::nullopt);
  ExpectError(Post(GroupPath(id), json{{"name", "X"}}), 404, std::nullopt, std::nullopt);
  EXPECT_TRUE(Get(kGroups).body["data"].empty());
}

TEST_F(GroupsTest, NameValidation) {
  ExpectError(Post(kGroups, json::object()), 400, "name", "missing_required_parameter");
  ExpectError(Post(kGroups, std::string()), 400, "name", "missing_required_parameter");
  ExpectError(Post(kGroups, json{{"name", 5}}), 400, "name", "invalid_type");
  ExpectError(Post(kGroups, json{{"name", nullptr}}), 400, "name", "invalid_type");
  ExpectError(Post(kGroups, json{{"name", "   "}}), 400, "name", "invalid_value");
  ExpectError(Post(kGroups, json{{"name", ""}}), 400, "name", "invalid_value");
  ExpectError(Post(kGroups, json{{"name", std::string(256, 'x')}}), 400, "name", "invalid_value");
  ExpectError(Post(kGroups, json{{"name", "x"}, {"type", "scim"}}), 400, "type",
              "unknown_parameter");
  ExpectError(Post(kGroups, std::string("[1]")), 400, std::nullopt, "invalid_type");
  ExpectError(Post(kGroups, std::string("{not json")), 400, std::nullopt, std::nullopt);
  EXPECT_EQ(CountEvents("group.created"), 0) << "refusals create nothing";

  // Length counts characters: 255 multi-byte characters fit, and one character is enough.
  std::string e_acute;
  for (int i = 0; i < 255; ++i) e_acute += "\xC3\xA9";
  EXPECT_EQ(Post(kGroups, json{{"name", e_acute}}).status(), 200);
  EXPECT_EQ(Post(kGroups, json{{"name", "x"}}).status(), 200);

  const std::string id = NewGroup("Valid");
  ExpectError(Post(GroupPath(id), json::object()), 400, "name", "missing_required_parameter");
  ExpectError(Post(GroupPath(id), json{{"name", " "}}), 400, "name", "invalid_value");
  EXPECT_EQ(Get(GroupPath(id)).body["name"], "Valid");
}

TEST_F(GroupsTest, ListPagingOrderAndLimits) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(NewGroup("G" + std::to_string(i)));
  EXPECT_EQ(WalkIds(std::string(kGroups) + "?limit=1", "next"), ids);
  EXPECT_EQ(WalkIds(std::string(kGroups) + "?limit=2", "next"), ids);
  EXPECT_EQ(WalkIds(std::string(kGroups) + "?limit=0", "next"), ids) << "0 = the default";
  EXPECT_EQ(WalkIds(std::string(kGroups) + "?order=asc&limit=5", "next"), ids);
  const std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  EXPECT_EQ(WalkIds(std::string(kGroups) + "?order=desc&limit=2", "next"), reversed);

  const Reply first = Get(std::string(kGroups) + "?limit=2");
  ExpectNextCursorPage(first);
  EXPECT_EQ(first.body["has_more"], true);
  EXPECT_EQ(first.body["next"], ids[1]);

  // A deleted group stays a valid cursor.
  ASSERT_EQ(Delete(GroupPath(ids[2])).status(), 200);
  const Reply after_deleted = Get(std::string(kGroups) + "?after=" + ids[2]);
  ASSERT_EQ(after_deleted.status(), 200);
  ASSERT_EQ(after_deleted.body["data"].size(), 2u);
  EXPECT_EQ(after_deleted.body["data"][0]["id"], ids[3]);

  ExpectError(Get(std::string(kGroups) + "?after=group_nope"), 400, "after", "invalid_value");
  ExpectError(Get(std::string(kGroups) + "?limit=1001"), 400, "limit", "integer_above_max_value");
  ExpectError(Get(std::string(kGroups) + "?limit=-1"), 400, "limit", "integer_below_min_value");
  ExpectError(Get(std::string(kGroups) + "?limit=ten"), 400, "limit", "invalid_type");
  ExpectError(Get(std::string(kGroups) + "?order=up"), 400, "order", "invalid_value");
}

TEST_F(GroupsTest, DefaultLimitIsOneHundred) {
  for (int i = 0; i < 101; ++i) {
    ASSERT_EQ(Post(kGroups, json{{"name", "G" + std::to_string(i)}}).status(), 200);
  }
  const Reply page = Get(kGroups);
  ExpectNextCursorPage(page);
  EXPECT_EQ(page.body["data"].size(), 100u);
  EXPECT_EQ(page.body["has_more"], true);
  EXPECT_EQ(page.body["next"], page.body["data"][99]["id"]);
  EXPECT_EQ(Get(std::string(kGroups) + "?after=" + page.body["next"].get<std::string>())
                .body["data"]
                .size(),
            1u);
}

TEST_F(GroupsTest, UnknownGroupIsNotFoundEverywhere) {
  const std::string missing = "group_doesnotexist";
  for (const Reply& reply :
       {Get(GroupPath(missing)), Post(GroupPath(missing), json{{"name", "x"}}),
        Delete(GroupPath(missing)), Get(UsersPath(missing)), AddUser(missing, OwnerId()),
        Get(UserPath(missing, OwnerId())), Delete(UserPath(missing, OwnerId())),
        Get(RolesPath(missing)), AssignRole(missing, PredefinedRoleId("Reader")),
        Get(RolePath(missing, PredefinedRoleId("Reader"))),
        Delete(RolePath(missing, PredefinedRoleId("Reader")))}) {
    ExpectError(reply, 404, std::nullopt, std::nullopt);
  }
  // Percent-encoded ids reach the store decoded and still answer 404, never 500.
  ExpectError(Get(GroupPath(EncodePathParam("group/../x y"))), 404, std::nullopt, std::nullopt);
}

// --- group users -----------------------------------------------------------------------------

TEST_F(GroupsTest, AddRetrieveListRemoveUsers) {
  const core::Member ada = AddMember("ada@example.com", "Ada Lovelace");
  const std::string group = NewGroup("Support");

  const Reply added = AddUser(group, ada.account.id);
  ASSERT_EQ(added.status(), 200) << added.response.body;
  EXPECT_EQ(added.body,
            json({{"object", "group.user"}, {"user_id", ada.account.id}, {"group_id", group}}));
  // Adding again (an SDK retry) is 200 with the same body.
  EXPECT_EQ(AddUser(group, ada.account.id).body, added.body);

  const Reply retrieved = Get(UserPath(group, ada.account.id));
  ASSERT_EQ(retrieved.status(), 200) << retrieved.response.body;
  EXPECT_EQ(retrieved.body, json({{"id", ada.account.id},
                                  {"name", "Ada Lovelace"},
                                  {"email", "ada@example.com"},
                                  {"picture", nullptr},
                                  {"is_service_account", false},
                                  {"user_type", "user"}}));

  const Reply list = Get(UsersPath(group));
  ExpectNextCursorPage(list);
  ASSERT_EQ(list.body["data"].size(), 1u);
  EXPECT_EQ(list.body["data"][0],
            json({{"id", ada.account.id}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));

  const Reply removed = Delete(UserPath(group, ada.account.id));
  ASSERT_EQ(removed.status(), 200) << removed.response.body;
  EXPECT_EQ(removed.body, json({{"object", "group.user.deleted"}, {"deleted", true}}));
  ExpectError(Get(UserPath(group, ada.account.id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(UserPath(group, ada.account.id)), 404, std::nullopt, std::nullopt);
  EXPECT_TRUE(Get(UsersPath(group)).body["data"].empty());
  // Still a member of the organization.
  EXPECT_EQ(Get("/v1/organization/users/" + ada.account.id).status(), 200);
}

TEST_F(GroupsTest, AddUserValidationAndNonMembers) {
  const std::string group = NewGroup("G");
  ExpectError(Post(UsersPath(group), json::object()), 400, "user_id", "missing_required_parameter");
  ExpectError(Post(UsersPath(group), json{{"user_id", 42}}), 400, "user_id", "invalid_type");
  ExpectError(Post(UsersPath(group), json{{"user_id", OwnerId()}, {"role", "x"}}), 400, "role",
              "unknown_parameter");
  // Not a member of the organization (never, or any more) → 404.
  ExpectError(AddUser(group, "user-doesnotexist"), 404, std::nullopt, std::nullopt);
  const core::Member gone = AddMember("gone@example.com", "Gone");
  ASSERT_EQ(Delete("/v1/organization/users/" + gone.account.id).status(), 200);
  ExpectError(AddUser(group, gone.account.id), 404, std::nullopt, std::nullopt);
  // A member who is not in the group.
  ExpectError(Get(UserPath(group, OwnerId())), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(UserPath(group, OwnerId())), 404, std::nullopt, std::nullopt);
  EXPECT_TRUE(Get(UsersPath(group)).body["data"].empty());
}

TEST_F(GroupsTest, UserListDefaultsToDescendingAndPages) {
  const std::string group = NewGroup("G");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const core::Member m =
        AddMember("m" + std::to_string(i) + "@example.com", "Member " + std::to_string(i));
    ids.push_back(m.account.id);
    ASSERT_EQ(AddUser(group, m.account.id).status(), 200);
  }
  const std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  EXPECT_EQ(WalkIds(UsersPath(group), "next"), reversed) << "order defaults to desc";
  EXPECT_EQ(WalkIds(UsersPath(group) + "?limit=2", "next"), reversed);
  EXPECT_EQ(WalkIds(UsersPath(group) + "?limit=1&order=asc", "next"), ids);
  EXPECT_EQ(WalkIds(UsersPath(group) + "?limit=0&order=asc", "next"), ids);

  ExpectError(Get(UsersPath(group) + "?after=user-nope"), 400, "after", "invalid_value");
  ExpectError(Get(UsersPath(group) + "?limit=1001"), 400, "limit", "integer_above_max_value");
  ExpectError(Get(UsersPath(group) + "?order=sideways"), 400, "order", "invalid_value");
}

// --- group roles -----------------------------------------------------------------------------

TEST_F(GroupsTest, AssignRetrieveListUnassignRoles) {
  const std::string group = NewGroup("Support Team");
  const json group_obj = Get(GroupPath(group)).body;
  const std::string role = CreateRole("API Group Manager", {"api.groups.read", "api.groups.write"});

  const Reply assigned = AssignRole(group, role);
  ASSERT_EQ(assigned.status(), 200) << assigned.response.body;
  EXPECT_EQ(assigned.body.size(), 3u);
  EXPECT_EQ(assigned.body["object"], "group.role");
  // GroupSummary: `scim_managed`, not `is_scim_managed`, and no group_type (CONTRACT §6.4).
  EXPECT_EQ(assigned.body["group"], json({{"object", "group"},
                                          {"id", group},
                                          {"name", "Support Team"},
                                          {"created_at", group_obj["created_at"]},
                                          {"scim_managed", false}}));
  EXPECT_EQ(assigned.body["role"], Get("/v1/organization/roles/" + role).body);
  EXPECT_EQ(CountEvents("role.assignment.created"), 1);
  // A replay answers the same body and logs nothing new.
  EXPECT_EQ(AssignRole(group, role).body, assigned.body);
  EXPECT_EQ(CountEvents("role.assignment.created"), 1);

  const Reply held = Get(RolePath(group, role));
  ASSERT_EQ(held.status(), 200) << held.response.body;
  EXPECT_EQ(held.body.size(), 12u) << "AssignedRoleDetails, no `object`";
  EXPECT_EQ(held.body["id"], role);
  EXPECT_EQ(held.body["name"], "API Group Manager");
  EXPECT_EQ(held.body["permissions"], json({"api.groups.read", "api.groups.write"}));
  EXPECT_EQ(held.body["assignment_sources"], json::array({Source(group, "group")}));
  EXPECT_EQ(held.body["created_by"], OwnerId());

  // Predefined roles may be assigned to groups too.
  const std::string reader = PredefinedRoleId("Reader");
  ASSERT_EQ(AssignRole(group, reader).status(), 200);
  const Reply list = Get(RolesPath(group));
  ExpectNextCursorPage(list);
  ASSERT_EQ(list.body["data"].size(), 2u);
  EXPECT_EQ(list.body["data"][0]["id"], reader) << "role creation order";
  EXPECT_EQ(list.body["data"][1], held.body);

  const Reply unassigned = Delete(RolePath(group, role));
  ASSERT_EQ(unassigned.status(), 200) << unassigned.response.body;
  EXPECT_EQ(unassigned.body, json({{"object", "group.role.deleted"}, {"deleted", true}}));
  EXPECT_EQ(CountEvents("role.assignment.deleted"), 1);
  ExpectError(Get(RolePath(group, role)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath(group, role)), 404, std::nullopt, std::nullopt);
  EXPECT_EQ(CountEvents("role.assignment.deleted"), 1);
}

TEST_F(GroupsTest, RoleAssignmentErrorsAndPaging) {
  const std::string group = NewGroup("G");
  ExpectError(Post(RolesPath(group), json::object()), 400, "role_id", "missing_required_parameter");
  ExpectError(Post(RolesPath(group), json{{"role_id", true}}), 400, "role_id", "invalid_type");
  ExpectError(Post(RolesPath(group), json{{"role_id", "r"}, {"x", 1}}), 400, "x",
              "unknown_parameter");
  ExpectError(AssignRole(group, "role_doesnotexist"), 404, std::nullopt, std::nullopt);
  ExpectError(Get(RolePath(group, "role_doesnotexist")), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(RolePath(group, "role_doesnotexist")), 404, std::nullopt, std::nullopt);
  // A role that exists but is not assigned to the group.
  ExpectError(Get(RolePath(group, PredefinedRoleId("Owner"))), 404, std::nullopt, std::nullopt);

  std::vector<std::string> roles;
  for (int i = 0; i < 4; ++i) {
    roles.push_back(CreateRole("R" + std::to_string(i)));
    ASSERT_EQ(AssignRole(group, roles.back()).status(), 200);
  }
  EXPECT_EQ(WalkIds(RolesPath(group) + "?limit=1", "next"), roles);
  EXPECT_EQ(WalkIds(RolesPath(group) + "?limit=0", "next"), roles);
  const std::vector<std::string> reversed(roles.rbegin(), roles.rend());
  EXPECT_EQ(WalkIds(RolesPath(group) + "?limit=3&order=desc", "next"), reversed);
  ExpectError(Get(RolesPath(group) + "?after=role_nope"), 400, "after", "invalid_value");
  ExpectError(Get(RolesPath(group) + "?limit=1001"), 400, "limit", "integer_above_max_value");
}

TEST_F(GroupsTest, DeletingARoleRemovesItFromGroups) {
  const std::string group = NewGroup("G");
  const std::string role = CreateRole("Temporary");
  ASSERT_EQ(AssignRole(group, role).status(), 200);
  ASSERT_EQ(Delete("/v1/organization/roles/" + role).status(), 200);
  EXPECT_TRUE(Get(RolesPath(group)).body["data"].empty());
  ExpectError(Get(RolePath(group, role)), 404, std::nullopt, std::nullopt);
}

// --- roles inherited through groups ----------------------------------------------------------

TEST_F(GroupsTest, InheritedRolesAppearWithSourcesAndDisappearOnTheNextRead) {
  const core::Member ada = AddMember("ada@example.com", "Ada");
  const std::string& uid = ada.account.id;
  const std::string reader = PredefinedRoleId("Reader");
  const std::string role = CreateRole("Via group", {"api.groups.read"});
  const std::string group = NewGroup("Team");
  ASSERT_EQ(AssignRole(group, role).status(), 200);

  using HeldList = std::vector<std::pair<std::string, json>>;
  const HeldList base_only{{reader, json::array({Source(uid, "user")})}};
  EXPECT_EQ(Holdings(uid), base_only);

  // Joining the group: the role appears, sourced from the group, in list and retrieve.
  ASSERT_EQ(AddUser(group, uid).status(), 200);
  const HeldList inherited{{reader, json::array({Source(uid, "user")})},
                           {role, json::array({Source(group, "group")})}};
  EXPECT_EQ(Holdings(uid), inherited);
  const Reply held = Get(UserRolesPath(uid) + "/" + role);
  ASSERT_EQ(held.status(), 200) << held.response.body;
  EXPECT_EQ(held.body["assignment_sources"], json::array({Source(group, "group")}));
  EXPECT_EQ(held.body["name"], "Via group");

  // Also held directly: both sources, user first.
  ASSERT_EQ(Post(UserRolesPath(uid), json{{"role_id", role}}).status(), 200);
  EXPECT_EQ(Get(UserRolesPath(uid) + "/" + role).body["assignment_sources"],
            json::array({Source(uid, "user"), Source(group, "group")}));
  ASSERT_EQ(Delete(UserRolesPath(uid) + "/" + role).status(), 200);
  EXPECT_EQ(Holdings(uid), inherited) << "unassigning removes only the direct link";

  // Each way of cutting the link takes effect on the next read.
  ASSERT_EQ(Delete(UserPath(group, uid)).status(), 200);
  EXPECT_EQ(Holdings(uid), base_only) << "removed from the group";
  ExpectError(Get(UserRolesPath(uid) + "/" + role), 404, std::nullopt, std::nullopt);

  ASSERT_EQ(AddUser(group, uid).status(), 200);
  EXPECT_EQ(Holdings(uid), inherited);
  ASSERT_EQ(Delete(RolePath(group, role)).status(), 200);
  EXPECT_EQ(Holdings(uid), base_only) << "role unassigned from the group";

  ASSERT_EQ(AssignRole(group, role).status(), 200);
  EXPECT_EQ(Holdings(uid), inherited);
  ASSERT_EQ(Delete(GroupPath(group)).status(), 200);
  EXPECT_EQ(Holdings(uid), base_only) << "group deleted";
}

TEST_F(GroupsTest, UnassigningAnInheritedRoleIsRefusedNamingTheGroup) {
  const core::Member ada = AddMember("ada@example.com", "Ada");
  const std::string& uid = ada.account.id;
  const std::string role = CreateRole("Inherited");
  const std::string group = NewGroup("Platform Team");
  ASSERT_EQ(AssignRole(group, role).status(), 200);
  ASSERT_EQ(AddUser(group, uid).status(), 200);
  const int before = CountEvents("role.assignment.deleted");

  const Reply refused = Delete(UserRolesPath(uid) + "/" + role);
  ExpectError(refused, 400, std::nullopt, "role_inherited_from_group");
  const std::string message = refused.error().value("message", "");
  EXPECT_NE(message.find("Platform Team"), std::string::npos) << message;
  EXPECT_NE(message.find(group), std::string::npos) << message;
  EXPECT_EQ(CountEvents("role.assignment.deleted"), before);
  EXPECT_EQ(Get(UserRolesPath(uid) + "/" + role).status(), 200) << "still held";

  // Owner granted through a group to a reader: refused as well; the base role is untouched.
  const std::string owner_role = PredefinedRoleId("Owner");
  ASSERT_EQ(AssignRole(group, owner_role).status(), 200);
  ExpectError(Delete(UserRolesPath(uid) + "/" + owner_role), 400, std::nullopt,
              "role_inherited_from_group");
  EXPECT_EQ(Get("/v1/organization/users/" + uid).body["role"], "reader");
}

TEST_F(GroupsTest, UserRolesPageByRoleIdAcrossDirectAndInherited) {
  const core::Member ada = AddMember("ada@example.com", "Ada");
  const std::string& uid = ada.account.id;
  std::vector<std::string> expected{PredefinedRoleId("Reader")};
  const std::string group = NewGroup("G");
  ASSERT_EQ(AddUser(group, uid).status(), 200);
  for (int i = 0; i < 6; ++i) {
    const std::string role = CreateRole("R" + std::to_string(i));
    expected.push_back(role);
    // Alternate direct, inherited, both.
    if (i % 3 != 1) {
      ASSERT_EQ(Post(UserRolesPath(uid), json{{"role_id", role}}).status(), 200);
    }
    if (i % 3 != 0) {
      ASSERT_EQ(AssignRole(group, role).status(), 200);
    }
  }
  EXPECT_EQ(WalkIds(UserRolesPath(uid) + "?limit=1", "next"), expected);
  EXPECT_EQ(WalkIds(UserRolesPath(uid) + "?limit=4", "next"), expected);
  const std::vector<std::string> reversed(expected.rbegin(), expected.rend());
  EXPECT_EQ(WalkIds(UserRolesPath(uid) + "?limit=2&order=desc", "next"), reversed);
  // The page boundary does not lose sources.
  const Reply page = Get(UserRolesPath(uid) + "?limit=2&after=" + expected[2]);
  ASSERT_EQ(page.status(), 200);
  ASSERT_EQ(page.body["data"].size(), 2u);
  EXPECT_EQ(page.body["data"][0]["assignment_sources"],
            json::array({Source(uid, "user"), Source(group, "group")}));  // R2: both
  EXPECT_EQ(page.body["data"][1]["assignment_sources"],
            json::array({Source(uid, "user")}));  // R3: direct
}

TEST_F(GroupsTest, GroupRolesGrantPermissionsToTheMembersKeys) {
  // A reader can read groups but not write them; a group granting api.groups.write lets their
  // key create groups, and removing them from the group takes it away on the next request.
  const core::Member ada = AddMember("ada@example.com", "Ada");
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), ada.account.id, "ada key");
  (void)key;
  const std::string bearer = "Bearer " + value;
  const std::string body = json{{"name", "By Ada"}}.dump();
  EXPECT_EQ(Call("GET", kGroups, {}, bearer).status(), 200);
  EXPECT_EQ(Call("POST", kGroups, body, bearer).status(), 403);

  const std::string writers = CreateRole("Group writers", {"api.groups.write"});
  const std::string group = NewGroup("Writers");
  ASSERT_EQ(AssignRole(group, writers).status(), 200);
  ASSERT_EQ(AddUser(group, ada.account.id).status(), 200);
  const Reply created = Call("POST", kGroups, body, bearer);
  ASSERT_EQ(created.status(), 200) << created.response.body;
  EXPECT_EQ(created.body["name"], "By Ada");

  ASSERT_EQ(Delete(UserPath(group, ada.account.id)).status(), 200);
  EXPECT_EQ(Call("POST", kGroups, body, bearer).status(), 403);
}

}  // namespace
}  // namespace roster::apitest

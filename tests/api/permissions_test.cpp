// Permission enforcement in process: a key acts with its owner's effective permissions. The
// Reader checks walk the routes table, so every route added later is covered without a new test.
#include "core/permissions.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "api/api_helpers.hpp"
#include "api/routes.hpp"

namespace roster::apitest {
namespace {

std::string MissingPermission(std::string_view permission) {
  return "You have insufficient permissions for this operation. Missing permission: " +
         std::string(permission) + ".";
}

void ExpectForbidden(const Reply& reply, std::string_view permission) {
  ExpectError(reply, 403, std::nullopt, "insufficient_permissions");
  if (reply.status() == 403) {
    EXPECT_EQ(reply.error()["message"], MissingPermission(permission));
  }
}

class PermissionsTest : public ApiTest {
 protected:
  PermissionsTest() {
    reader_ = AddMember("reader@example.com", "Rita Reader");
    reader_value_ = Issue(reader_.account.id, "reader key");
  }

  // A new key for a member; returns its secret.
  std::string Issue(const std::string& user_id, const std::string& name) {
    auto [key, value] = api::IssueAdminKey(*store_, OrgId(), user_id, name);
    issued_key_ids_.push_back(key.id);
    return value;
  }

  Reply As(const std::string& value, const std::string& method, const std::string& target,
           const std::string& body = {}) {
    return Call(method, target, body, "Bearer " + value);
  }

  // Real ids for every path parameter of the table, so that reads can answer 200: the reader is
  // in a group holding a custom role, has a key, and an invite is pending.
  std::map<std::string, std::string> RealParams() {
    const std::string role = CreateRole("Group role", {"api.usage.read"});
    const Reply group = Post("/v1/organization/groups", json{{"name", "Readers"}});
    EXPECT_EQ(group.status(), 200) << group.response.body;
    const std::string group_id = group.body.value("id", "");
    EXPECT_EQ(Post("/v1/organization/groups/" + group_id + "/users",
                   json{{"user_id", reader_.account.id}})
                  .status(),
              200);
    EXPECT_EQ(
        Post("/v1/organization/groups/" + group_id + "/roles", json{{"role_id", role}}).status(),
        200);
    const Reply invite = Post("/v1/organization/invites",
                              json{{"email", "invitee@example.com"}, {"role", "reader"}});
    EXPECT_EQ(invite.status(), 200) << invite.response.body;
    return {{"user_id", reader_.account.id},
            {"role_id", role},
            {"group_id", group_id},
            {"key_id", issued_key_ids_.at(0)},
            {"invite_id", invite.body.value("id", "")}};
  }

  // The route's pattern with each `{name}` replaced by params[name].
  static std::string PathOf(const api::Route& route,
                            const std::map<std::string, std::string>& params) {
    std::string path;
    std::string_view pattern = route.pattern;
    while (!pattern.empty()) {
      const std::size_t open = pattern.find('{');
      if (open == std::string_view::npos) {
        path += pattern;
        break;
      }
      const std::size_t close = pattern.find('}', open);
      path += pattern.substr(0, open);
      const std::string name(pattern.substr(open + 1, close - open - 1));
      const auto it = params.find(name);
      EXPECT_NE(it, params.end()) << "no id for {" << name << "} in " << route.pattern;
      path += it == params.end() ? "x" : it->second;
      pattern.remove_prefix(close + 1);
    }
    return path;
  }

  core::Member reader_;
  std::string reader_value_;
  std::vector<std::string> issued_key_ids_;
};

TEST_F(PermissionsTest, ReaderIsRefusedOnEveryWriteRoute) {
  const auto params = RealParams();
  storage::AuditQuery everything;
  everything.limit = 1000;
  const std::size_t events_before = store_->ListAuditEvents(OrgId(), everything).items.size();
  int writes = 0;
  for (const api::Route& route : api::Routes()) {
    if (route.access != api::Access::kAdminKey || !api::IsWrite(route)) continue;
    ++writes;
    const std::string path = PathOf(route, params);
    SCOPED_TRACE(std::string(route.method) + " " + path);
    // The body would be refused too; the permission check comes first.
    ExpectForbidden(As(reader_value_, std::string(route.method), path, "{}"), route.permission);
  }
  EXPECT_GE(writes, 9);  // users, user roles, roles, admin keys at least
  EXPECT_EQ(store_->ListAuditEvents(OrgId(), everything).items.size(), events_before)
      << "a refused write changed something";
  // Nothing was deleted: the reader's key still works and the group is still there.
  EXPECT_EQ(As(reader_value_, "GET", "/v1/organization/groups/" + params.at("group_id")).status(),
            200);
}

// A member who is no Owner but holds every read permission of the catalogue through a custom role
// (and a group holding it too) is still refused on every write route, and nothing changes.
TEST_F(PermissionsTest, NonAdminWithEveryReadPermissionIsRefusedOnEveryWriteRoute) {
  const auto params = RealParams();
  std::vector<std::string> reads;
  for (const core::PermissionInfo& permission : core::PermissionCatalogue()) {
    if (std::string_view(permission.name).ends_with(".read")) {
      reads.emplace_back(permission.name);
    }
  }
  const core::Member auditor = AddMember("auditor@example.com", "Ada Auditor");
  const std::string auditor_value = Issue(auditor.account.id, "auditor key");
  const std::string role = CreateRole("Everything read", reads);
  ASSERT_EQ(Post("/v1/organization/users/" + auditor.account.id + "/roles", json{{"role_id", role}})
                .status(),
            200);
  storage::AuditQuery everything;
  everything.limit = 1000;
  const std::size_t events_before = store_->ListAuditEvents(OrgId(), everything).items.size();
  const std::string users_before = Get("/v1/organization/users?limit=100").response.body;
  const std::string roles_before = Get("/v1/organization/roles?limit=100").response.body;
  const std::string groups_before = Get("/v1/organization/groups?limit=100").response.body;
  int writes = 0;
  for (const api::Route& route : api::Routes()) {
    if (route.access != api::Access::kAdminKey || !api::IsWrite(route)) continue;
    ++writes;
    const std::string path = PathOf(route, params);
    SCOPED_TRACE(std::string(route.method) + " " + path);
    ExpectForbidden(As(auditor_value, std::string(route.method), path, "{}"), route.permission);
  }
  EXPECT_GE(writes, 9);
  EXPECT_EQ(store_->ListAuditEvents(OrgId(), everything).items.size(), events_before);
  EXPECT_EQ(Get("/v1/organization/users?limit=100").response.body, users_before);
  EXPECT_EQ(Get("/v1/organization/roles?limit=100").response.body, roles_before);
  EXPECT_EQ(Get("/v1/organization/groups?limit=100").response.body, groups_before);
}

TEST_F(PermissionsTest, ReaderIsAllowedOnEveryReadRoute) {
  const auto params = RealParams();
  int reads = 0;
  for (const api::Route& route : api::Routes()) {
    // Reads needing a write permission (an invite's link, a credential) are not the Reader's.
    if (route.access != api::Access::kAdminKey || !route.permission.ends_with(".read")) continue;
    ++reads;
    const std::string path = PathOf(route, params);
    const Reply reply = As(reader_value_, std::string(route.method), path);
    EXPECT_EQ(reply.status(), 200) << route.method << " " << path << ": " << reply.response.body;
  }
  EXPECT_GE(reads, 7);
}

TEST_F(PermissionsTest, OwnerIsAllowedOnEveryReadRoute) {
  const auto params = RealParams();
  for (const api::Route& route : api::Routes()) {
    if (route.access != api::Access::kAdminKey || api::IsWrite(route)) continue;
    const std::string path = PathOf(route, params);
    EXPECT_EQ(Call("GET", path).status(), 200) << path;
  }
}

TEST_F(PermissionsTest, CustomRoleGrantsWhatItLists) {
  const core::Member other = AddMember("other@example.com", "Otto Other");
  const std::string target = "/v1/organization/users/" + other.account.id;
  const std::string patch = R"({"technical_level":"expert"})";
  ExpectForbidden(As(reader_value_, "POST", target, patch), "api.management.write");

  const std::string role = CreateRole("User managers", {"api.management.write"});
  const std::string assign = "/v1/organization/users/" + reader_.account.id + "/roles";
  ASSERT_EQ(Post(assign, json{{"role_id", role}}).status(), 200);

  const Reply modified = As(reader_value_, "POST", target, patch);
  ASSERT_EQ(modified.status(), 200) << modified.response.body;
  EXPECT_EQ(modified.body["technical_level"], "expert");
  // Only what it lists: roles stay out of reach.
  ExpectForbidden(
      As(reader_value_, "POST", "/v1/organization/roles", R"({"role_name":"X","permissions":[]})"),
      "api.roles.write");

  // Unassigning takes effect on the next request.
  ASSERT_EQ(Delete(assign + "/" + role).status(), 200);
  ExpectForbidden(As(reader_value_, "POST", target, patch), "api.management.write");
}

TEST_F(PermissionsTest, RolesGrantedThroughAGroupComeAndGo) {
  const std::string role = CreateRole("Role writers", {"api.roles.write"});
  const Reply group = Post("/v1/organization/groups", json{{"name", "Role admins"}});
  ASSERT_EQ(group.status(), 200) << group.response.body;
  const std::string group_path = "/v1/organization/groups/" + group.body["id"].get<std::string>();
  ASSERT_EQ(Post(group_path + "/roles", json{{"role_id", role}}).status(), 200);
  const std::string create = R"({"role_name":"Made by reader","permissions":[]})";
  ExpectForbidden(As(reader_value_, "POST", "/v1/organization/roles", create), "api.roles.write");

  ASSERT_EQ(Post(group_path + "/users", json{{"user_id", reader_.account.id}}).status(), 200);
  const Reply created = As(reader_value_, "POST", "/v1/organization/roles", create);
  ASSERT_EQ(created.status(), 200) << created.response.body;

  ASSERT_EQ(Delete(group_path + "/users/" + reader_.account.id).status(), 200);
  ExpectForbidden(As(reader_value_, "POST", "/v1/organization/roles",
                     R"({"role_name":"Second","permissions":[]})"),
                  "api.roles.write");

  ASSERT_EQ(Post(group_path + "/users", json{{"user_id", reader_.account.id}}).status(), 200);
  ASSERT_EQ(Delete(group_path).status(), 200);
  ExpectForbidden(As(reader_value_, "POST", "/v1/organization/roles",
                     R"({"role_name":"Third","permissions":[]})"),
                  "api.roles.write");
}

TEST_F(PermissionsTest, DemotedOwnerLosesWritesOnTheNextRequest) {
  const core::Member second = AddMember("second@example.com", "Sam Second", core::BaseRole::kOwner);
  const std::string value = Issue(second.account.id, "second");
  const std::string create = R"({"role_name":"By second","permissions":[]})";
  ASSERT_EQ(As(value, "POST", "/v1/organization/roles", create).status(), 200);
  ASSERT_EQ(Post("/v1/organization/users/" + second.account.id, json{{"role", "reader"}}).status(),
            200);
  ExpectForbidden(
      As(value, "POST", "/v1/organization/roles", R"({"role_name":"Again","permissions":[]})"),
      "api.roles.write");
  EXPECT_EQ(As(value, "GET", "/v1/organization/roles").status(), 200);
}

TEST_F(PermissionsTest, RevokedKeyFailsItsVeryNextRequest) {
  const Reply before = As(reader_value_, "GET", "/v1/organization/users");
  ASSERT_EQ(before.status(), 200);
  ASSERT_EQ(Delete("/v1/organization/admin_api_keys/" + issued_key_ids_.at(0)).status(), 200);
  ExpectError(As(reader_value_, "GET", "/v1/organization/users"), 401, std::nullopt,
              "invalid_api_key");
}

TEST_F(PermissionsTest, RefusalOrderUnauthenticatedBeforeForbidden) {
  // No key, a wrong key or a non-admin key are 401 whatever the permission; unknown routes 404.
  ExpectError(Call("POST", "/v1/organization/roles", "{}", ""), 401, std::nullopt, std::nullopt);
  ExpectError(Call("POST", "/v1/organization/roles", "{}", "Bearer sk-admin-wrong-key-123456789"),
              401, std::nullopt, "invalid_api_key");
  ExpectError(Call("POST", "/v1/organization/roles", "{}", "Bearer sk-proj-abc"), 401, std::nullopt,
              std::nullopt);
  ExpectInvalidUrl(As(reader_value_, "POST", "/v1/organization/nothing"), "POST",
                   "/v1/organization/nothing");
}

}  // namespace
}  // namespace roster::apitest

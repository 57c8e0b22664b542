// Many organizations in one store: ids of another organization are simply not found (404).
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

class IsolationTest : public ApiTest {
 protected:
  IsolationTest() {
    api::BootstrapRequest request;
    request.org_name = "Other";
    request.owner_email = "other-owner@example.com";
    request.owner_name = "Other Owner";
    other_ = api::BootstrapOrganization(*store_, request);
    storage::NewMember member;
    member.email = "other-reader@example.com";
    member.name = "Other Reader";
    other_reader_ = store_->AddMember(std::nullopt, other_.organization.id, member);
  }

  Reply AsOther(const std::string& method, const std::string& target,
                const std::string& body = {}) {
    return Call(method, target, body, "Bearer " + other_.admin_key_value);
  }

  std::string OtherRole() {
    const Reply reply =
        AsOther("POST", "/v1/organization/roles", R"({"role_name":"Other Role","permissions":[]})");
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }

  api::BootstrapResult other_;
  core::Member other_reader_;
};

TEST_F(IsolationTest, ListsShowOnlyTheKeysOrganization) {
  const Reply mine = Get("/v1/organization/users");
  ASSERT_EQ(mine.body["data"].size(), 1u);
  EXPECT_EQ(mine.body["data"][0]["id"], OwnerId());
  const Reply theirs = AsOther("GET", "/v1/organization/users");
  ASSERT_EQ(theirs.body["data"].size(), 2u);
  EXPECT_EQ(theirs.body["data"][0]["id"], other_.owner.account.id);

  const std::string role = OtherRole();
  const Reply roles = Get("/v1/organization/roles");
  for (const json& r : roles.body["data"]) EXPECT_NE(r["id"], role);
}

TEST_F(IsolationTest, OtherOrganizationsUsersAreNotFound) {
  const std::string path = "/v1/organization/users/" + other_reader_.account.id;
  ExpectError(Get(path), 404, std::nullopt, std::nullopt);
  ExpectError(Post(path, json{{"role", "owner"}}), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(path), 404, std::nullopt, std::nullopt);
  ExpectError(Get(path + "/roles"), 404, std::nullopt, std::nullopt);
  ExpectError(Post(path + "/roles", json{{"role_id", PredefinedRoleId("Owner")}}), 404,
              std::nullopt, std::nullopt);
  // Nothing changed over there.
  EXPECT_EQ(AsOther("GET", path).body["role"], "reader");
}

TEST_F(IsolationTest, OtherOrganizationsRolesAreNotFound) {
  const std::string role = OtherRole();
  ExpectError(Get("/v1/organization/roles/" + role), 404, std::nullopt, std::nullopt);
  ExpectError(Post("/v1/organization/roles/" + role, json{{"role_name", "Mine now"}}), 404,
              std::nullopt, std::nullopt);
  ExpectError(Delete("/v1/organization/roles/" + role), 404, std::nullopt, std::nullopt);
  ExpectError(Post("/v1/organization/users/" + OwnerId() + "/roles", json{{"role_id", role}}), 404,
              std::nullopt, std::nullopt);
  ExpectError(Get("/v1/organization/users/" + OwnerId() + "/roles/" + role), 404, std::nullopt,
              std::nullopt);
  EXPECT_EQ(AsOther("GET", "/v1/organization/roles/" + role).body["name"], "Other Role");
}

TEST_F(IsolationTest, PredefinedRolesArePerOrganization) {
  const std::string their_owner_role = [&] {
    const Reply roles = AsOther("GET", "/v1/organization/roles");
    for (const json& r : roles.body["data"]) {
      if (r["name"] == "Owner") return r["id"].get<std::string>();
    }
    return std::string();
  }();
  ASSERT_FALSE(their_owner_role.empty());
  EXPECT_NE(their_owner_role, PredefinedRoleId("Owner"));
  ExpectError(Get("/v1/organization/roles/" + their_owner_role), 404, std::nullopt, std::nullopt);
}

TEST_F(IsolationTest, RoleNamesAreUniquePerOrganizationOnly) {
  OtherRole();
  EXPECT_FALSE(CreateRole("Other Role").empty());
}

TEST_F(IsolationTest, CursorsOfAnotherOrganizationAreInvalid) {
  ExpectError(Get("/v1/organization/users?after=" + other_reader_.account.id), 400, "after",
              "invalid_value");
  ExpectError(Get("/v1/organization/roles?after=" + OtherRole()), 400, "after", "invalid_value");
}

TEST_F(IsolationTest, OrganizationHeaderMustMatchTheKey) {
  api::Request request =
      api::Request::Make("GET", "/v1/organization/users", "", "Bearer " + other_.admin_key_value);
  request.openai_organization = OrgId();
  ExpectError(Send(request), 401, std::nullopt, "mismatched_organization");
  request.openai_organization = other_.organization.id;
  EXPECT_EQ(Send(request).status(), 200);
}

}  // namespace
}  // namespace roster::apitest

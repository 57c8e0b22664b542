// The authentication cache (api/auth_cache.hpp): a key seen before is served from memory, and
// every kind of write that changes what a key may do takes effect on the very next request — also
// when the write comes from another store on the same database (another process or node), which
// the router's cache hears nothing about.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "api/api_helpers.hpp"
#include "api/bootstrap.hpp"
#include "crypto/keys.hpp"

namespace roster::apitest {
namespace {

class AuthCacheTest : public ApiTest {
 protected:
  AuthCacheTest() {
    member_ = AddMember("cached@example.com", "Casey Cached");
    auto [key, value] = api::IssueAdminKey(*store_, OrgId(), member_.account.id, "cached");
    key_id_ = key.id;
    value_ = value;
    other_ = OpenSecondStore();
    actor_ = core::Actor{OrgId(), org_.key.id, OwnerId(), org_.owner.account.email};
  }

  int AsMember(const std::string& method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, "Bearer " + value_).status();
  }
  // A write the member may do only with api.roles.write.
  int MemberCreatesRole() {
    return AsMember(
        "POST", "/v1/organization/roles",
        json{{"role_name", "r" + std::to_string(++roles_made_)}, {"permissions", json::array()}}
            .dump());
  }
  // Warms the cache with the member's key (two requests: a miss, then a hit).
  void Warm() {
    const auto before = router_->auth_cache_stats();
    ASSERT_EQ(AsMember("GET", "/v1/organization/users"), 200);
    ASSERT_EQ(AsMember("GET", "/v1/organization/users"), 200);
    EXPECT_GT(router_->auth_cache_stats().hits, before.hits) << "the second use must be a hit";
  }

  core::Member member_;
  std::string key_id_;
  std::string value_;
  std::unique_ptr<storage::Store> other_;  // "another node": writes the router never sees
  core::Actor actor_;
  int roles_made_ = 0;
};

TEST_F(AuthCacheTest, RepeatedRequestsAreHashLookupsNotQueries) {
  const auto before = router_->auth_cache_stats();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Get("/v1/organization/users").status(), 200);
  const auto after = router_->auth_cache_stats();
  EXPECT_EQ(after.misses - before.misses, 1u);
  EXPECT_EQ(after.hits - before.hits, 19u);
}

TEST_F(AuthCacheTest, UnknownKeysAreNotRemembered) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Call("GET", "/v1/organization/users", "",
                   "Bearer sk-admin-unknown-" + std::to_string(i) + "-0123456789abcdef")
                  .status(),
              401);
  }
  EXPECT_EQ(router_->auth_cache_stats().hits, 0u);
}

TEST_F(AuthCacheTest, ExpiryIsCheckedOnEveryRequest) {
  const std::string value = "sk-admin-expiring-" + std::string(40, 'e');
  store_->CreateAdminKey(
      std::nullopt, OrgId(),
      {OwnerId(), "short", crypto::Sha256Hex(value), crypto::RedactKey(value), kStartTime + 60});
  ASSERT_EQ(Call("GET", "/v1/organization/users", "", "Bearer " + value).status(), 200);
  ASSERT_EQ(Call("GET", "/v1/organization/users", "", "Bearer " + value).status(), 200);
  clock_.Advance(60);
  ExpectError(Call("GET", "/v1/organization/users", "", "Bearer " + value), 401, std::nullopt,
              "invalid_api_key");
}

// Each kind of write, made by the second store, is seen by the very next request.
TEST_F(AuthCacheTest, RevokedKeyFromAnotherNodeFailsTheNextRequest) {
  Warm();
  other_->DeleteAdminKey(actor_, OrgId(), key_id_);
  ExpectError(Call("GET", "/v1/organization/users", "", "Bearer " + value_), 401, std::nullopt,
              "invalid_api_key");
}

TEST_F(AuthCacheTest, RemovedMemberFromAnotherNodeFailsTheNextRequest) {
  Warm();
  other_->DeleteMember(actor_, OrgId(), member_.account.id);
  EXPECT_EQ(AsMember("GET", "/v1/organization/users"), 401);
}

TEST_F(AuthCacheTest, BaseRoleChangeFromAnotherNodeTakesEffectAtOnce) {
  Warm();
  EXPECT_EQ(MemberCreatesRole(), 403);
  storage::MemberPatch promote;
  promote.base_role = core::BaseRole::kOwner;
  other_->UpdateMember(actor_, OrgId(), member_.account.id, promote);
  EXPECT_EQ(MemberCreatesRole(), 200);
  storage::MemberPatch demote;
  demote.base_role = core::BaseRole::kReader;
  other_->UpdateMember(actor_, OrgId(), member_.account.id, demote);
  EXPECT_EQ(MemberCreatesRole(), 403);
}

TEST_F(AuthCacheTest, UserRoleAssignmentsFromAnotherNodeTakeEffectAtOnce) {
  const std::string role = CreateRole("Writers", {"api.roles.write"});
  Warm();
  other_->AssignUserRole(actor_, OrgId(), member_.account.id, role);
  EXPECT_EQ(MemberCreatesRole(), 200);
  other_->UnassignUserRole(actor_, OrgId(), member_.account.id, role);
  EXPECT_EQ(MemberCreatesRole(), 403);
}

TEST_F(AuthCacheTest, RolePermissionChangesFromAnotherNodeTakeEffectAtOnce) {
  const std::string role = CreateRole("Changing", {"api.groups.read"});
  ASSERT_EQ(Post("/v1/organization/users/" + member_.account.id + "/roles", json{{"role_id", role}})
                .status(),
            200);
  Warm();
  EXPECT_EQ(MemberCreatesRole(), 403);
  storage::RolePatch grant;
  grant.permissions = std::vector<std::string>{"api.roles.write"};
  other_->UpdateRole(actor_, OrgId(), role, grant);
  EXPECT_EQ(MemberCreatesRole(), 200);
  other_->DeleteRole(actor_, OrgId(), role);
  EXPECT_EQ(MemberCreatesRole(), 403);
}

TEST_F(AuthCacheTest, GroupChangesFromAnotherNodeTakeEffectAtOnce) {
  const std::string role = CreateRole("Via group", {"api.roles.write"});
  const core::Group group = other_->CreateGroup(actor_, OrgId(), "Team");
  Warm();
  // Member joins a group without roles: nothing yet; the group gets the role: granted.
  other_->AddGroupUser(actor_, OrgId(), group.id, member_.account.id);
  EXPECT_EQ(MemberCreatesRole(), 403);
  other_->AssignGroupRole(actor_, OrgId(), group.id, role);
  EXPECT_EQ(MemberCreatesRole(), 200);
  other_->UnassignGroupRole(actor_, OrgId(), group.id, role);
  EXPECT_EQ(MemberCreatesRole(), 403);
  other_->AssignGroupRole(actor_, OrgId(), group.id, role);
  EXPECT_EQ(MemberCreatesRole(), 200);
  other_->RemoveGroupUser(actor_, OrgId(), group.id, member_.account.id);
  EXPECT_EQ(MemberCreatesRole(), 403);
  other_->AddGroupUser(actor_, OrgId(), group.id, member_.account.id);
  EXPECT_EQ(MemberCreatesRole(), 200);
  other_->DeleteGroup(actor_, OrgId(), group.id);
  EXPECT_EQ(MemberCreatesRole(), 403);
}

TEST_F(AuthCacheTest, WritesOfAnotherOrganizationKeepTheCacheWarm) {
  Warm();
  const core::Organization elsewhere = other_->CreateOrganization("Elsewhere");
  const core::Member someone = other_->AddMember(
      std::nullopt, elsewhere.id, {"someone@elsewhere.test", "Someone", core::BaseRole::kOwner});
  core::Actor them{elsewhere.id, "", someone.account.id, someone.account.email};
  const core::Role role = other_->CreateRole(them, elsewhere.id, {"Theirs", std::nullopt, {}});
  other_->AssignUserRole(them, elsewhere.id, someone.account.id, role.id);
  const auto before = router_->auth_cache_stats();
  ASSERT_EQ(AsMember("GET", "/v1/organization/users"), 200);
  EXPECT_EQ(router_->auth_cache_stats().hits, before.hits + 1);
}

TEST_F(AuthCacheTest, RecordingUseDoesNotInvalidate) {
  // last_used_at is written on the first use (and then at most once a minute): not an
  // authentication change, so the next request is still a hit.
  Warm();
  clock_.Advance(120);
  ASSERT_EQ(AsMember("GET", "/v1/organization/users"), 200);  // records the use
  const auto before = router_->auth_cache_stats();
  ASSERT_EQ(AsMember("GET", "/v1/organization/users"), 200);
  EXPECT_EQ(router_->auth_cache_stats().hits, before.hits + 1);
  const auto key = store_->GetAdminKey(OrgId(), key_id_);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->last_used_at, kStartTime + 120);
}

}  // namespace
}  // namespace roster::apitest

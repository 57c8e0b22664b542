// Store::AuthGeneration on every backend: every write that can change what a live key may do gives
// the organization a new value (in the change's own transaction), FindKeyByHash returns the value
// of its own snapshot, and writes that change nothing for keys — a recorded use, another
// organization's changes, new members — keep it. The authentication cache (api/auth_cache.hpp) is
// correct exactly when this holds.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

class AuthGenerationTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    member_ = store_->AddMember(actor_, org_.id, {"m@acme.test", "Max Member"});
    key_ = store_->CreateAdminKey(
        actor_, org_.id,
        {member_.account.id, "k", std::string(64, 'a'), "sk-admin...aaa", std::nullopt});
    role_ = store_->CreateRole(actor_, org_.id, {"Custom", std::nullopt, {"api.roles.read"}});
    group_ = store_->CreateGroup(actor_, org_.id, "Team");
  }

  std::int64_t Generation() {
    const auto value = store_->AuthGeneration(org_.id);
    EXPECT_TRUE(value.has_value()) << "every backend keeps a version";
    return value.value_or(0);
  }

  // Expects `change` to give the organization a new version, and FindKeyByHash to report it.
  void ExpectBumps(const char* what, const std::function<void()>& change) {
    const std::int64_t before = Generation();
    change();
    const std::int64_t after = Generation();
    EXPECT_NE(after, before) << what << " did not change the authentication version";
    const auto record = store_->FindKeyByHash(std::string(64, 'b'));
    if (record) EXPECT_EQ(record->auth_generation, after) << what;
  }
  void ExpectKeeps(const char* what, const std::function<void()>& change) {
    const std::int64_t before = Generation();
    change();
    EXPECT_EQ(Generation(), before) << what << " changed the authentication version";
  }

  core::Member member_;
  core::AdminKey key_;
  core::Role role_;
  core::Group group_;
};

TEST_P(AuthGenerationTest, FindKeyByHashReportsTheVersionOfItsSnapshot) {
  const auto record = store_->FindKeyByHash(std::string(64, 'a'));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->auth_generation, store_->AuthGeneration(org_.id));
}

TEST_P(AuthGenerationTest, EveryAuthorizationChangeBumpsTheVersion) {
  // A second key, so FindKeyByHash can be checked while the first is revoked.
  store_->CreateAdminKey(
      actor_, org_.id,
      {owner_.account.id, "b", std::string(64, 'b'), "sk-admin...bbb", std::nullopt});
  ExpectBumps("assigning a role to a member",
              [&] { store_->AssignUserRole(actor_, org_.id, member_.account.id, role_.id); });
  ExpectBumps("unassigning it",
              [&] { store_->UnassignUserRole(actor_, org_.id, member_.account.id, role_.id); });
  ExpectBumps("a base role change", [&] {
    MemberPatch patch;
    patch.base_role = core::BaseRole::kOwner;
    store_->UpdateMember(actor_, org_.id, member_.account.id, patch);
  });
  ExpectBumps("a role_id patch assigning a custom role", [&] {
    MemberPatch patch;
    patch.role_id = role_.id;
    store_->UpdateMember(actor_, org_.id, member_.account.id, patch);
  });
  ExpectBumps("changing a role's permissions", [&] {
    RolePatch patch;
    patch.permissions = std::vector<std::string>{"api.groups.read"};
    store_->UpdateRole(actor_, org_.id, role_.id, patch);
  });
  ExpectBumps("adding a member to a group",
              [&] { store_->AddGroupUser(actor_, org_.id, group_.id, member_.account.id); });
  ExpectBumps("assigning a role to a group",
              [&] { store_->AssignGroupRole(actor_, org_.id, group_.id, role_.id); });
  ExpectBumps("unassigning it from the group",
              [&] { store_->UnassignGroupRole(actor_, org_.id, group_.id, role_.id); });
  ExpectBumps("removing a member from a group",
              [&] { store_->RemoveGroupUser(actor_, org_.id, group_.id, member_.account.id); });
  ExpectBumps("deleting a group", [&] { store_->DeleteGroup(actor_, org_.id, group_.id); });
  ExpectBumps("deleting a role", [&] { store_->DeleteRole(actor_, org_.id, role_.id); });
  ExpectBumps("revoking a key", [&] { store_->DeleteAdminKey(actor_, org_.id, key_.id); });
  ExpectBumps("removing a member",
              [&] { store_->DeleteMember(actor_, org_.id, member_.account.id); });
}

TEST_P(AuthGenerationTest, ChangesNoKeyCanSeeKeepTheVersion) {
  ExpectKeeps("recording a key's use", [&] { store_->TouchAdminKey(key_.id, clock_.Now() + 5); });
  ExpectKeeps("adding a member", [&] {
    store_->AddMember(actor_, org_.id, {"new@acme.test", "New"});
  });
  ExpectKeeps("creating a role, a group, a key", [&] {
    store_->CreateRole(actor_, org_.id, {"Fresh", std::nullopt, {}});
    store_->CreateGroup(actor_, org_.id, "Fresh");
    store_->CreateAdminKey(
        actor_, org_.id,
        {owner_.account.id, "c", std::string(64, 'c'), "sk-admin...ccc", std::nullopt});
  });
  ExpectKeeps("another organization's changes", [&] {
    const core::Organization other = store_->CreateOrganization("Other");
    const core::Member someone =
        store_->AddMember(std::nullopt, other.id, {"o@other.test", "O", core::BaseRole::kOwner});
    const core::Actor them{other.id, "", someone.account.id, someone.account.email};
    const core::Role role = store_->CreateRole(them, other.id, {"R", std::nullopt, {}});
    store_->AssignUserRole(them, other.id, someone.account.id, role.id);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthGenerationTest, ::testing::ValuesIn(ConformanceBackends()),
                         BackendName);

}  // namespace
}  // namespace roster::storage::testing

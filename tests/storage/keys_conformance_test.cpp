// Conformance of the admin key operations: owner fields, listing order and cursors, revocation,
// use recording, the audit events they write, and the effective permissions authentication reads
// with the key (CONTRACT §10.2, §11.4).
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/permissions.hpp"
#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;
using nlohmann::json;

class KeysConformanceTest : public OrgStoreTest {
 protected:
  // A key of `owner` (default: the org owner) with a unique hash; one second after the last.
  core::AdminKey NewKey(const std::string& name, std::optional<std::string> owner = std::nullopt,
                        std::optional<core::Timestamp> expires_at = std::nullopt) {
    clock_.Advance(1);
    const std::string hash = Hash(++keys_);
    return store_->CreateAdminKey(actor_, org_.id,
                                  {owner.value_or(owner_.account.id), name, hash,
                                   "sk-admin...k" + std::to_string(keys_), expires_at});
  }

  // The hash of the n-th key made by NewKey.
  static std::string Hash(int n) {
    std::string hash = std::to_string(n);
    return hash + std::string(64 - hash.size(), 'f');
  }

  core::Member AddMember(const std::string& email, BaseRole role = BaseRole::kReader) {
    clock_.Advance(1);
    return store_->AddMember(actor_, org_.id, {email, "Name " + email, role});
  }

  std::vector<std::string> KeyIds(const core::Page<core::AdminKey>& page) {
    std::vector<std::string> ids;
    for (const auto& key : page.items) ids.push_back(key.id);
    return ids;
  }

  // Every key of the organization in `order`, fetched `limit` at a time.
  std::vector<std::string> AllKeyIds(core::SortOrder order, int limit) {
    std::vector<std::string> ids;
    ListQuery query{std::nullopt, limit, order};
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->ListAdminKeys(org_.id, query);
      for (const auto& key : page.items) ids.push_back(key.id);
      if (!page.has_more) return ids;
      query.after = page.items.back().id;
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }

  // Events of the organization with this type, oldest first.
  std::vector<core::AuditEvent> EventsOfType(const std::string& type) {
    std::vector<core::AuditEvent> out;
    for (auto& event : AllEvents(org_.id)) {
      if (event.type == type) out.insert(out.begin(), event);
    }
    return out;
  }

  std::vector<std::string> PermissionsOfKey(int n) {
    auto record = store_->FindKeyByHash(Hash(n));
    if (!record) {
      ADD_FAILURE() << "key " << n << " does not authenticate";
      return {};
    }
    return record->permissions;
  }

  int keys_ = 0;
};

TEST_P(KeysConformanceTest, CreateFillsOwnerAndWritesApiKeyCreated) {
  const core::AdminKey key = NewKey("ci", std::nullopt, kOrgFixtureStart + 3600);
  EXPECT_EQ(key.owner_user_id, owner_.account.id);
  EXPECT_EQ(key.owner_name, "Olive Owner");
  EXPECT_EQ(key.owner_email, "owner@acme.test");
  EXPECT_EQ(key.owner_added_at, owner_.added_at);
  EXPECT_EQ(key.owner_role, BaseRole::kOwner);
  EXPECT_EQ(key.expires_at, kOrgFixtureStart + 3600);

  const auto events = EventsOfType("api_key.created");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].resource_id, key.id);
  EXPECT_EQ(events[0].payload, json({{"id", key.id}, {"data", {{"scopes", json::array()}}}}));
  ASSERT_TRUE(events[0].actor);
  EXPECT_EQ(events[0].actor->key_id, "key_test");
  EXPECT_EQ(events[0].actor->user_id, owner_.account.id);
  EXPECT_EQ(events[0].effective_at, key.created_at);

  // Issued from the shell: no actor.
  store_->CreateAdminKey(std::nullopt, org_.id,
                         {owner_.account.id, std::nullopt, std::string(64, '0'), "r", {}});
  const auto both = EventsOfType("api_key.created");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_FALSE(both[1].actor);
}

TEST_P(KeysConformanceTest, GetFillsOwnerOfAReaderAndIsScopedToOrganization) {
  const core::Member reader = AddMember("r@acme.test");
  const core::AdminKey key = NewKey("reader key", reader.account.id);
  const auto got = store_->GetAdminKey(org_.id, key.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, key.id);
  EXPECT_EQ(got->org_id, org_.id);
  EXPECT_EQ(got->name, "reader key");
  EXPECT_EQ(got->redacted_value, key.redacted_value);
  EXPECT_EQ(got->created_at, key.created_at);
  EXPECT_FALSE(got->expires_at);
  EXPECT_FALSE(got->last_used_at);
  EXPECT_EQ(got->owner_user_id, reader.account.id);
  EXPECT_EQ(got->owner_name, "Name r@acme.test");
  EXPECT_EQ(got->owner_email, "r@acme.test");
  EXPECT_EQ(got->owner_added_at, reader.added_at);
  EXPECT_EQ(got->owner_role, BaseRole::kReader);

  // The owner block follows the member: a promotion shows on the next read.
  store_->UpdateMember(actor_, org_.id, reader.account.id, {BaseRole::kOwner, {}, {}, {}});
  EXPECT_EQ(store_->GetAdminKey(org_.id, key.id)->owner_role, BaseRole::kOwner);

  const auto other = store_->CreateOrganization("Other");
  EXPECT_FALSE(store_->GetAdminKey(other.id, key.id));
  EXPECT_FALSE(store_->GetAdminKey(org_.id, "key_nope"));
}

TEST_P(KeysConformanceTest, ListOrdersPagesAndSkipsOtherOrganizations) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(NewKey("k" + std::to_string(i)).id);
  const auto other = store_->CreateOrganization("Other");
  const auto outsider =
      store_->AddMember(std::nullopt, other.id, {"o@other.test", "O", BaseRole::kOwner});
  store_->CreateAdminKey(std::nullopt, other.id,
                         {outsider.account.id, "theirs", std::string(64, '9'), "x", {}});

  EXPECT_EQ(AllKeyIds(core::SortOrder::kAsc, 100), ids);
  EXPECT_EQ(AllKeyIds(core::SortOrder::kAsc, 1), ids);
  EXPECT_EQ(AllKeyIds(core::SortOrder::kAsc, 2), ids);
  const std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  EXPECT_EQ(AllKeyIds(core::SortOrder::kDesc, 100), reversed);
  EXPECT_EQ(AllKeyIds(core::SortOrder::kDesc, 2), reversed);

  auto first = store_->ListAdminKeys(org_.id, {std::nullopt, 2, core::SortOrder::kAsc});
  EXPECT_EQ(KeyIds(first), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(first.has_more);
  auto last = store_->ListAdminKeys(org_.id, {ids[2], 2, core::SortOrder::kAsc});
  EXPECT_EQ(KeyIds(last), (std::vector<std::string>{ids[3], ids[4]}));
  EXPECT_FALSE(last.has_more);
  auto down = store_->ListAdminKeys(org_.id, {ids[2], 5, core::SortOrder::kDesc});
  EXPECT_EQ(KeyIds(down), (std::vector<std::string>{ids[1], ids[0]}));
  EXPECT_FALSE(down.has_more);

  EXPECT_TRUE(
      store_->ListAdminKeys(other.id, {std::nullopt, 100, core::SortOrder::kAsc}).items.size() ==
      1);
}

TEST_P(KeysConformanceTest, RevokedKeysAreUnlistedButStayValidCursors) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(NewKey("k" + std::to_string(i)).id);
  store_->DeleteAdminKey(actor_, org_.id, ids[1]);
  EXPECT_EQ(AllKeyIds(core::SortOrder::kAsc, 1),
            (std::vector<std::string>{ids[0], ids[2], ids[3]}));
  auto after_revoked = store_->ListAdminKeys(org_.id, {ids[1], 10, core::SortOrder::kAsc});
  EXPECT_EQ(KeyIds(after_revoked), (std::vector<std::string>{ids[2], ids[3]}));
  auto before_revoked = store_->ListAdminKeys(org_.id, {ids[1], 10, core::SortOrder::kDesc});
  EXPECT_EQ(KeyIds(before_revoked), (std::vector<std::string>{ids[0]}));
}

TEST_P(KeysConformanceTest, UnknownCursorIsInvalidAfter) {
  NewKey("mine");
  const auto other = store_->CreateOrganization("Other");
  const auto outsider =
      store_->AddMember(std::nullopt, other.id, {"o@other.test", "O", BaseRole::kOwner});
  const auto theirs = store_->CreateAdminKey(
      std::nullopt, other.id, {outsider.account.id, "theirs", std::string(64, '9'), "x", {}});
  for (const std::string& cursor : {std::string("key_nope"), theirs.id, owner_.account.id}) {
    EXPECT_TRUE(Refused(
        [&] {
          store_->ListAdminKeys(org_.id, {cursor, 10, core::SortOrder::kAsc});
        },
        ErrorKind::kInvalidRequest, "invalid_value", "after"))
        << cursor;
  }
}

TEST_P(KeysConformanceTest, DeleteRevokesAtOnceAndWritesApiKeyDeleted) {
  const core::AdminKey key = NewKey("doomed");
  const core::AdminKey kept = NewKey("kept");
  ASSERT_TRUE(store_->FindKeyByHash(Hash(1)));
  clock_.Advance(5);
  store_->DeleteAdminKey(actor_, org_.id, key.id);
  EXPECT_FALSE(store_->FindKeyByHash(Hash(1)));
  EXPECT_TRUE(store_->FindKeyByHash(Hash(2)));
  EXPECT_FALSE(store_->GetAdminKey(org_.id, key.id));
  EXPECT_TRUE(store_->GetAdminKey(org_.id, kept.id));

  const auto events = EventsOfType("api_key.deleted");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload, json({{"id", key.id}}));
  EXPECT_EQ(events[0].resource_id, key.id);
  EXPECT_EQ(events[0].effective_at, kOrgFixtureStart + 7);
  ASSERT_TRUE(events[0].actor);
  EXPECT_EQ(events[0].actor->user_id, owner_.account.id);

  // A replay finds nothing to delete and records nothing.
  EXPECT_TRUE(
      Refused([&] { store_->DeleteAdminKey(actor_, org_.id, key.id); }, ErrorKind::kNotFound));
  EXPECT_EQ(EventsOfType("api_key.deleted").size(), 1u);
}

TEST_P(KeysConformanceTest, DeleteIsScopedToOrganization) {
  const core::AdminKey key = NewKey("mine");
  const auto other = store_->CreateOrganization("Other");
  const core::Actor stranger{other.id, "key_x", "user-x", "x@other.test"};
  EXPECT_TRUE(
      Refused([&] { store_->DeleteAdminKey(stranger, other.id, key.id); }, ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->DeleteAdminKey(actor_, org_.id, "key_nope"); }, ErrorKind::kNotFound));
  EXPECT_TRUE(store_->FindKeyByHash(Hash(1)));
  EXPECT_TRUE(EventsOfType("api_key.deleted").empty());
}

TEST_P(KeysConformanceTest, KeysOfRemovedMembersAreGone) {
  const core::Member second = AddMember("o2@acme.test", BaseRole::kOwner);
  const core::AdminKey key = NewKey("theirs", second.account.id);
  const core::AdminKey mine = NewKey("mine");
  store_->DeleteMember(actor_, org_.id, second.account.id);
  EXPECT_FALSE(store_->GetAdminKey(org_.id, key.id));
  EXPECT_EQ(AllKeyIds(core::SortOrder::kAsc, 10), std::vector<std::string>{mine.id});
  EXPECT_TRUE(
      Refused([&] { store_->DeleteAdminKey(actor_, org_.id, key.id); }, ErrorKind::kNotFound));
  // Still a valid cursor.
  EXPECT_EQ(KeyIds(store_->ListAdminKeys(org_.id, {key.id, 10, core::SortOrder::kAsc})),
            std::vector<std::string>{mine.id});
}

TEST_P(KeysConformanceTest, TouchRecordsUseAndNeverGoesBack) {
  const core::AdminKey key = NewKey("used");
  store_->TouchAdminKey(key.id, kOrgFixtureStart + 100);
  EXPECT_EQ(store_->GetAdminKey(org_.id, key.id)->last_used_at, kOrgFixtureStart + 100);
  EXPECT_EQ(store_->FindKeyByHash(Hash(1))->key.last_used_at, kOrgFixtureStart + 100);
  store_->TouchAdminKey(key.id, kOrgFixtureStart + 50);  // a late, older report
  EXPECT_EQ(store_->GetAdminKey(org_.id, key.id)->last_used_at, kOrgFixtureStart + 100);
  store_->TouchAdminKey(key.id, kOrgFixtureStart + 200);
  auto page = store_->ListAdminKeys(org_.id, {std::nullopt, 10, core::SortOrder::kAsc});
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].last_used_at, kOrgFixtureStart + 200);
  store_->TouchAdminKey("key_nope", kOrgFixtureStart + 300);  // nothing to record, no error
  // Recording use is not a change anyone made: no event.
  EXPECT_EQ(AllEvents(org_.id).size(),
            EventsOfType("api_key.created").size() + EventsOfType("user.added").size());
}

// --- effective permissions ---------------------------------------------------------------------

TEST_P(KeysConformanceTest, PermissionsOfPredefinedRoles) {
  NewKey("owner key");
  EXPECT_EQ(PermissionsOfKey(1), core::PredefinedPermissions(BaseRole::kOwner));
  const core::Member reader = AddMember("r@acme.test");
  NewKey("reader key", reader.account.id);
  EXPECT_EQ(PermissionsOfKey(2), core::PredefinedPermissions(BaseRole::kReader));

  // A base role change applies to the existing key.
  store_->UpdateMember(actor_, org_.id, reader.account.id, {BaseRole::kOwner, {}, {}, {}});
  EXPECT_EQ(PermissionsOfKey(2), core::PredefinedPermissions(BaseRole::kOwner));
}

TEST_P(KeysConformanceTest, PermissionsIncludeDirectCustomRoles) {
  const core::Member reader = AddMember("r@acme.test");
  NewKey("reader key", reader.account.id);
  const auto custom = store_->CreateRole(
      actor_, org_.id, {"Managers", std::nullopt, {"api.management.write", "api.groups.write"}});
  store_->AssignUserRole(actor_, org_.id, reader.account.id, custom.id);

  std::vector<std::string> expected = core::PredefinedPermissions(BaseRole::kReader);
  expected.push_back("api.groups.write");
  expected.push_back("api.management.write");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(PermissionsOfKey(1), expected);

  // Editing the role's permissions applies at once.
  store_->UpdateRole(actor_, org_.id, custom.id,
                     {std::nullopt, std::nullopt, std::vector<std::string>{"api.roles.write"}});
  expected = core::PredefinedPermissions(BaseRole::kReader);
  expected.push_back("api.roles.write");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(PermissionsOfKey(1), expected);

  store_->UnassignUserRole(actor_, org_.id, reader.account.id, custom.id);
  EXPECT_EQ(PermissionsOfKey(1), core::PredefinedPermissions(BaseRole::kReader));

  store_->AssignUserRole(actor_, org_.id, reader.account.id, custom.id);
  store_->DeleteRole(actor_, org_.id, custom.id);
  EXPECT_EQ(PermissionsOfKey(1), core::PredefinedPermissions(BaseRole::kReader));
}

TEST_P(KeysConformanceTest, PermissionsIncludeRolesOfLiveGroups) {
  const core::Member reader = AddMember("r@acme.test");
  NewKey("reader key", reader.account.id);
  const auto role =
      store_->CreateRole(actor_, org_.id, {"Writers", std::nullopt, {"api.management.write"}});
  const auto group = store_->CreateGroup(actor_, org_.id, "Admins");
  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  const std::vector<std::string> reader_only = core::PredefinedPermissions(BaseRole::kReader);
  EXPECT_EQ(PermissionsOfKey(1), reader_only);  // not in the group yet

  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  std::vector<std::string> with_group = reader_only;
  with_group.push_back("api.management.write");
  std::sort(with_group.begin(), with_group.end());
  EXPECT_EQ(PermissionsOfKey(1), with_group);

  store_->RemoveGroupUser(actor_, org_.id, group.id, reader.account.id);
  EXPECT_EQ(PermissionsOfKey(1), reader_only);

  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  store_->UnassignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(PermissionsOfKey(1), reader_only);

  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(PermissionsOfKey(1), with_group);
  store_->DeleteGroup(actor_, org_.id, group.id);
  EXPECT_EQ(PermissionsOfKey(1), reader_only);
}

TEST_P(KeysConformanceTest, PermissionsAreSortedAndUniqueAcrossSources) {
  const core::Member reader = AddMember("r@acme.test");
  NewKey("reader key", reader.account.id);
  // Both grant api.management.write and repeat a Reader permission.
  const auto a = store_->CreateRole(
      actor_, org_.id, {"A", std::nullopt, {"api.management.write", "api.roles.read"}});
  const auto b = store_->CreateRole(
      actor_, org_.id, {"B", std::nullopt, {"api.management.write", "api.usage.read"}});
  store_->AssignUserRole(actor_, org_.id, reader.account.id, a.id);
  const auto group = store_->CreateGroup(actor_, org_.id, "G");
  store_->AssignGroupRole(actor_, org_.id, group.id, b.id);
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);

  const std::vector<std::string> permissions = PermissionsOfKey(1);
  EXPECT_TRUE(std::is_sorted(permissions.begin(), permissions.end()));
  EXPECT_EQ(std::adjacent_find(permissions.begin(), permissions.end()), permissions.end());
  EXPECT_EQ(std::count(permissions.begin(), permissions.end(), "api.management.write"), 1);
}

TEST_P(KeysConformanceTest, PermissionsDoNotLeakAcrossOrganizations) {
  // The same account in two organizations: a custom role in one grants nothing in the other.
  const auto other = store_->CreateOrganization("Other");
  const core::Member there =
      store_->AddMember(std::nullopt, other.id, {"r@acme.test", "R", BaseRole::kOwner});
  const core::Member here = AddMember("r@acme.test");
  ASSERT_EQ(here.account.id, there.account.id);
  NewKey("here", here.account.id);
  EXPECT_EQ(PermissionsOfKey(1), core::PredefinedPermissions(BaseRole::kReader));
}

INSTANTIATE_TEST_SUITE_P(Backends, KeysConformanceTest, ::testing::ValuesIn(ConformanceBackends()),
                         BackendName);

}  // namespace
}  // namespace roster::storage::testing

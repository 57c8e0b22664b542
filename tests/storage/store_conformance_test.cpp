// The storage conformance suite: every Store behaviour the API relies on, run on every backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/ids.hpp"
#include "core/permissions.hpp"
#include "storage/store_test_support.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;
using nlohmann::json;

constexpr core::Timestamp kStart = 1'700'000'000;

std::vector<std::string> MemberIds(const core::Page<core::Member>& page) {
  std::vector<std::string> ids;
  for (const auto& m : page.items) ids.push_back(m.account.id);
  return ids;
}

std::vector<std::string> RoleIds(const std::vector<core::Role>& roles) {
  std::vector<std::string> ids;
  for (const auto& r : roles) ids.push_back(r.id);
  return ids;
}

std::vector<std::string> HeldIds(const core::Page<core::HeldRole>& page) {
  std::vector<std::string> ids;
  for (const auto& h : page.items) ids.push_back(h.role.id);
  return ids;
}

class StoreConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().make(clock_);
    org_ = store_->CreateOrganization("Acme");
    owner_ = store_->AddMember(std::nullopt, org_.id,
                               {"owner@acme.test", "Olive Owner", BaseRole::kOwner});
    actor_ = core::Actor{org_.id, "key_test", owner_.account.id, owner_.account.email};
    const auto roles = store_->ListRoles(org_.id, {std::nullopt, 100, core::SortOrder::kAsc});
    owner_role_ = roles.items.at(0);
    reader_role_ = roles.items.at(1);
    MarkEvents();
  }

  void TearDown() override {
    store_.reset();
    CleanTestDir();
  }

  core::Member AddReader(const std::string& email) {
    clock_.Advance(1);
    return store_->AddMember(actor_, org_.id, {email, "Reader " + email, BaseRole::kReader});
  }

  core::Member AddOwner(const std::string& email) {
    clock_.Advance(1);
    return store_->AddMember(actor_, org_.id, {email, "Owner " + email, BaseRole::kOwner});
  }

  core::Role CreateRole(const std::string& name, std::vector<std::string> permissions = {}) {
    clock_.Advance(1);
    return store_->CreateRole(actor_, org_.id, {name, std::nullopt, std::move(permissions)});
  }

  // Every event of `org_id`, newest first, fetched page by page (so paging is exercised too).
  std::vector<core::AuditEvent> AllEvents(const std::string& org_id) {
    std::vector<core::AuditEvent> out;
    AuditQuery query{.after = std::nullopt, .limit = 7};
    for (;;) {
      auto page = store_->ListAuditEvents(org_id, query);
      out.insert(out.end(), page.items.begin(), page.items.end());
      if (!page.has_more) break;
      query.after = page.items.back().id;
    }
    return out;
  }

  // Remembers the newest event, so NewEvents() returns only what happens afterwards.
  void MarkEvents() {
    auto all = AllEvents(org_.id);
    mark_ = all.empty() ? std::nullopt : std::optional<std::string>(all.front().id);
  }

  // Events since MarkEvents(), oldest first; marks again.
  std::vector<core::AuditEvent> NewEvents() {
    std::vector<core::AuditEvent> out;
    for (auto& event : AllEvents(org_.id)) {
      if (mark_ && event.id == *mark_) break;
      out.push_back(event);
    }
    std::reverse(out.begin(), out.end());
    MarkEvents();
    return out;
  }

  std::vector<std::string> NewEventTypes() {
    std::vector<std::string> types;
    for (const auto& e : NewEvents()) types.push_back(e.type);
    return types;
  }

  std::size_t OwnerCount(const std::string& org_id) {
    std::size_t owners = 0;
    ListMembersQuery query{std::nullopt, 100, {}};
    for (;;) {
      auto page = store_->ListMembers(org_id, query);
      for (const auto& m : page.items) owners += m.base_role == BaseRole::kOwner;
      if (!page.has_more) break;
      query.after = page.items.back().account.id;
    }
    return owners;
  }

  static json AssignmentPayload(const std::string& org_id, const std::string& user_id,
                                const std::string& role_id) {
    return {{"id", user_id + ":" + role_id},
            {"principal_id", user_id},
            {"principal_type", "user"},
            {"resource_id", org_id},
            {"resource_type", "api.organization"}};
  }

  core::ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
  core::Organization org_;
  core::Member owner_;
  core::Actor actor_;
  core::Role owner_role_;
  core::Role reader_role_;
  std::optional<std::string> mark_;
};

// --- organizations ---------------------------------------------------------------------------

TEST_P(StoreConformanceTest, CreateOrganizationSeedsPredefinedRolesAndDefaultProject) {
  EXPECT_TRUE(core::IsWellFormedId(org_.id, core::id_prefix::kOrganization));
  EXPECT_TRUE(core::IsWellFormedId(org_.default_project_id, core::id_prefix::kProject));
  EXPECT_EQ(org_.name, "Acme");
  EXPECT_EQ(org_.created_at, kStart);

  auto fetched = store_->GetOrganization(org_.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->id, org_.id);
  EXPECT_EQ(fetched->name, "Acme");
  EXPECT_EQ(fetched->default_project_id, org_.default_project_id);
  EXPECT_EQ(fetched->created_at, kStart);

  auto roles = store_->ListRoles(org_.id, {std::nullopt, 100, core::SortOrder::kAsc});
  ASSERT_EQ(roles.items.size(), 2u);
  EXPECT_FALSE(roles.has_more);
  const core::Role& owner = roles.items[0];
  const core::Role& reader = roles.items[1];
  EXPECT_EQ(owner.name, "Owner");
  EXPECT_EQ(reader.name, "Reader");
  EXPECT_TRUE(core::IsWellFormedId(owner.id, core::id_prefix::kRole));
  EXPECT_LT(owner.id, reader.id);
  for (const auto* role : {&owner, &reader}) {
    EXPECT_TRUE(role->predefined);
    EXPECT_EQ(role->org_id, org_.id);
    EXPECT_EQ(role->resource_type, "api.organization");
    EXPECT_FALSE(role->created_by);
    EXPECT_FALSE(role->created_by_name);
    EXPECT_FALSE(role->description);
    EXPECT_EQ(role->created_at, kStart);
  }
  EXPECT_EQ(owner.permissions, core::PredefinedPermissions(BaseRole::kOwner));
  EXPECT_EQ(reader.permissions, core::PredefinedPermissions(BaseRole::kReader));

  // The owner added in SetUp sees the default project.
  EXPECT_EQ(owner_.default_project_id, org_.default_project_id);
  EXPECT_EQ(owner_.default_project_name, "Default project");
}

TEST_P(StoreConformanceTest, ListOrganizationsOldestFirstAndUnknownIsMissing) {
  clock_.Advance(10);
  auto second = store_->CreateOrganization("Beta");
  auto orgs = store_->ListOrganizations();
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(orgs[0].id, org_.id);
  EXPECT_EQ(orgs[1].id, second.id);
  EXPECT_EQ(orgs[1].name, "Beta");
  EXPECT_NE(second.default_project_id, org_.default_project_id);
  EXPECT_FALSE(store_->GetOrganization("org-doesnotexist000000000000"));
  // Each organization has its own predefined roles.
  auto roles = store_->ListRoles(second.id, {std::nullopt, 100, core::SortOrder::kAsc});
  ASSERT_EQ(roles.items.size(), 2u);
  EXPECT_NE(roles.items[0].id, owner_role_.id);
}

// The bootstrap (`roster serve` on an empty store, `roster orgs create`): organization, owner
// and key in one transaction, so a failure in the last step leaves nothing behind.
TEST_P(StoreConformanceTest, CreateOrganizationWithOwnerIsAllOrNothing) {
  NewOrganization request;
  request.name = "Gamma";
  request.owner = {"boss@gamma.test", "Gail Boss", BaseRole::kOwner};
  request.key.name = "bootstrap";
  request.key.key_hash = std::string(64, 'a');
  request.key.redacted_value = "sk-admin...aaaa";
  const CreatedOrganization created = store_->CreateOrganizationWithOwner(request);
  EXPECT_EQ(created.organization.name, "Gamma");
  EXPECT_EQ(created.owner.base_role, BaseRole::kOwner);
  EXPECT_EQ(created.key.owner_user_id, created.owner.account.id);
  const auto found = store_->FindKeyByHash(request.key.key_hash);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->actor.org_id, created.organization.id);
  EXPECT_EQ(store_->ListRoles(created.organization.id, {std::nullopt, 100, core::SortOrder::kAsc})
                .items.size(),
            2u);
  AuditQuery all;
  all.limit = 100;
  std::vector<std::string> types;
  for (const auto& event : store_->ListAuditEvents(created.organization.id, all).items) {
    types.push_back(event.type);
    EXPECT_FALSE(event.actor.has_value()) << event.type;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"api_key.created", "user.added"}));

  // The same key hash again: the key insert fails last, and the organization and its owner go
  // with it.
  request.name = "Delta";
  request.owner.email = "boss@delta.test";
  EXPECT_THROW(store_->CreateOrganizationWithOwner(request), core::Error);
  EXPECT_EQ(store_->ListOrganizations().size(), 2u);
}

// --- members ---------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, AddMemberCreatesAccountMembershipAndUserAddedEvent) {
  clock_.Advance(5);
  auto member =
      store_->AddMember(actor_, org_.id, {"  Ann@Example.COM ", "Ann", BaseRole::kReader});
  EXPECT_TRUE(core::IsWellFormedId(member.account.id, core::id_prefix::kUser));
  EXPECT_EQ(member.account.email, "Ann@Example.COM");  // trimmed, case kept
  EXPECT_EQ(member.account.name, "Ann");
  EXPECT_FALSE(member.account.picture);
  EXPECT_TRUE(member.account.enabled);
  EXPECT_EQ(member.account.created_at, kStart + 5);
  EXPECT_EQ(member.org_id, org_.id);
  EXPECT_EQ(member.base_role, BaseRole::kReader);
  EXPECT_EQ(member.added_at, kStart + 5);
  EXPECT_FALSE(member.technical_level);
  EXPECT_FALSE(member.developer_persona);
  EXPECT_EQ(member.default_project_id, org_.default_project_id);
  EXPECT_EQ(member.default_project_name, "Default project");

  auto fetched = store_->GetMember(org_.id, member.account.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->account.email, member.account.email);
  EXPECT_EQ(fetched->added_at, member.added_at);

  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = events[0];
  EXPECT_TRUE(core::IsWellFormedId(e.id, core::id_prefix::kAuditLog));
  EXPECT_EQ(e.type, "user.added");
  EXPECT_EQ(e.org_id, org_.id);
  EXPECT_EQ(e.effective_at, kStart + 5);
  EXPECT_EQ(e.resource_id, member.account.id);
  EXPECT_EQ(e.payload, (json{{"id", member.account.id}, {"data", {{"role", "reader"}}}}));
  ASSERT_TRUE(e.actor);
  EXPECT_EQ(e.actor->org_id, org_.id);
  EXPECT_EQ(e.actor->key_id, "key_test");
  EXPECT_EQ(e.actor->user_id, owner_.account.id);
  EXPECT_EQ(e.actor->user_email, "owner@acme.test");
}

TEST_P(StoreConformanceTest, AddMemberFromShellRecordsNoActor) {
  auto events = AllEvents(org_.id);
  ASSERT_EQ(events.size(), 1u);  // the owner of SetUp, added without an actor
  EXPECT_EQ(events[0].type, "user.added");
  EXPECT_EQ(events[0].payload, (json{{"id", owner_.account.id}, {"data", {{"role", "owner"}}}}));
  EXPECT_FALSE(events[0].actor);
}

TEST_P(StoreConformanceTest, AddMemberReusesAccountByNormalizedEmail) {
  auto other = store_->CreateOrganization("Other");
  auto first = store_->AddMember(std::nullopt, org_.id, {"ann@x.test", "Ann", BaseRole::kReader});
  clock_.Advance(3);
  auto second = store_->AddMember(std::nullopt, other.id,
                                  {" ANN@X.TEST\t", "Someone Else", BaseRole::kOwner});
  EXPECT_EQ(second.account.id, first.account.id);
  EXPECT_EQ(second.account.name, "Ann");          // the account keeps its name
  EXPECT_EQ(second.account.email, "ann@x.test");  // and its email spelling
  EXPECT_EQ(second.account.created_at, kStart);
  EXPECT_EQ(second.added_at, kStart + 3);
  EXPECT_EQ(second.base_role, BaseRole::kOwner);
  EXPECT_EQ(second.org_id, other.id);
  EXPECT_EQ(second.default_project_id, other.default_project_id);
  // The membership in the first org is untouched.
  EXPECT_EQ(store_->GetMember(org_.id, first.account.id)->base_role, BaseRole::kReader);
}

TEST_P(StoreConformanceTest, AddMemberTwiceIsRefusedWithoutEvent) {
  AddReader("bob@x.test");
  MarkEvents();
  EXPECT_TRUE(Refused(
      [&] {
        store_->AddMember(actor_, org_.id, {"BOB@x.test", "Bob", BaseRole::kOwner});
      },
      ErrorKind::kInvalidRequest, "already_member", "email"));
  EXPECT_TRUE(NewEvents().empty());
  auto page = store_->ListMembers(org_.id, {std::nullopt, 100, {}});
  EXPECT_EQ(page.items.size(), 2u);
}

TEST_P(StoreConformanceTest, AddMemberToUnknownOrganizationIsNotFound) {
  EXPECT_TRUE(Refused(
      [&] {
        store_->AddMember(actor_, "org-nope", {"x@x.test", "X", BaseRole::kReader});
      },
      ErrorKind::kNotFound));
}

TEST_P(StoreConformanceTest, GetMemberIsScopedToOrganizationAndLiveMembership) {
  auto other = store_->CreateOrganization("Other");
  auto outsider =
      store_->AddMember(std::nullopt, other.id, {"out@x.test", "Out", BaseRole::kOwner});
  EXPECT_FALSE(store_->GetMember(org_.id, outsider.account.id));
  EXPECT_FALSE(store_->GetMember(org_.id, "user-unknown"));
  EXPECT_TRUE(store_->GetMember(other.id, outsider.account.id));

  auto reader = AddReader("r@x.test");
  store_->DeleteMember(actor_, org_.id, reader.account.id);
  EXPECT_FALSE(store_->GetMember(org_.id, reader.account.id));
}

TEST_P(StoreConformanceTest, ListMembersInJoinOrderWithExactHasMore) {
  std::vector<std::string> expected{owner_.account.id};
  for (int i = 0; i < 5; ++i)
    expected.push_back(AddReader("m" + std::to_string(i) + "@x.test").account.id);

  // Pages of 2 over 6 members: 2+2+2, the last one exactly full and without has_more.
  std::vector<std::string> seen;
  ListMembersQuery query{std::nullopt, 2, {}};
  std::vector<bool> has_more;
  for (;;) {
    auto page = store_->ListMembers(org_.id, query);
    ASSERT_FALSE(page.items.empty());
    auto ids = MemberIds(page);
    seen.insert(seen.end(), ids.begin(), ids.end());
    has_more.push_back(page.has_more);
    if (!page.has_more) break;
    query.after = ids.back();
  }
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(has_more, (std::vector<bool>{true, true, false}));

  auto all = store_->ListMembers(org_.id, {std::nullopt, 6, {}});
  EXPECT_EQ(MemberIds(all), expected);
  EXPECT_FALSE(all.has_more);
  auto five = store_->ListMembers(org_.id, {std::nullopt, 5, {}});
  EXPECT_EQ(five.items.size(), 5u);
  EXPECT_TRUE(five.has_more);
  auto after_last = store_->ListMembers(org_.id, {expected.back(), 5, {}});
  EXPECT_TRUE(after_last.items.empty());
  EXPECT_FALSE(after_last.has_more);
  // The largest limit a caller could pass does not overflow the limit + 1 probe.
  auto huge = store_->ListMembers(org_.id, {std::nullopt, std::numeric_limits<int>::max(), {}});
  EXPECT_EQ(MemberIds(huge), expected);
  EXPECT_FALSE(huge.has_more);
  // Full member objects in lists too.
  EXPECT_EQ(all.items[1].default_project_id, org_.default_project_id);
  EXPECT_EQ(all.items[1].account.email, "m0@x.test");
}

TEST_P(StoreConformanceTest, ListMembersCursorNamingDeletedMemberContinues) {
  auto a = AddReader("a@x.test");
  auto b = AddReader("b@x.test");
  auto c = AddReader("c@x.test");
  auto page = store_->ListMembers(org_.id, {std::nullopt, 2, {}});
  ASSERT_EQ(MemberIds(page), (std::vector<std::string>{owner_.account.id, a.account.id}));
  // The last item of the page is removed before the next page is requested.
  store_->DeleteMember(actor_, org_.id, a.account.id);
  auto next = store_->ListMembers(org_.id, {a.account.id, 2, {}});
  EXPECT_EQ(MemberIds(next), (std::vector<std::string>{b.account.id, c.account.id}));
  EXPECT_FALSE(next.has_more);
  // Deleted members are not listed.
  auto all = store_->ListMembers(org_.id, {std::nullopt, 100, {}});
  EXPECT_EQ(MemberIds(all),
            (std::vector<std::string>{owner_.account.id, b.account.id, c.account.id}));
}

TEST_P(StoreConformanceTest, ListMembersCursorOfReaddedMemberUsesLatestPosition) {
  auto a = AddReader("a@x.test");
  auto b = AddReader("b@x.test");
  store_->DeleteMember(actor_, org_.id, a.account.id);
  auto again = AddReader("a@x.test");
  EXPECT_EQ(again.account.id, a.account.id);  // same account, new membership at the end
  EXPECT_GT(again.added_at, a.added_at);
  auto all = store_->ListMembers(org_.id, {std::nullopt, 100, {}});
  EXPECT_EQ(MemberIds(all),
            (std::vector<std::string>{owner_.account.id, b.account.id, a.account.id}));
  EXPECT_TRUE(store_->ListMembers(org_.id, {a.account.id, 100, {}}).items.empty());
  EXPECT_EQ(MemberIds(store_->ListMembers(org_.id, {b.account.id, 100, {}})),
            (std::vector<std::string>{a.account.id}));
}

TEST_P(StoreConformanceTest, ListMembersUnknownCursorIsInvalidValue) {
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListMembers(org_.id, {"user-never", 10, {}});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
  // A member of another organization never was in this list.
  auto other = store_->CreateOrganization("Other");
  auto outsider =
      store_->AddMember(std::nullopt, other.id, {"out@x.test", "Out", BaseRole::kOwner});
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListMembers(org_.id, {outsider.account.id, 10, {}});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

TEST_P(StoreConformanceTest, ListMembersFiltersByEmailsCaseInsensitive) {
  auto a = AddReader("Alice@X.test");
  auto b = AddReader("bob@x.test");
  auto c = AddReader("carol@x.test");
  auto d = AddReader("dave@x.test");
  store_->DeleteMember(actor_, org_.id, d.account.id);

  auto page = store_->ListMembers(org_.id, {std::nullopt,
                                            10,
                                            {"CAROL@x.test", " alice@x.TEST ", "nobody@x.test",
                                             "alice@x.test", "dave@x.test"}});
  // Join order, each once, deleted members excluded, unknown emails match nothing.
  EXPECT_EQ(MemberIds(page), (std::vector<std::string>{a.account.id, c.account.id}));
  EXPECT_FALSE(page.has_more);

  // Paging within the filter.
  auto first = store_->ListMembers(org_.id, {std::nullopt, 1, {"carol@x.test", "alice@x.test"}});
  EXPECT_EQ(MemberIds(first), (std::vector<std::string>{a.account.id}));
  EXPECT_TRUE(first.has_more);
  auto second = store_->ListMembers(org_.id, {a.account.id, 1, {"carol@x.test", "alice@x.test"}});
  EXPECT_EQ(MemberIds(second), (std::vector<std::string>{c.account.id}));
  EXPECT_FALSE(second.has_more);
  // A cursor outside the filter still positions the page.
  auto after_b = store_->ListMembers(org_.id, {b.account.id, 10, {"carol@x.test", "alice@x.test"}});
  EXPECT_EQ(MemberIds(after_b), (std::vector<std::string>{c.account.id}));

  // Another organization's member with a matching email is not listed.
  auto other = store_->CreateOrganization("Other");
  store_->AddMember(std::nullopt, other.id, {"bob@x.test", "Bob", BaseRole::kOwner});
  EXPECT_EQ(MemberIds(store_->ListMembers(org_.id, {std::nullopt, 10, {"BOB@X.TEST"}})),
            (std::vector<std::string>{b.account.id}));
}

// --- UpdateMember ----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, UpdateMemberRolePromotesAndWritesUserUpdatedOnce) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  clock_.Advance(1);
  MemberPatch patch;
  patch.base_role = BaseRole::kOwner;
  auto updated = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(updated.base_role, BaseRole::kOwner);
  EXPECT_EQ(updated.account.id, reader.account.id);
  EXPECT_EQ(store_->GetMember(org_.id, reader.account.id)->base_role, BaseRole::kOwner);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "user.updated");
  EXPECT_EQ(events[0].resource_id, reader.account.id);
  EXPECT_EQ(events[0].payload,
            (json{{"id", reader.account.id}, {"changes_requested", {{"role", "owner"}}}}));
  EXPECT_EQ(events[0].actor->key_id, "key_test");

  // A replay changes nothing and logs nothing.
  auto replay = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(replay.base_role, BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());

  // Demotion is allowed while another owner remains.
  patch.base_role = BaseRole::kReader;
  EXPECT_EQ(store_->UpdateMember(actor_, org_.id, owner_.account.id, patch).base_role,
            BaseRole::kReader);
  EXPECT_EQ(NewEventTypes(), (std::vector<std::string>{"user.updated"}));
}

TEST_P(StoreConformanceTest, UpdateMemberDemotingLastOwnerIsRefused) {
  AddReader("r@x.test");
  MarkEvents();
  MemberPatch by_role;
  by_role.base_role = BaseRole::kReader;
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, owner_.account.id, by_role); },
                      ErrorKind::kInvalidRequest, "last_owner", "role"));
  MemberPatch by_role_id;
  by_role_id.role_id = reader_role_.id;
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, owner_.account.id, by_role_id); },
                      ErrorKind::kInvalidRequest, "last_owner", "role_id"));
  EXPECT_EQ(store_->GetMember(org_.id, owner_.account.id)->base_role, BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateMemberPredefinedRoleIdSwapsBaseRole) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  MemberPatch patch;
  patch.role_id = owner_role_.id;
  auto updated = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(updated.base_role, BaseRole::kOwner);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);  // a base swap is user.updated, never role.assignment.*
  EXPECT_EQ(events[0].payload,
            (json{{"id", reader.account.id}, {"changes_requested", {{"role", "owner"}}}}));
  // The predefined role is held as the base role only: one Owner entry, no Reader.
  auto held = store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 100});
  EXPECT_EQ(HeldIds(held), (std::vector<std::string>{owner_role_.id}));
  // role and role_id agreeing is fine.
  patch.base_role = BaseRole::kOwner;
  EXPECT_EQ(store_->UpdateMember(actor_, org_.id, reader.account.id, patch).base_role,
            BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateMemberCustomRoleIdAssignsOnce) {
  auto reader = AddReader("r@x.test");
  auto role = CreateRole("Auditor", {"api.usage.read"});
  MarkEvents();
  MemberPatch patch;
  patch.role_id = role.id;
  auto updated = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(updated.base_role, BaseRole::kReader);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.assignment.created");
  EXPECT_EQ(events[0].resource_id, reader.account.id + ":" + role.id);
  EXPECT_EQ(events[0].payload, AssignmentPayload(org_.id, reader.account.id, role.id));
  EXPECT_TRUE(store_->GetUserRole(org_.id, reader.account.id, role.id));
  store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateMemberConflictingRoleAndRoleId) {
  auto reader = AddReader("r@x.test");
  auto custom = CreateRole("Auditor");
  MarkEvents();
  MemberPatch patch;
  patch.base_role = BaseRole::kOwner;
  patch.role_id = reader_role_.id;
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, reader.account.id, patch); },
                      ErrorKind::kInvalidRequest, "conflicting_parameters", "role_id"));
  patch.role_id = custom.id;
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, reader.account.id, patch); },
                      ErrorKind::kInvalidRequest, "conflicting_parameters", "role_id"));
  EXPECT_EQ(store_->GetMember(org_.id, reader.account.id)->base_role, BaseRole::kReader);
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, custom.id));
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateMemberMetadataWritesNoEvent) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  MemberPatch patch;
  patch.technical_level = "expert";
  auto updated = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(updated.technical_level, "expert");
  EXPECT_FALSE(updated.developer_persona);
  patch = {};
  patch.developer_persona = "backend";
  updated = store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
  EXPECT_EQ(updated.technical_level, "expert");  // absent = unchanged
  EXPECT_EQ(updated.developer_persona, "backend");
  auto fetched = store_->GetMember(org_.id, reader.account.id);
  EXPECT_EQ(fetched->technical_level, "expert");
  EXPECT_EQ(fetched->developer_persona, "backend");
  // An empty patch returns the member unchanged.
  EXPECT_EQ(store_->UpdateMember(actor_, org_.id, reader.account.id, {}).developer_persona,
            "backend");
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateMemberUnknownUserOrRoleIsNotFound) {
  auto reader = AddReader("r@x.test");
  auto other = store_->CreateOrganization("Other");
  auto foreign_roles = store_->ListRoles(other.id, {std::nullopt, 100});
  auto deleted = CreateRole("Gone");
  store_->DeleteRole(actor_, org_.id, deleted.id);
  MarkEvents();
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, "user-nope", {}); },
                      ErrorKind::kNotFound));
  for (const std::string& role_id :
       {std::string("role_nope"), foreign_roles.items[0].id, deleted.id}) {
    MemberPatch patch;
    patch.role_id = role_id;
    EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, reader.account.id, patch); },
                        ErrorKind::kNotFound))
        << role_id;
  }
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, RefusedUpdateRollsBackEarlierChanges) {
  // The metadata is written before the demotion is refused; the refusal must undo it.
  MemberPatch patch;
  patch.technical_level = "changed";
  patch.base_role = BaseRole::kReader;
  EXPECT_TRUE(Refused([&] { store_->UpdateMember(actor_, org_.id, owner_.account.id, patch); },
                      ErrorKind::kInvalidRequest, "last_owner", "role"));
  auto fetched = store_->GetMember(org_.id, owner_.account.id);
  EXPECT_FALSE(fetched->technical_level);
  EXPECT_EQ(fetched->base_role, BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());
  // The store is still usable afterwards (no transaction left open).
  patch.base_role.reset();
  EXPECT_EQ(store_->UpdateMember(actor_, org_.id, owner_.account.id, patch).technical_level,
            "changed");
}

// --- DeleteMember ----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, DeleteMemberTombstonesAndRemovesAssignments) {
  auto reader = AddReader("r@x.test");
  auto role = CreateRole("Auditor");
  store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  MarkEvents();
  clock_.Advance(1);
  store_->DeleteMember(actor_, org_.id, reader.account.id);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "user.deleted");
  EXPECT_EQ(events[0].resource_id, reader.account.id);
  EXPECT_EQ(events[0].payload, (json{{"id", reader.account.id}}));

  EXPECT_FALSE(store_->GetMember(org_.id, reader.account.id));
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, role.id));
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 100});
      },
      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->DeleteMember(actor_, org_.id, reader.account.id); },
                      ErrorKind::kNotFound));

  // Coming back starts clean: base role as given, no old assignments.
  auto again = AddReader("r@x.test");
  EXPECT_EQ(again.account.id, reader.account.id);
  auto held = store_->ListUserRoles(org_.id, again.account.id, {std::nullopt, 100});
  EXPECT_EQ(HeldIds(held), (std::vector<std::string>{reader_role_.id}));
}

TEST_P(StoreConformanceTest, DeleteLastOwnerIsRefused) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  EXPECT_TRUE(Refused([&] { store_->DeleteMember(actor_, org_.id, owner_.account.id); },
                      ErrorKind::kInvalidRequest, "last_owner"));
  EXPECT_TRUE(store_->GetMember(org_.id, owner_.account.id));
  EXPECT_TRUE(NewEvents().empty());
  // A reader can always go; with a second owner the first can go too.
  store_->DeleteMember(actor_, org_.id, reader.account.id);
  auto second = AddOwner("o2@x.test");
  store_->DeleteMember(actor_, org_.id, owner_.account.id);
  EXPECT_FALSE(store_->GetMember(org_.id, owner_.account.id));
  EXPECT_TRUE(Refused([&] { store_->DeleteMember(actor_, org_.id, second.account.id); },
                      ErrorKind::kInvalidRequest, "last_owner"));
  EXPECT_EQ(OwnerCount(org_.id), 1u);
}

TEST_P(StoreConformanceTest, DeleteMemberIsScopedToOrganization) {
  auto other = store_->CreateOrganization("Other");
  auto outsider = store_->AddMember(std::nullopt, other.id, {"o@x.test", "O", BaseRole::kReader});
  EXPECT_TRUE(Refused([&] { store_->DeleteMember(actor_, org_.id, outsider.account.id); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(store_->GetMember(other.id, outsider.account.id));
}

// --- roles -----------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, CreateRoleRecordsCreatorAndEvent) {
  clock_.Advance(7);
  auto role = store_->CreateRole(
      actor_, org_.id,
      {"Billing Admin", "Sees usage", {"api.usage.read", "api.all.read", "api.usage.read"}});
  EXPECT_TRUE(core::IsWellFormedId(role.id, core::id_prefix::kRole));
  EXPECT_EQ(role.org_id, org_.id);
  EXPECT_EQ(role.name, "Billing Admin");
  EXPECT_EQ(role.description, "Sees usage");
  EXPECT_EQ(role.permissions, (std::vector<std::string>{"api.all.read", "api.usage.read"}));
  EXPECT_FALSE(role.predefined);
  EXPECT_EQ(role.resource_type, "api.organization");
  EXPECT_EQ(role.created_at, kStart + 7);
  EXPECT_EQ(role.updated_at, kStart + 7);
  EXPECT_EQ(role.created_by, owner_.account.id);
  EXPECT_EQ(role.created_by_name, "Olive Owner");
  EXPECT_EQ(role.created_by_email, "owner@acme.test");

  auto fetched = store_->GetRole(org_.id, role.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->permissions, role.permissions);
  EXPECT_EQ(fetched->created_by_email, "owner@acme.test");

  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.created");
  EXPECT_EQ(events[0].resource_id, role.id);
  EXPECT_EQ(events[0].payload, (json{{"id", role.id},
                                     {"role_name", "Billing Admin"},
                                     {"permissions", {"api.all.read", "api.usage.read"}},
                                     {"resource_type", "api.organization"},
                                     {"resource_id", org_.id}}));

  // No permissions at all is a valid role.
  auto empty = CreateRole("Nothing");
  EXPECT_TRUE(empty.permissions.empty());
  EXPECT_TRUE(store_->GetRole(org_.id, empty.id)->permissions.empty());
}

TEST_P(StoreConformanceTest, RoleNamesAreUniqueCaseInsensitiveAmongLiveRoles) {
  auto role = CreateRole("Auditor");
  MarkEvents();
  for (const std::string name : {"Auditor", "AUDITOR", " auditor ", "owner", "READER"}) {
    EXPECT_TRUE(Refused([&] { CreateRole(name); }, ErrorKind::kInvalidRequest, "role_name_taken",
                        "role_name"))
        << name;
  }
  EXPECT_TRUE(NewEvents().empty());
  EXPECT_EQ(store_->ListRoles(org_.id, {std::nullopt, 100}).items.size(), 3u);

  // Another organization may use the name; a deleted role frees it.
  auto other = store_->CreateOrganization("Other");
  store_->CreateRole(actor_, other.id, {"Auditor", std::nullopt, {}});
  store_->DeleteRole(actor_, org_.id, role.id);
  auto again = CreateRole("auditor");
  EXPECT_NE(again.id, role.id);
}

TEST_P(StoreConformanceTest, UpdateRoleRecordsOnlyChangedKeys) {
  auto role =
      store_->CreateRole(actor_, org_.id, {"Auditor", "old", {"api.all.read", "api.usage.read"}});
  MarkEvents();
  clock_.Advance(60);
  RolePatch patch;
  patch.permissions = std::vector<std::string>{"api.files.read", "api.usage.read"};
  auto updated = store_->UpdateRole(actor_, org_.id, role.id, patch);
  EXPECT_EQ(updated.permissions, (std::vector<std::string>{"api.files.read", "api.usage.read"}));
  EXPECT_EQ(updated.name, "Auditor");
  EXPECT_EQ(updated.description, "old");
  EXPECT_EQ(updated.created_at, role.created_at);
  EXPECT_EQ(updated.updated_at, role.created_at + 60);
  EXPECT_EQ(updated.created_by, owner_.account.id);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.updated");
  EXPECT_EQ(events[0].resource_id, role.id);
  EXPECT_EQ(events[0].payload, (json{{"id", role.id},
                                     {"changes_requested",
                                      {{"permissions_added", {"api.files.read"}},
                                       {"permissions_removed", {"api.all.read"}}}}}));

  patch = {};
  patch.name = "Senior Auditor";
  patch.description = "new";
  updated = store_->UpdateRole(actor_, org_.id, role.id, patch);
  EXPECT_EQ(store_->GetRole(org_.id, role.id)->name, "Senior Auditor");
  EXPECT_EQ(store_->GetRole(org_.id, role.id)->description, "new");
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(
      events[0].payload,
      (json{{"id", role.id},
            {"changes_requested", {{"role_name", "Senior Auditor"}, {"description", "new"}}}}));

  // Only additions: no permissions_removed key.
  patch = {};
  patch.permissions =
      std::vector<std::string>{"api.files.read", "api.usage.read", "api.batch.read"};
  store_->UpdateRole(actor_, org_.id, role.id, patch);
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload["changes_requested"],
            (json{{"permissions_added", {"api.batch.read"}}}));

  // Holders see the new permissions.
  auto reader = AddReader("r@x.test");
  store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  EXPECT_EQ(store_->GetUserRole(org_.id, reader.account.id, role.id)->role.permissions,
            (std::vector<std::string>{"api.batch.read", "api.files.read", "api.usage.read"}));
}

TEST_P(StoreConformanceTest, UpdateRoleThatChangesNothingWritesNothing) {
  auto role = store_->CreateRole(actor_, org_.id, {"Auditor", "d", {"api.all.read"}});
  MarkEvents();
  clock_.Advance(60);
  RolePatch patch;
  patch.name = "Auditor";
  patch.description = "d";
  patch.permissions = std::vector<std::string>{"api.all.read"};
  auto same = store_->UpdateRole(actor_, org_.id, role.id, patch);
  EXPECT_EQ(same.updated_at, role.updated_at);
  EXPECT_EQ(store_->UpdateRole(actor_, org_.id, role.id, {}).updated_at, role.updated_at);
  EXPECT_EQ(store_->GetRole(org_.id, role.id)->updated_at, role.updated_at);
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UpdateRoleRenameRespectsUniqueness) {
  auto a = CreateRole("Alpha");
  CreateRole("Beta");
  MarkEvents();
  RolePatch patch;
  for (const std::string name : {"beta", "Owner"}) {
    patch.name = name;
    EXPECT_TRUE(Refused([&] { store_->UpdateRole(actor_, org_.id, a.id, patch); },
                        ErrorKind::kInvalidRequest, "role_name_taken", "role_name"))
        << name;
  }
  EXPECT_EQ(store_->GetRole(org_.id, a.id)->name, "Alpha");
  EXPECT_TRUE(NewEvents().empty());
  // Changing only the case of its own name is allowed.
  patch.name = "ALPHA";
  EXPECT_EQ(store_->UpdateRole(actor_, org_.id, a.id, patch).name, "ALPHA");
  EXPECT_EQ(NewEventTypes(), (std::vector<std::string>{"role.updated"}));
}

TEST_P(StoreConformanceTest, PredefinedRolesAreImmutable) {
  MarkEvents();
  RolePatch patch;
  patch.description = "mine now";
  for (const auto* role : {&owner_role_, &reader_role_}) {
    EXPECT_TRUE(Refused([&] { store_->UpdateRole(actor_, org_.id, role->id, patch); },
                        ErrorKind::kInvalidRequest, "predefined_role_immutable"));
    EXPECT_TRUE(Refused([&] { store_->UpdateRole(actor_, org_.id, role->id, {}); },
                        ErrorKind::kInvalidRequest, "predefined_role_immutable"));
    EXPECT_TRUE(Refused([&] { store_->DeleteRole(actor_, org_.id, role->id); },
                        ErrorKind::kInvalidRequest, "predefined_role_immutable"));
    EXPECT_FALSE(store_->GetRole(org_.id, role->id)->description);
  }
  EXPECT_TRUE(NewEvents().empty());
  EXPECT_TRUE(Refused([&] { store_->UpdateRole(actor_, org_.id, "role_nope", patch); },
                      ErrorKind::kNotFound));
}

TEST_P(StoreConformanceTest, DeleteRoleCascadesAssignmentsWithEvents) {
  auto role = CreateRole("Auditor");
  auto keep = CreateRole("Keeper");
  auto r1 = AddReader("r1@x.test");
  auto r2 = AddReader("r2@x.test");
  store_->AssignUserRole(actor_, org_.id, r1.account.id, role.id);
  store_->AssignUserRole(actor_, org_.id, r2.account.id, role.id);
  store_->AssignUserRole(actor_, org_.id, r2.account.id, keep.id);
  MarkEvents();
  clock_.Advance(1);
  store_->DeleteRole(actor_, org_.id, role.id);

  auto events = NewEvents();
  ASSERT_EQ(events.size(), 3u);
  std::set<json> assignment_payloads;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(events[i].type, "role.assignment.deleted");
    assignment_payloads.insert(events[i].payload);
  }
  EXPECT_EQ(assignment_payloads,
            (std::set<json>{AssignmentPayload(org_.id, r1.account.id, role.id),
                            AssignmentPayload(org_.id, r2.account.id, role.id)}));
  EXPECT_EQ(events[2].type, "role.deleted");
  EXPECT_EQ(events[2].payload, (json{{"id", role.id}}));
  EXPECT_EQ(events[2].effective_at, kStart + 5);  // clock advanced 5 times before

  EXPECT_FALSE(store_->GetRole(org_.id, role.id));
  EXPECT_FALSE(store_->GetUserRole(org_.id, r1.account.id, role.id));
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, r2.account.id, {std::nullopt, 100})),
            (std::vector<std::string>{reader_role_.id, keep.id}));
  EXPECT_TRUE(Refused([&] { store_->DeleteRole(actor_, org_.id, role.id); }, ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->UpdateRole(actor_, org_.id, role.id, {}); }, ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->AssignUserRole(actor_, org_.id, r1.account.id, role.id); },
                      ErrorKind::kNotFound));
}

TEST_P(StoreConformanceTest, ListRolesOrderAndCursors) {
  std::vector<std::string> expected{owner_role_.id, reader_role_.id};
  for (int i = 0; i < 4; ++i) expected.push_back(CreateRole("Role " + std::to_string(i)).id);

  auto all = store_->ListRoles(org_.id, {std::nullopt, 100, core::SortOrder::kAsc});
  EXPECT_EQ(RoleIds(all.items), expected);
  EXPECT_FALSE(all.has_more);
  auto desc = store_->ListRoles(org_.id, {std::nullopt, 100, core::SortOrder::kDesc});
  EXPECT_EQ(RoleIds(desc.items), std::vector<std::string>(expected.rbegin(), expected.rend()));

  auto exact = store_->ListRoles(org_.id, {expected[3], 2, core::SortOrder::kAsc});
  EXPECT_EQ(RoleIds(exact.items), (std::vector<std::string>{expected[4], expected[5]}));
  EXPECT_FALSE(exact.has_more);
  auto short_page = store_->ListRoles(org_.id, {expected[2], 2, core::SortOrder::kAsc});
  EXPECT_EQ(RoleIds(short_page.items), (std::vector<std::string>{expected[3], expected[4]}));
  EXPECT_TRUE(short_page.has_more);
  auto desc_page = store_->ListRoles(org_.id, {expected[3], 2, core::SortOrder::kDesc});
  EXPECT_EQ(RoleIds(desc_page.items), (std::vector<std::string>{expected[2], expected[1]}));
  EXPECT_TRUE(desc_page.has_more);
  auto desc_first = store_->ListRoles(org_.id, {std::nullopt, 1, core::SortOrder::kDesc});
  EXPECT_EQ(RoleIds(desc_first.items), (std::vector<std::string>{expected[5]}));
  EXPECT_TRUE(desc_first.has_more);

  // A cursor naming a deleted role continues after its former position, both ways.
  store_->DeleteRole(actor_, org_.id, expected[3]);
  auto after_deleted = store_->ListRoles(org_.id, {expected[3], 10, core::SortOrder::kAsc});
  EXPECT_EQ(RoleIds(after_deleted.items), (std::vector<std::string>{expected[4], expected[5]}));
  auto before_deleted = store_->ListRoles(org_.id, {expected[3], 10, core::SortOrder::kDesc});
  EXPECT_EQ(RoleIds(before_deleted.items),
            (std::vector<std::string>{expected[2], expected[1], expected[0]}));
  EXPECT_EQ(store_->ListRoles(org_.id, {std::nullopt, 100}).items.size(), 5u);

  EXPECT_TRUE(Refused(
      [&] {
        store_->ListRoles(org_.id, {"role_never", 10});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
  auto other = store_->CreateOrganization("Other");
  auto foreign = store_->ListRoles(other.id, {std::nullopt, 10}).items[0].id;
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListRoles(org_.id, {foreign, 10});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
  EXPECT_FALSE(store_->GetRole(org_.id, foreign));
}

// --- role holdings ---------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ListUserRolesHoldsBaseRoleAndAssignmentsInRoleOrder) {
  auto b = CreateRole("B");
  auto a = CreateRole("A");  // created later: listed later despite its name
  auto c = CreateRole("C");
  auto unheld = CreateRole("Unheld");
  auto reader = AddReader("r@x.test");
  // Assigned out of creation order; listed in creation order.
  store_->AssignUserRole(actor_, org_.id, reader.account.id, c.id);
  store_->AssignUserRole(actor_, org_.id, reader.account.id, b.id);
  store_->AssignUserRole(actor_, org_.id, reader.account.id, a.id);

  auto page = store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 100});
  EXPECT_EQ(HeldIds(page), (std::vector<std::string>{reader_role_.id, b.id, a.id, c.id}));
  EXPECT_FALSE(page.has_more);
  for (const auto& held : page.items) {
    ASSERT_EQ(held.sources.size(), 1u);
    EXPECT_EQ(held.sources[0].principal_id, reader.account.id);
    EXPECT_EQ(held.sources[0].principal_type, "user");
  }
  EXPECT_TRUE(page.items[0].role.predefined);
  EXPECT_EQ(page.items[1].role.created_by_email, "owner@acme.test");

  auto desc = store_->ListUserRoles(org_.id, reader.account.id,
                                    {std::nullopt, 100, core::SortOrder::kDesc});
  EXPECT_EQ(HeldIds(desc), (std::vector<std::string>{c.id, a.id, b.id, reader_role_.id}));
  auto first = store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 2});
  EXPECT_EQ(HeldIds(first), (std::vector<std::string>{reader_role_.id, b.id}));
  EXPECT_TRUE(first.has_more);
  auto second = store_->ListUserRoles(org_.id, reader.account.id, {b.id, 2});
  EXPECT_EQ(HeldIds(second), (std::vector<std::string>{a.id, c.id}));
  EXPECT_FALSE(second.has_more);
  auto desc_after =
      store_->ListUserRoles(org_.id, reader.account.id, {a.id, 2, core::SortOrder::kDesc});
  EXPECT_EQ(HeldIds(desc_after), (std::vector<std::string>{b.id, reader_role_.id}));
  EXPECT_FALSE(desc_after.has_more);
  // Any role of the organization is a valid cursor, held or not, live or deleted.
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, reader.account.id, {unheld.id, 10})),
            std::vector<std::string>{});
  store_->DeleteRole(actor_, org_.id, a.id);
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, reader.account.id, {a.id, 10})),
            (std::vector<std::string>{c.id}));
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, reader.account.id, {owner_role_.id, 10})),
            (std::vector<std::string>{reader_role_.id, b.id, c.id}));

  EXPECT_TRUE(Refused(
      [&] {
        store_->ListUserRoles(org_.id, reader.account.id, {"role_never", 10});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListUserRoles(org_.id, "user-nope", {std::nullopt, 10});
      },
      ErrorKind::kNotFound));
  // The owner holds Owner only.
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, owner_.account.id, {std::nullopt, 10})),
            (std::vector<std::string>{owner_role_.id}));
}

TEST_P(StoreConformanceTest, GetUserRoleOnlyForHeldRoles) {
  auto role = CreateRole("Auditor");
  auto reader = AddReader("r@x.test");
  auto base = store_->GetUserRole(org_.id, reader.account.id, reader_role_.id);
  ASSERT_TRUE(base);
  EXPECT_EQ(base->role.name, "Reader");
  EXPECT_EQ(base->sources.at(0).principal_id, reader.account.id);
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, owner_role_.id));
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, role.id));
  store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  auto held = store_->GetUserRole(org_.id, reader.account.id, role.id);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->role.id, role.id);
  EXPECT_EQ(held->role.created_by, owner_.account.id);
  EXPECT_EQ(held->sources.at(0).principal_type, "user");
  EXPECT_FALSE(store_->GetUserRole(org_.id, "user-nope", role.id));
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, "role_nope"));
  auto other = store_->CreateOrganization("Other");
  EXPECT_FALSE(store_->GetUserRole(other.id, reader.account.id, role.id));
}

TEST_P(StoreConformanceTest, AssignCustomRoleIsIdempotent) {
  auto role = CreateRole("Auditor", {"api.usage.read"});
  auto reader = AddReader("r@x.test");
  MarkEvents();
  auto result = store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  EXPECT_EQ(result.member.account.id, reader.account.id);
  EXPECT_EQ(result.member.base_role, BaseRole::kReader);
  EXPECT_EQ(result.role.id, role.id);
  EXPECT_EQ(result.role.permissions, (std::vector<std::string>{"api.usage.read"}));
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.assignment.created");
  EXPECT_EQ(events[0].payload, AssignmentPayload(org_.id, reader.account.id, role.id));
  ASSERT_TRUE(events[0].actor);
  EXPECT_EQ(events[0].actor->user_id, owner_.account.id);

  auto replay = store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  EXPECT_EQ(replay.member.account.id, result.member.account.id);
  EXPECT_EQ(replay.member.base_role, result.member.base_role);
  EXPECT_EQ(replay.role.id, result.role.id);
  EXPECT_EQ(replay.role.updated_at, result.role.updated_at);
  EXPECT_TRUE(NewEvents().empty());
  EXPECT_EQ(store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 100}).items.size(),
            2u);
}

TEST_P(StoreConformanceTest, AssignPredefinedRoleSwapsBaseRole) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  auto result = store_->AssignUserRole(actor_, org_.id, reader.account.id, owner_role_.id);
  EXPECT_EQ(result.member.base_role, BaseRole::kOwner);
  EXPECT_EQ(result.role.id, owner_role_.id);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "user.updated");
  EXPECT_EQ(events[0].payload,
            (json{{"id", reader.account.id}, {"changes_requested", {{"role", "owner"}}}}));
  EXPECT_EQ(HeldIds(store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 10})),
            (std::vector<std::string>{owner_role_.id}));
  // Holding it already: same result, no event.
  auto replay = store_->AssignUserRole(actor_, org_.id, reader.account.id, owner_role_.id);
  EXPECT_EQ(replay.member.base_role, BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());
  // Assigning Reader demotes (another owner exists).
  auto back = store_->AssignUserRole(actor_, org_.id, reader.account.id, reader_role_.id);
  EXPECT_EQ(back.member.base_role, BaseRole::kReader);
  EXPECT_EQ(NewEvents().at(0).payload["changes_requested"]["role"], "reader");
}

TEST_P(StoreConformanceTest, AssignReaderToLastOwnerIsRefused) {
  MarkEvents();
  EXPECT_TRUE(
      Refused([&] { store_->AssignUserRole(actor_, org_.id, owner_.account.id, reader_role_.id); },
              ErrorKind::kInvalidRequest, "last_owner", "role_id"));
  EXPECT_EQ(store_->GetMember(org_.id, owner_.account.id)->base_role, BaseRole::kOwner);
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, UnassignCustomRole) {
  auto role = CreateRole("Auditor");
  auto reader = AddReader("r@x.test");
  store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  MarkEvents();
  store_->UnassignUserRole(actor_, org_.id, reader.account.id, role.id);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.assignment.deleted");
  EXPECT_EQ(events[0].resource_id, reader.account.id + ":" + role.id);
  EXPECT_EQ(events[0].payload, AssignmentPayload(org_.id, reader.account.id, role.id));
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, role.id));
  // The link is gone: a retry is 404 and writes nothing.
  EXPECT_TRUE(
      Refused([&] { store_->UnassignUserRole(actor_, org_.id, reader.account.id, role.id); },
              ErrorKind::kNotFound));
  EXPECT_TRUE(NewEvents().empty());
  EXPECT_TRUE(store_->GetRole(org_.id, role.id));  // the role itself stays
}

TEST_P(StoreConformanceTest, UnassignOwnerDemotesUnlessLastOwner) {
  MarkEvents();
  EXPECT_TRUE(
      Refused([&] { store_->UnassignUserRole(actor_, org_.id, owner_.account.id, owner_role_.id); },
              ErrorKind::kInvalidRequest, "last_owner"));
  EXPECT_TRUE(NewEvents().empty());

  auto second = AddOwner("o2@x.test");
  MarkEvents();
  store_->UnassignUserRole(actor_, org_.id, second.account.id, owner_role_.id);
  EXPECT_EQ(store_->GetMember(org_.id, second.account.id)->base_role, BaseRole::kReader);
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "user.updated");
  EXPECT_EQ(events[0].payload,
            (json{{"id", second.account.id}, {"changes_requested", {{"role", "reader"}}}}));
  // Now a reader: Owner is not held.
  EXPECT_TRUE(
      Refused([&] { store_->UnassignUserRole(actor_, org_.id, second.account.id, owner_role_.id); },
              ErrorKind::kNotFound));
}

TEST_P(StoreConformanceTest, UnassignReaderIsBaseRoleRequired) {
  auto reader = AddReader("r@x.test");
  MarkEvents();
  EXPECT_TRUE(Refused(
      [&] { store_->UnassignUserRole(actor_, org_.id, reader.account.id, reader_role_.id); },
      ErrorKind::kInvalidRequest, "base_role_required"));
  EXPECT_EQ(store_->GetMember(org_.id, reader.account.id)->base_role, BaseRole::kReader);
  // An owner does not hold Reader.
  EXPECT_TRUE(Refused(
      [&] { store_->UnassignUserRole(actor_, org_.id, owner_.account.id, reader_role_.id); },
      ErrorKind::kNotFound));
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(StoreConformanceTest, HoldingsRefuseUnknownUserOrRole) {
  auto reader = AddReader("r@x.test");
  auto role = CreateRole("Auditor");
  auto other = store_->CreateOrganization("Other");
  auto foreign_role = store_->CreateRole(actor_, other.id, {"Foreign", std::nullopt, {}});
  MarkEvents();
  EXPECT_TRUE(Refused([&] { store_->AssignUserRole(actor_, org_.id, "user-nope", role.id); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->AssignUserRole(actor_, org_.id, reader.account.id, foreign_role.id); },
              ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->UnassignUserRole(actor_, org_.id, "user-nope", role.id); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->UnassignUserRole(actor_, org_.id, reader.account.id, "role_nope"); },
              ErrorKind::kNotFound));
  EXPECT_TRUE(NewEvents().empty());
}

// --- admin keys ------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, CreateAdminKeyAndFindByHash) {
  clock_.Advance(2);
  const std::string hash(64, 'a');
  auto key = store_->CreateAdminKey(
      actor_, org_.id,
      {owner_.account.id, "ci", hash, "sk-admin...xyz", std::optional<core::Timestamp>(kStart)});
  EXPECT_TRUE(core::IsWellFormedId(key.id, core::id_prefix::kAdminKey));
  EXPECT_EQ(key.org_id, org_.id);
  EXPECT_EQ(key.name, "ci");
  EXPECT_EQ(key.redacted_value, "sk-admin...xyz");
  EXPECT_EQ(key.created_at, kStart + 2);
  EXPECT_EQ(key.expires_at, kStart);
  EXPECT_FALSE(key.last_used_at);
  EXPECT_EQ(key.owner_user_id, owner_.account.id);

  // Found even though expired: expiry is the caller's decision.
  auto found = store_->FindKeyByHash(hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->key_hash, hash);
  EXPECT_EQ(found->key.id, key.id);
  EXPECT_EQ(found->key.name, "ci");
  EXPECT_EQ(found->key.expires_at, kStart);
  EXPECT_EQ(found->key.created_at, kStart + 2);
  EXPECT_EQ(found->key.owner_user_id, owner_.account.id);
  EXPECT_EQ(found->actor.org_id, org_.id);
  EXPECT_EQ(found->actor.key_id, key.id);
  EXPECT_EQ(found->actor.user_id, owner_.account.id);
  EXPECT_EQ(found->actor.user_email, "owner@acme.test");
  EXPECT_FALSE(store_->FindKeyByHash(std::string(64, 'b')));

  // No name, no expiry; created from the shell.
  const std::string hash2(64, 'c');
  auto plain = store_->CreateAdminKey(std::nullopt, org_.id,
                                      {owner_.account.id, {}, hash2, "sk-admin...abc", {}});
  auto found2 = store_->FindKeyByHash(hash2);
  ASSERT_TRUE(found2);
  EXPECT_EQ(found2->key.id, plain.id);
  EXPECT_FALSE(found2->key.name);
  EXPECT_FALSE(found2->key.expires_at);
}

TEST_P(StoreConformanceTest, FindKeyByHashRequiresOwnerStillMember) {
  auto second = AddOwner("o2@x.test");
  const std::string hash(64, 'd');
  store_->CreateAdminKey(actor_, org_.id, {second.account.id, "k", hash, "sk-admin...d", {}});
  ASSERT_TRUE(store_->FindKeyByHash(hash));
  store_->DeleteMember(actor_, org_.id, second.account.id);
  EXPECT_FALSE(store_->FindKeyByHash(hash));
  // Re-adding the account does not bring its old keys back.
  AddOwner("o2@x.test");
  EXPECT_FALSE(store_->FindKeyByHash(hash));
}

TEST_P(StoreConformanceTest, CreateAdminKeyForNonMemberIsNotFound) {
  auto other = store_->CreateOrganization("Other");
  auto outsider = store_->AddMember(std::nullopt, other.id, {"o@x.test", "O", BaseRole::kOwner});
  const std::string hash(64, 'e');
  EXPECT_TRUE(Refused(
      [&] {
        store_->CreateAdminKey(actor_, org_.id,
                               {outsider.account.id, {}, hash, "sk-admin...e", {}});
      },
      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused(
      [&] {
        store_->CreateAdminKey(actor_, org_.id, {"user-nope", {}, hash, "sk-admin...e", {}});
      },
      ErrorKind::kNotFound));
  EXPECT_FALSE(store_->FindKeyByHash(hash));
}

// --- audit log -------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ListAuditEventsNewestFirstWithCursor) {
  // Same-second events keep their write order (id descending).
  for (int i = 0; i < 4; ++i) {
    store_->AddMember(actor_, org_.id,
                      {"same" + std::to_string(i) + "@x.test", "S", BaseRole::kReader});
  }
  clock_.Advance(10);
  AddReader("later@x.test");

  auto all = store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 100});
  ASSERT_EQ(all.items.size(), 6u);
  EXPECT_FALSE(all.has_more);
  const auto later = store_->ListMembers(org_.id, {std::nullopt, 1, {"later@x.test"}});
  EXPECT_EQ(all.items[0].payload["id"], later.items.at(0).account.id);
  for (std::size_t i = 1; i < all.items.size(); ++i) {
    const auto& newer = all.items[i - 1];
    const auto& older = all.items[i];
    EXPECT_TRUE(newer.effective_at > older.effective_at ||
                (newer.effective_at == older.effective_at && newer.id > older.id));
  }
  EXPECT_EQ(all.items.back().resource_id, owner_.account.id);  // the first event of all

  // Pages of 2 reproduce the full list exactly, the last page without has_more.
  std::vector<std::string> paged;
  AuditQuery query{.after = std::nullopt, .limit = 2};
  std::vector<bool> has_more;
  for (;;) {
    auto page = store_->ListAuditEvents(org_.id, query);
    for (const auto& e : page.items) paged.push_back(e.id);
    has_more.push_back(page.has_more);
    if (!page.has_more) break;
    query.after = page.items.back().id;
  }
  std::vector<std::string> expected;
  for (const auto& e : all.items) expected.push_back(e.id);
  EXPECT_EQ(paged, expected);
  EXPECT_EQ(has_more, (std::vector<bool>{true, true, false}));

  EXPECT_TRUE(
      Refused([&] { store_->ListAuditEvents(org_.id, {.after = "audit_log-nope", .limit = 10}); },
              ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

TEST_P(StoreConformanceTest, AuditEventsAreScopedToOrganization) {
  auto other = store_->CreateOrganization("Other");
  auto outsider = store_->AddMember(std::nullopt, other.id, {"o@x.test", "O", BaseRole::kOwner});
  auto theirs = store_->ListAuditEvents(other.id, {.after = std::nullopt, .limit = 10});
  ASSERT_EQ(theirs.items.size(), 1u);
  EXPECT_EQ(theirs.items[0].resource_id, outsider.account.id);
  EXPECT_EQ(store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 10}).items.size(),
            1u);
  EXPECT_TRUE(
      Refused([&] { store_->ListAuditEvents(org_.id, {.after = theirs.items[0].id, .limit = 10}); },
              ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

// --- bulk ------------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, AddMembersBulkAddsInOrderWithoutEvents) {
  std::vector<NewMember> batch;
  for (int i = 0; i < 2000; ++i) {
    batch.push_back({"Bulk" + std::to_string(i) + "@X.test", "Bulk " + std::to_string(i),
                     i % 100 == 0 ? BaseRole::kOwner : BaseRole::kReader});
  }
  EXPECT_EQ(store_->AddMembersBulk(org_.id, batch), batch.size());
  EXPECT_TRUE(NewEvents().empty());

  std::vector<core::Member> listed;
  ListMembersQuery query{std::nullopt, 100, {}};
  for (;;) {
    auto page = store_->ListMembers(org_.id, query);
    listed.insert(listed.end(), page.items.begin(), page.items.end());
    if (!page.has_more) break;
    query.after = page.items.back().account.id;
  }
  ASSERT_EQ(listed.size(), batch.size() + 1);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& m = listed[i + 1];
    EXPECT_EQ(m.account.email, batch[i].email);
    EXPECT_EQ(m.account.name, batch[i].name);
    EXPECT_EQ(m.base_role, batch[i].base_role);
    EXPECT_TRUE(core::IsWellFormedId(m.account.id, core::id_prefix::kUser));
    ids.insert(m.account.id);
  }
  EXPECT_EQ(ids.size(), batch.size());
  EXPECT_EQ(OwnerCount(org_.id), 21u);
  // The accounts are real: filters find them, and they can join another org with one id.
  auto found = store_->ListMembers(org_.id, {std::nullopt, 10, {"bulk7@x.test"}});
  ASSERT_EQ(found.items.size(), 1u);
  auto other = store_->CreateOrganization("Other");
  EXPECT_EQ(store_->AddMember(std::nullopt, other.id, {"bulk7@x.test", "?", BaseRole::kReader})
                .account.id,
            found.items[0].account.id);
}

TEST_P(StoreConformanceTest, AddMembersBulkIsAllOrNothing) {
  AddReader("taken@x.test");
  std::vector<NewMember> batch{{"new1@x.test", "N1", BaseRole::kReader},
                               {"new2@x.test", "N2", BaseRole::kReader},
                               {"TAKEN@x.test", "T", BaseRole::kReader},
                               {"new3@x.test", "N3", BaseRole::kReader}};
  EXPECT_TRUE(Refused([&] { store_->AddMembersBulk(org_.id, batch); }, ErrorKind::kInvalidRequest,
                      "already_member", "email"));
  EXPECT_EQ(store_->ListMembers(org_.id, {std::nullopt, 100, {}}).items.size(), 2u);
  EXPECT_TRUE(store_->ListMembers(org_.id, {std::nullopt, 100, {"new1@x.test"}}).items.empty());
  // The same email twice in one batch is refused too.
  std::vector<NewMember> twice{{"dup@x.test", "D", BaseRole::kReader},
                               {"Dup@x.test", "D", BaseRole::kReader}};
  EXPECT_TRUE(Refused([&] { store_->AddMembersBulk(org_.id, twice); }, ErrorKind::kInvalidRequest,
                      "already_member", "email"));
  EXPECT_EQ(store_->ListMembers(org_.id, {std::nullopt, 100, {}}).items.size(), 2u);
  // An existing account that is not a member yet is reused.
  auto other = store_->CreateOrganization("Other");
  EXPECT_EQ(store_->AddMembersBulk(other.id, {{"taken@x.test", "T", BaseRole::kOwner}}), 1u);
  EXPECT_EQ(store_->ListMembers(other.id, {std::nullopt, 10, {}}).items.at(0).account.name,
            "Reader taken@x.test");
  EXPECT_TRUE(Refused([&] { store_->AddMembersBulk("org-nope", batch); }, ErrorKind::kNotFound));
}

// --- odd ids ---------------------------------------------------------------------------------

// Ids come from request paths and may be any bytes. One that is not UTF-8 or holds a NUL names
// nothing on every backend (PostgreSQL text can hold neither, and libpq would cut a value at
// its NUL): never an error, and never a match on the part before the NUL.
TEST_P(StoreConformanceTest, IdsThatAreNotUtf8OrHoldNulNameNothing) {
  const std::vector<std::string> odd{
      std::string("\xff\xfe"), std::string("\xed\xa0\x80"), std::string("role_\0x", 7),
      owner_role_.id + std::string("\0zz", 3), owner_.account.id + std::string("\0", 1)};
  for (const std::string& id : odd) {
    EXPECT_FALSE(store_->GetRole(org_.id, id).has_value());
    EXPECT_FALSE(store_->GetMember(org_.id, id).has_value());
    EXPECT_FALSE(store_->GetOrganization(id).has_value());
    EXPECT_TRUE(Refused(
        [&] {
          store_->ListRoles(org_.id, {id, 10, core::SortOrder::kAsc});
        },
        ErrorKind::kInvalidRequest, "invalid_value", "after"));
  }
  // Valid multi-byte UTF-8 is just an unknown id too.
  EXPECT_FALSE(store_->GetRole(org_.id, "role_\xc3\xa9\xf0\x9f\x98\x80").has_value());
}

// --- concurrency -----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ConcurrentWritesSucceedAndKeepInvariants) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 15;
  auto role = CreateRole("Shared");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@x.test";
          auto m = store_->AddMember(actor_, org_.id, {email, email, BaseRole::kReader});
          store_->AssignUserRole(actor_, org_.id, m.account.id, role.id);
          MemberPatch promote;
          promote.base_role = BaseRole::kOwner;
          store_->UpdateMember(actor_, org_.id, m.account.id, promote);
          store_->ListMembers(org_.id, {std::nullopt, 20, {}});
          if (i % 3 == 0) store_->DeleteMember(actor_, org_.id, m.account.id);
        }
      } catch (const core::Error& e) {
        ADD_FAILURE() << e.message() << " / " << e.detail();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::size_t kept = kThreads * (kPerThread - (kPerThread + 2) / 3);
  auto members = store_->ListMembers(org_.id, {std::nullopt, 100, {}});
  EXPECT_EQ(members.items.size(), kept + 1);
  EXPECT_EQ(OwnerCount(org_.id), kept + 1);
  // Every event exactly once: SetUp's, the role's, then 3 per member (+1 when deleted).
  const std::size_t expected_events =
      2 + kThreads * kPerThread * 3 + kThreads * ((kPerThread + 2) / 3);
  EXPECT_EQ(AllEvents(org_.id).size(), expected_events);
}

TEST_P(StoreConformanceTest, ConcurrentOwnerRemovalsNeverRemoveTheLastOwner) {
  // Two owners each try to remove themselves (one deletes, one demotes) at the same time; the
  // transaction must let exactly one through.
  for (int round = 0; round < 10; ++round) {
    auto org = store_->CreateOrganization("Race " + std::to_string(round));
    auto a = store_->AddMember(std::nullopt, org.id, {"a@x.test", "A", BaseRole::kOwner});
    auto b = store_->AddMember(std::nullopt, org.id, {"b@x.test", "B", BaseRole::kOwner});
    core::Actor actor{org.id, "key_race", a.account.id, "a@x.test"};
    std::atomic<int> refused{0};
    std::atomic<int> other_errors{0};
    auto attempt = [&](auto&& action) {
      try {
        action();
      } catch (const core::Error& e) {
        if (e.code() == "last_owner") {
          ++refused;
        } else {
          ++other_errors;
        }
      }
    };
    std::thread t1([&] { attempt([&] { store_->DeleteMember(actor, org.id, a.account.id); }); });
    std::thread t2([&] {
      MemberPatch demote;
      demote.base_role = BaseRole::kReader;
      attempt([&] { store_->UpdateMember(actor, org.id, b.account.id, demote); });
    });
    t1.join();
    t2.join();
    EXPECT_EQ(other_errors.load(), 0);
    EXPECT_EQ(refused.load(), 1) << "round " << round;
    EXPECT_EQ(OwnerCount(org.id), 1u) << "round " << round;
  }
}

// --- instantiations --------------------------------------------------------------------------

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest, ::testing::ValuesIn(ConformanceBackends()),
                         BackendName);

}  // namespace
}  // namespace roster::storage::testing

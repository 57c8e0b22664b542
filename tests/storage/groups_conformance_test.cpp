// Conformance of the group operations (CONTRACT §9) and of the roles members hold through groups
// (§7.9, NOTES N-5): lists and cursors, idempotent replays, cascades, the audit events they write
// (§11.4, N-12) and the refusal to unassign an inherited role.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/permissions.hpp"
#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;
using core::SortOrder;
using nlohmann::json;

using Sources = std::vector<std::pair<std::string, std::string>>;  // (principal id, type)

Sources SourcesOf(const core::HeldRole& held) {
  Sources out;
  for (const auto& s : held.sources) out.emplace_back(s.principal_id, s.principal_type);
  return out;
}

template <typename T, typename IdOf>
std::vector<std::string> Ids(const std::vector<T>& items, IdOf id_of) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(id_of(item));
  return ids;
}

std::vector<std::string> GroupIds(const std::vector<core::Group>& groups) {
  return Ids(groups, [](const core::Group& g) { return g.id; });
}
std::vector<std::string> MemberIds(const std::vector<core::Member>& members) {
  return Ids(members, [](const core::Member& m) { return m.account.id; });
}
std::vector<std::string> HeldIds(const std::vector<core::HeldRole>& held) {
  return Ids(held, [](const core::HeldRole& h) { return h.role.id; });
}

class GroupsConformanceTest : public OrgStoreTest {
 protected:
  void SetUp() override {
    OrgStoreTest::SetUp();
    const auto roles = store_->ListRoles(org_.id, {std::nullopt, 100, SortOrder::kAsc});
    owner_role_ = roles.items.at(0);
    reader_role_ = roles.items.at(1);
    Mark();
  }

  core::Member AddReader(const std::string& email) {
    clock_.Advance(1);
    return store_->AddMember(actor_, org_.id, {email, "Reader " + email, BaseRole::kReader});
  }

  core::Role NewRole(const std::string& name, std::vector<std::string> permissions = {}) {
    clock_.Advance(1);
    return store_->CreateRole(actor_, org_.id, {name, std::nullopt, std::move(permissions)});
  }

  core::Group NewGroup(const std::string& name) {
    clock_.Advance(1);
    return store_->CreateGroup(actor_, org_.id, name);
  }

  // Remembers the newest event, so NewEvents() returns only what happens afterwards.
  void Mark() {
    const auto all = AllEvents(org_.id);
    mark_ = all.empty() ? std::nullopt : std::optional<std::string>(all.front().id);
  }

  // Events since Mark(), oldest first; marks again.
  std::vector<core::AuditEvent> NewEvents() {
    std::vector<core::AuditEvent> out;
    for (auto& event : AllEvents(org_.id)) {
      if (mark_ && event.id == *mark_) break;
      out.push_back(event);
    }
    std::reverse(out.begin(), out.end());
    Mark();
    return out;
  }

  // Every group of the organization, walked `page_size` at a time.
  std::vector<core::Group> WalkGroups(int page_size, SortOrder order) {
    std::vector<core::Group> out;
    ListQuery query{std::nullopt, page_size, order};
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->ListGroups(org_.id, query);
      EXPECT_LE(page.items.size(), static_cast<std::size_t>(page_size));
      out.insert(out.end(), page.items.begin(), page.items.end());
      if (!page.has_more) return out;
      query.after = page.items.back().id;
    }
    ADD_FAILURE() << "group pagination did not end";
    return out;
  }

  std::vector<core::HeldRole> WalkUserRoles(const std::string& user_id, int page_size,
                                            SortOrder order = SortOrder::kAsc) {
    std::vector<core::HeldRole> out;
    ListQuery query{std::nullopt, page_size, order};
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->ListUserRoles(org_.id, user_id, query);
      out.insert(out.end(), page.items.begin(), page.items.end());
      if (!page.has_more) return out;
      query.after = page.items.back().role.id;
    }
    ADD_FAILURE() << "user role pagination did not end";
    return out;
  }

  std::vector<core::HeldRole> UserRoles(const std::string& user_id) {
    return WalkUserRoles(user_id, 1000);
  }

  static json GroupPayload(const std::string& org_id, const std::string& group_id,
                           const std::string& role_id) {
    return {{"id", group_id + ":" + role_id},
            {"principal_id", group_id},
            {"principal_type", "group"},
            {"resource_id", org_id},
            {"resource_type", "api.organization"}};
  }

  core::Role owner_role_;
  core::Role reader_role_;
  std::optional<std::string> mark_;
};

// --- groups ----------------------------------------------------------------------------------

TEST_P(GroupsConformanceTest, CreateGroupWritesGroupCreated) {
  clock_.Advance(5);
  const core::Group group = store_->CreateGroup(actor_, org_.id, "Support Team");
  EXPECT_TRUE(core::IsWellFormedId(group.id, core::id_prefix::kGroup)) << group.id;
  EXPECT_EQ(group.org_id, org_.id);
  EXPECT_EQ(group.name, "Support Team");
  EXPECT_EQ(group.created_at, kOrgFixtureStart + 5);

  const auto fetched = store_->GetGroup(org_.id, group.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->id, group.id);
  EXPECT_EQ(fetched->name, "Support Team");
  EXPECT_EQ(fetched->created_at, group.created_at);

  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "group.created");
  EXPECT_EQ(events[0].resource_id, group.id);
  EXPECT_EQ(events[0].effective_at, kOrgFixtureStart + 5);
  EXPECT_EQ(events[0].payload,
            json({{"id", group.id}, {"data", {{"group_name", "Support Team"}}}}));
  ASSERT_TRUE(events[0].actor);
  EXPECT_EQ(events[0].actor->key_id, actor_.key_id);
  EXPECT_EQ(events[0].actor->user_id, owner_.account.id);
}

TEST_P(GroupsConformanceTest, GroupNamesNeedNotBeUnique) {
  // NOTES N-13: uniqueness is not stated, so it is not enforced.
  const core::Group a = NewGroup("Same");
  const core::Group b = NewGroup("Same");
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(WalkGroups(10, SortOrder::kAsc).size(), 2u);
}

TEST_P(GroupsConformanceTest, CreateGroupInUnknownOrganizationIsNotFound) {
  EXPECT_TRUE(Refused([&] { store_->CreateGroup(actor_, "org-nope", "X"); }, ErrorKind::kNotFound));
}

TEST_P(GroupsConformanceTest, ListGroupsInCreationOrderBothWaysWithExactHasMore) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(NewGroup("G" + std::to_string(i)).id);

  auto first = store_->ListGroups(org_.id, {std::nullopt, 2, SortOrder::kAsc});
  EXPECT_EQ(GroupIds(first.items), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(first.has_more);
  auto last = store_->ListGroups(org_.id, {ids[2], 2, SortOrder::kAsc});
  EXPECT_EQ(GroupIds(last.items), (std::vector<std::string>{ids[3], ids[4]}));
  EXPECT_FALSE(last.has_more) << "exactly `limit` items left is not more";

  EXPECT_EQ(GroupIds(WalkGroups(1, SortOrder::kAsc)), ids);
  std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  EXPECT_EQ(GroupIds(WalkGroups(2, SortOrder::kDesc)), reversed);
  auto below = store_->ListGroups(org_.id, {ids[2], 10, SortOrder::kDesc});
  EXPECT_EQ(GroupIds(below.items), (std::vector<std::string>{ids[1], ids[0]}));
}

TEST_P(GroupsConformanceTest, ListGroupsCursorSurvivesDeletionUnknownCursorIsInvalid) {
  const core::Group a = NewGroup("A");
  const core::Group b = NewGroup("B");
  const core::Group c = NewGroup("C");
  store_->DeleteGroup(actor_, org_.id, b.id);
  auto page = store_->ListGroups(org_.id, {b.id, 10, SortOrder::kAsc});
  EXPECT_EQ(GroupIds(page.items), std::vector<std::string>{c.id});
  EXPECT_EQ(GroupIds(WalkGroups(10, SortOrder::kAsc)), (std::vector<std::string>{a.id, c.id}));

  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroups(org_.id, {"group_nope", 10, SortOrder::kAsc});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
  // A group of another organization is no cursor here.
  const auto other = store_->CreateOrganization("Other");
  const core::Group theirs = store_->CreateGroup(actor_, other.id, "Theirs");
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroups(org_.id, {theirs.id, 10, SortOrder::kAsc});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

TEST_P(GroupsConformanceTest, GroupsAreScopedToTheirOrganization) {
  const auto other = store_->CreateOrganization("Other");
  const core::Member there =
      store_->AddMember(std::nullopt, other.id, {"there@other.test", "T", BaseRole::kOwner});
  const core::Group theirs = store_->CreateGroup(actor_, other.id, "Theirs");
  const core::Member reader = AddReader("r@acme.test");
  const core::Group mine = NewGroup("Mine");

  EXPECT_FALSE(store_->GetGroup(org_.id, theirs.id));
  EXPECT_TRUE(store_->ListGroups(org_.id, {std::nullopt, 10, SortOrder::kAsc}).items.size() == 1);
  EXPECT_TRUE(
      Refused([&] { store_->UpdateGroup(actor_, org_.id, theirs.id, "X"); }, ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->DeleteGroup(actor_, org_.id, theirs.id); }, ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->AddGroupUser(actor_, org_.id, theirs.id, reader.account.id); },
                      ErrorKind::kNotFound));
  // A member of the other organization cannot join a group here.
  EXPECT_TRUE(Refused([&] { store_->AddGroupUser(actor_, org_.id, mine.id, there.account.id); },
                      ErrorKind::kNotFound));
  // Nor can a role of the other organization be assigned.
  const core::Role their_role = store_->CreateRole(actor_, other.id, {"Theirs", std::nullopt, {}});
  EXPECT_TRUE(Refused([&] { store_->AssignGroupRole(actor_, org_.id, mine.id, their_role.id); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroupUsers(org_.id, theirs.id, {std::nullopt, 10, SortOrder::kAsc});
      },
      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroupRoles(org_.id, theirs.id, {std::nullopt, 10, SortOrder::kAsc});
      },
      ErrorKind::kNotFound));
  EXPECT_EQ(store_->GetGroup(other.id, theirs.id)->name, "Theirs");

  // An account in both organizations, in the other one's group: not visible from here.
  const core::Member both_there =
      store_->AddMember(std::nullopt, other.id, {"r@acme.test", "R", BaseRole::kReader});
  ASSERT_EQ(both_there.account.id, reader.account.id);
  store_->AddGroupUser(actor_, other.id, theirs.id, reader.account.id);
  store_->AssignGroupRole(actor_, other.id, theirs.id, their_role.id);
  ASSERT_TRUE(store_->GetGroupUser(other.id, theirs.id, reader.account.id));
  EXPECT_FALSE(store_->GetGroupUser(org_.id, theirs.id, reader.account.id));
  EXPECT_FALSE(store_->GetGroupRole(org_.id, theirs.id, their_role.id));
  EXPECT_TRUE(
      Refused([&] { store_->RemoveGroupUser(actor_, org_.id, theirs.id, reader.account.id); },
              ErrorKind::kNotFound));
  // The other organization's group roles are not held here.
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, their_role.id));
  EXPECT_EQ(HeldIds(UserRoles(reader.account.id)), std::vector<std::string>{reader_role_.id});
}

TEST_P(GroupsConformanceTest, UpdateGroupRenamesAndRecordsOnlyRealChanges) {
  const core::Group group = NewGroup("Old");
  Mark();
  clock_.Advance(3);
  const core::Group renamed = store_->UpdateGroup(actor_, org_.id, group.id, "New");
  EXPECT_EQ(renamed.id, group.id);
  EXPECT_EQ(renamed.name, "New");
  EXPECT_EQ(renamed.created_at, group.created_at);
  EXPECT_EQ(store_->GetGroup(org_.id, group.id)->name, "New");

  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "group.updated");
  EXPECT_EQ(events[0].resource_id, group.id);
  EXPECT_EQ(events[0].payload,
            json({{"id", group.id}, {"changes_requested", {{"group_name", "New"}}}}));

  // A replay (same name) changes nothing and writes nothing.
  const core::Group replay = store_->UpdateGroup(actor_, org_.id, group.id, "New");
  EXPECT_EQ(replay.name, "New");
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(GroupsConformanceTest, UnknownOrDeletedGroupIsNotFound) {
  const core::Group group = NewGroup("Gone");
  store_->DeleteGroup(actor_, org_.id, group.id);
  Mark();
  for (const std::string& id : {group.id, std::string("group_nope")}) {
    EXPECT_FALSE(store_->GetGroup(org_.id, id));
    EXPECT_TRUE(
        Refused([&] { store_->UpdateGroup(actor_, org_.id, id, "X"); }, ErrorKind::kNotFound));
    EXPECT_TRUE(Refused([&] { store_->DeleteGroup(actor_, org_.id, id); }, ErrorKind::kNotFound));
    EXPECT_TRUE(Refused([&] { store_->AddGroupUser(actor_, org_.id, id, owner_.account.id); },
                        ErrorKind::kNotFound));
    EXPECT_TRUE(Refused([&] { store_->RemoveGroupUser(actor_, org_.id, id, owner_.account.id); },
                        ErrorKind::kNotFound));
    EXPECT_TRUE(Refused([&] { store_->AssignGroupRole(actor_, org_.id, id, reader_role_.id); },
                        ErrorKind::kNotFound));
    EXPECT_TRUE(Refused([&] { store_->UnassignGroupRole(actor_, org_.id, id, reader_role_.id); },
                        ErrorKind::kNotFound));
    EXPECT_FALSE(store_->GetGroupUser(org_.id, id, owner_.account.id));
    EXPECT_FALSE(store_->GetGroupRole(org_.id, id, reader_role_.id));
  }
  EXPECT_TRUE(NewEvents().empty()) << "refusals write nothing";
}

TEST_P(GroupsConformanceTest, DeleteGroupRemovesMembershipsAndAssignmentsWithEvents) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Role a = NewRole("A");
  const core::Role b = NewRole("B");
  const core::Group group = NewGroup("Doomed");
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  store_->AssignGroupRole(actor_, org_.id, group.id, b.id);
  store_->AssignGroupRole(actor_, org_.id, group.id, a.id);
  ASSERT_EQ(HeldIds(UserRoles(reader.account.id)),
            (std::vector<std::string>{reader_role_.id, a.id, b.id}));
  Mark();

  clock_.Advance(2);
  store_->DeleteGroup(actor_, org_.id, group.id);
  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 3u);
  // One role.assignment.deleted per role (by role id), then group.deleted.
  EXPECT_EQ(events[0].type, "role.assignment.deleted");
  EXPECT_EQ(events[0].resource_id, group.id + ":" + a.id);
  EXPECT_EQ(events[0].payload, GroupPayload(org_.id, group.id, a.id));
  EXPECT_EQ(events[1].type, "role.assignment.deleted");
  EXPECT_EQ(events[1].payload, GroupPayload(org_.id, group.id, b.id));
  EXPECT_EQ(events[2].type, "group.deleted");
  EXPECT_EQ(events[2].resource_id, group.id);
  EXPECT_EQ(events[2].payload, json({{"id", group.id}}));

  EXPECT_FALSE(store_->GetGroup(org_.id, group.id));
  // Inherited holdings vanish on the next read (CONTRACT §7.9); the roles themselves stay.
  EXPECT_EQ(HeldIds(UserRoles(reader.account.id)), std::vector<std::string>{reader_role_.id});
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, a.id));
  EXPECT_TRUE(store_->GetRole(org_.id, a.id));
  EXPECT_TRUE(
      Refused([&] { store_->DeleteGroup(actor_, org_.id, group.id); }, ErrorKind::kNotFound));
  EXPECT_TRUE(NewEvents().empty());
}

// --- group members ---------------------------------------------------------------------------

TEST_P(GroupsConformanceTest, AddGroupUserIsIdempotentAndWritesNoEvent) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Group group = NewGroup("G");
  Mark();
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);  // SDK retry
  const auto page = store_->ListGroupUsers(org_.id, group.id, {std::nullopt, 10, SortOrder::kAsc});
  EXPECT_EQ(MemberIds(page.items), std::vector<std::string>{reader.account.id});
  EXPECT_FALSE(page.has_more);
  // NOTES N-12: membership changes have only tenant-scoped event types, so none is written.
  EXPECT_TRUE(NewEvents().empty());

  const auto fetched = store_->GetGroupUser(org_.id, group.id, reader.account.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->account.id, reader.account.id);
  EXPECT_EQ(fetched->account.email, "r@acme.test");
  EXPECT_EQ(fetched->account.name, "Reader r@acme.test");
  EXPECT_EQ(fetched->base_role, BaseRole::kReader);
  EXPECT_FALSE(store_->GetGroupUser(org_.id, group.id, owner_.account.id)) << "not in the group";
}

TEST_P(GroupsConformanceTest, AddGroupUserRequiresALiveMember) {
  const core::Group group = NewGroup("G");
  const core::Member removed = AddReader("gone@acme.test");
  store_->DeleteMember(actor_, org_.id, removed.account.id);
  Mark();
  for (const std::string& user_id : {removed.account.id, std::string("user-nope")}) {
    EXPECT_TRUE(Refused([&] { store_->AddGroupUser(actor_, org_.id, group.id, user_id); },
                        ErrorKind::kNotFound));
  }
  EXPECT_TRUE(
      store_->ListGroupUsers(org_.id, group.id, {std::nullopt, 10, SortOrder::kAsc}).items.empty());
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(GroupsConformanceTest, RemoveGroupUserThenItIsNotFound) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Group group = NewGroup("G");
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  Mark();
  store_->RemoveGroupUser(actor_, org_.id, group.id, reader.account.id);
  EXPECT_FALSE(store_->GetGroupUser(org_.id, group.id, reader.account.id));
  EXPECT_TRUE(NewEvents().empty());
  // The membership is gone: a replay (or a member never in it, or no member at all) is a 404.
  EXPECT_TRUE(
      Refused([&] { store_->RemoveGroupUser(actor_, org_.id, group.id, reader.account.id); },
              ErrorKind::kNotFound));
  EXPECT_TRUE(
      Refused([&] { store_->RemoveGroupUser(actor_, org_.id, group.id, owner_.account.id); },
              ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->RemoveGroupUser(actor_, org_.id, group.id, "user-nope"); },
                      ErrorKind::kNotFound));
  // Removing from the group does not remove from the organization.
  EXPECT_TRUE(store_->GetMember(org_.id, reader.account.id));
}

TEST_P(GroupsConformanceTest, ListGroupUsersByUserIdBothWaysWithCursors) {
  const core::Group group = NewGroup("G");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const core::Member m = AddReader("m" + std::to_string(i) + "@acme.test");
    ids.push_back(m.account.id);
  }
  // Added out of order: the list is by user id, not by when they joined the group.
  for (int i : {3, 0, 4, 1, 2}) store_->AddGroupUser(actor_, org_.id, group.id, ids[i]);
  // Someone not in the group is never listed.
  ASSERT_TRUE(std::is_sorted(ids.begin(), ids.end()));

  auto asc = store_->ListGroupUsers(org_.id, group.id, {std::nullopt, 2, SortOrder::kAsc});
  EXPECT_EQ(MemberIds(asc.items), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(asc.has_more);
  asc = store_->ListGroupUsers(org_.id, group.id, {ids[1], 2, SortOrder::kAsc});
  EXPECT_EQ(MemberIds(asc.items), (std::vector<std::string>{ids[2], ids[3]}));
  EXPECT_TRUE(asc.has_more);
  asc = store_->ListGroupUsers(org_.id, group.id, {ids[3], 2, SortOrder::kAsc});
  EXPECT_EQ(MemberIds(asc.items), (std::vector<std::string>{ids[4]}));
  EXPECT_FALSE(asc.has_more);

  auto desc = store_->ListGroupUsers(org_.id, group.id, {std::nullopt, 3, SortOrder::kDesc});
  EXPECT_EQ(MemberIds(desc.items), (std::vector<std::string>{ids[4], ids[3], ids[2]}));
  EXPECT_TRUE(desc.has_more);
  desc = store_->ListGroupUsers(org_.id, group.id, {ids[2], 3, SortOrder::kDesc});
  EXPECT_EQ(MemberIds(desc.items), (std::vector<std::string>{ids[1], ids[0]}));
  EXPECT_FALSE(desc.has_more);

  // A member removed from the group, or from the organization, is still a valid cursor.
  store_->RemoveGroupUser(actor_, org_.id, group.id, ids[1]);
  store_->DeleteMember(actor_, org_.id, ids[2]);
  asc = store_->ListGroupUsers(org_.id, group.id, {ids[1], 10, SortOrder::kAsc});
  EXPECT_EQ(MemberIds(asc.items), (std::vector<std::string>{ids[3], ids[4]}));
  desc = store_->ListGroupUsers(org_.id, group.id, {ids[2], 10, SortOrder::kDesc});
  EXPECT_EQ(MemberIds(desc.items), std::vector<std::string>{ids[0]});

  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroupUsers(org_.id, group.id, {"user-nope", 10, SortOrder::kAsc});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

TEST_P(GroupsConformanceTest, DeleteMemberLeavesEveryGroup) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Role role = NewRole("Via group");
  const core::Group g1 = NewGroup("G1");
  const core::Group g2 = NewGroup("G2");
  store_->AssignGroupRole(actor_, org_.id, g1.id, role.id);
  store_->AddGroupUser(actor_, org_.id, g1.id, reader.account.id);
  store_->AddGroupUser(actor_, org_.id, g2.id, reader.account.id);
  store_->DeleteMember(actor_, org_.id, reader.account.id);

  for (const auto* group : {&g1, &g2}) {
    EXPECT_TRUE(store_->ListGroupUsers(org_.id, group->id, {std::nullopt, 10, SortOrder::kAsc})
                    .items.empty());
  }
  // The same account joins again: a new membership, in no group, holding nothing inherited.
  const core::Member back = AddReader("r@acme.test");
  ASSERT_EQ(back.account.id, reader.account.id);
  EXPECT_FALSE(store_->GetGroupUser(org_.id, g1.id, back.account.id));
  EXPECT_EQ(HeldIds(UserRoles(back.account.id)), std::vector<std::string>{reader_role_.id});
}

// --- group roles -----------------------------------------------------------------------------

TEST_P(GroupsConformanceTest, AssignGroupRoleIsIdempotentWithOneEvent) {
  const core::Role role = NewRole("Managers", {"api.groups.read", "api.groups.write"});
  const core::Group group = NewGroup("G");
  Mark();
  clock_.Advance(1);
  const GroupAssignment first = store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(first.group.id, group.id);
  EXPECT_EQ(first.group.name, "G");
  EXPECT_EQ(first.group.created_at, group.created_at);
  EXPECT_EQ(first.role.id, role.id);
  EXPECT_EQ(first.role.permissions,
            (std::vector<std::string>{"api.groups.read", "api.groups.write"}));
  const GroupAssignment replay = store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(replay.role.id, role.id);

  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u) << "a replayed assignment writes no second event";
  EXPECT_EQ(events[0].type, "role.assignment.created");
  EXPECT_EQ(events[0].resource_id, group.id + ":" + role.id);
  EXPECT_EQ(events[0].payload, GroupPayload(org_.id, group.id, role.id));

  const auto held = store_->GetGroupRole(org_.id, group.id, role.id);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->role.id, role.id);
  EXPECT_EQ(held->role.name, "Managers");
  EXPECT_EQ(SourcesOf(*held), (Sources{{group.id, "group"}}));
}

TEST_P(GroupsConformanceTest, GroupRolesMayBePredefinedWithoutTouchingBaseRoles) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Group admins = NewGroup("Admins");
  store_->AssignGroupRole(actor_, org_.id, admins.id, owner_role_.id);
  store_->AddGroupUser(actor_, org_.id, admins.id, reader.account.id);

  // The member holds Owner through the group and Reader as their base role.
  const auto held = UserRoles(reader.account.id);
  ASSERT_EQ(HeldIds(held), (std::vector<std::string>{owner_role_.id, reader_role_.id}));
  EXPECT_EQ(SourcesOf(held[0]), (Sources{{admins.id, "group"}}));
  EXPECT_EQ(SourcesOf(held[1]), (Sources{{reader.account.id, "user"}}));
  // ... but is still a reader: the legacy `role` and the last-owner rule look at the base role.
  EXPECT_EQ(store_->GetMember(org_.id, reader.account.id)->base_role, BaseRole::kReader);
  EXPECT_TRUE(Refused([&] { store_->DeleteMember(actor_, org_.id, owner_.account.id); },
                      ErrorKind::kInvalidRequest, "last_owner"));

  // Effective permissions (read with the key) are Owner's.
  store_->CreateAdminKey(
      actor_, org_.id,
      {reader.account.id, "k", std::string(64, 'a'), "sk-admin...aaa", std::nullopt});
  const auto key = store_->FindKeyByHash(std::string(64, 'a'));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->permissions, core::PredefinedPermissions(BaseRole::kOwner));
}

TEST_P(GroupsConformanceTest, ListGroupRolesInRoleOrderBothWaysWithCursors) {
  const core::Group group = NewGroup("G");
  const core::Role a = NewRole("A");
  const core::Role b = NewRole("B");
  const core::Role c = NewRole("C");
  for (const std::string& role_id : {c.id, a.id, reader_role_.id, b.id}) {
    store_->AssignGroupRole(actor_, org_.id, group.id, role_id);
  }
  auto page = store_->ListGroupRoles(org_.id, group.id, {std::nullopt, 3, SortOrder::kAsc});
  EXPECT_EQ(HeldIds(page.items), (std::vector<std::string>{reader_role_.id, a.id, b.id}));
  EXPECT_TRUE(page.has_more);
  for (const auto& held : page.items) EXPECT_EQ(SourcesOf(held), (Sources{{group.id, "group"}}));
  page = store_->ListGroupRoles(org_.id, group.id, {b.id, 3, SortOrder::kAsc});
  EXPECT_EQ(HeldIds(page.items), std::vector<std::string>{c.id});
  EXPECT_FALSE(page.has_more);

  page = store_->ListGroupRoles(org_.id, group.id, {std::nullopt, 2, SortOrder::kDesc});
  EXPECT_EQ(HeldIds(page.items), (std::vector<std::string>{c.id, b.id}));
  EXPECT_TRUE(page.has_more);
  page = store_->ListGroupRoles(org_.id, group.id, {b.id, 2, SortOrder::kDesc});
  EXPECT_EQ(HeldIds(page.items), (std::vector<std::string>{a.id, reader_role_.id}));
  EXPECT_FALSE(page.has_more);

  // A deleted role is still a cursor (and is no longer listed).
  store_->DeleteRole(actor_, org_.id, b.id);
  page = store_->ListGroupRoles(org_.id, group.id, {b.id, 10, SortOrder::kAsc});
  EXPECT_EQ(HeldIds(page.items), std::vector<std::string>{c.id});
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListGroupRoles(org_.id, group.id, {"role_nope", 10, SortOrder::kAsc});
      },
      ErrorKind::kInvalidRequest, "invalid_value", "after"));
}

TEST_P(GroupsConformanceTest, UnassignGroupRoleWritesEventThenIsNotFound) {
  const core::Role role = NewRole("R");
  const core::Group group = NewGroup("G");
  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  Mark();
  store_->UnassignGroupRole(actor_, org_.id, group.id, role.id);
  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.assignment.deleted");
  EXPECT_EQ(events[0].payload, GroupPayload(org_.id, group.id, role.id));
  EXPECT_FALSE(store_->GetGroupRole(org_.id, group.id, role.id));

  EXPECT_TRUE(Refused([&] { store_->UnassignGroupRole(actor_, org_.id, group.id, role.id); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->UnassignGroupRole(actor_, org_.id, group.id, "role_nope"); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(Refused([&] { store_->AssignGroupRole(actor_, org_.id, group.id, "role_nope"); },
                      ErrorKind::kNotFound));
  EXPECT_TRUE(NewEvents().empty());
}

TEST_P(GroupsConformanceTest, DeleteRoleRemovesGroupAssignmentsWithEvents) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Role role = NewRole("Shared");
  const core::Group g1 = NewGroup("G1");
  const core::Group g2 = NewGroup("G2");
  store_->AssignUserRole(actor_, org_.id, reader.account.id, role.id);
  store_->AssignGroupRole(actor_, org_.id, g2.id, role.id);
  store_->AssignGroupRole(actor_, org_.id, g1.id, role.id);
  store_->AddGroupUser(actor_, org_.id, g1.id, reader.account.id);
  Mark();

  store_->DeleteRole(actor_, org_.id, role.id);
  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 4u);
  // Users first, then groups by id, then the role itself.
  EXPECT_EQ(events[0].type, "role.assignment.deleted");
  EXPECT_EQ(events[0].payload["principal_type"], "user");
  EXPECT_EQ(events[1].type, "role.assignment.deleted");
  EXPECT_EQ(events[1].payload, GroupPayload(org_.id, g1.id, role.id));
  EXPECT_EQ(events[2].type, "role.assignment.deleted");
  EXPECT_EQ(events[2].payload, GroupPayload(org_.id, g2.id, role.id));
  EXPECT_EQ(events[3].type, "role.deleted");

  EXPECT_TRUE(
      store_->ListGroupRoles(org_.id, g1.id, {std::nullopt, 10, SortOrder::kAsc}).items.empty());
  EXPECT_FALSE(store_->GetGroupRole(org_.id, g2.id, role.id));
  EXPECT_EQ(HeldIds(UserRoles(reader.account.id)), std::vector<std::string>{reader_role_.id});
}

// --- roles held through groups ---------------------------------------------------------------

TEST_P(GroupsConformanceTest, InheritedRolesListEverySourceUserFirstThenGroupsById) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Role both = NewRole("Both ways");
  const core::Role inherited = NewRole("Only inherited");
  const core::Role direct = NewRole("Only direct");
  const core::Group g1 = NewGroup("G1");
  const core::Group g2 = NewGroup("G2");
  ASSERT_LT(g1.id, g2.id);
  // Joined in reverse id order, so the source order cannot come from insertion order.
  for (const auto* group : {&g2, &g1}) {
    store_->AssignGroupRole(actor_, org_.id, group->id, both.id);
    store_->AddGroupUser(actor_, org_.id, group->id, reader.account.id);
  }
  store_->AssignGroupRole(actor_, org_.id, g2.id, inherited.id);
  store_->AssignUserRole(actor_, org_.id, reader.account.id, both.id);
  store_->AssignUserRole(actor_, org_.id, reader.account.id, direct.id);

  const std::string& uid = reader.account.id;
  const auto held = UserRoles(uid);
  ASSERT_EQ(HeldIds(held),
            (std::vector<std::string>{reader_role_.id, both.id, inherited.id, direct.id}));
  EXPECT_EQ(SourcesOf(held[0]), (Sources{{uid, "user"}}));
  EXPECT_EQ(SourcesOf(held[1]), (Sources{{uid, "user"}, {g1.id, "group"}, {g2.id, "group"}}));
  EXPECT_EQ(SourcesOf(held[2]), (Sources{{g2.id, "group"}}));
  EXPECT_EQ(SourcesOf(held[3]), (Sources{{uid, "user"}}));
  EXPECT_EQ(held[1].role.name, "Both ways");

  // Retrieve agrees with the list.
  for (const auto& expected : held) {
    const auto got = store_->GetUserRole(org_.id, uid, expected.role.id);
    ASSERT_TRUE(got) << expected.role.id;
    EXPECT_EQ(SourcesOf(*got), SourcesOf(expected)) << expected.role.name;
  }
  EXPECT_FALSE(store_->GetUserRole(org_.id, uid, owner_role_.id));

  // Paging one at a time, both ways, gives each role once with the same sources.
  for (SortOrder order : {SortOrder::kAsc, SortOrder::kDesc}) {
    auto walked = WalkUserRoles(uid, 1, order);
    if (order == SortOrder::kDesc) std::reverse(walked.begin(), walked.end());
    ASSERT_EQ(HeldIds(walked), HeldIds(held));
    for (std::size_t i = 0; i < held.size(); ++i) {
      EXPECT_EQ(SourcesOf(walked[i]), SourcesOf(held[i])) << i;
    }
  }
  auto two = store_->ListUserRoles(org_.id, uid, {std::nullopt, 2, SortOrder::kAsc});
  EXPECT_EQ(HeldIds(two.items), (std::vector<std::string>{reader_role_.id, both.id}));
  EXPECT_TRUE(two.has_more);
  two = store_->ListUserRoles(org_.id, uid, {both.id, 2, SortOrder::kAsc});
  EXPECT_EQ(HeldIds(two.items), (std::vector<std::string>{inherited.id, direct.id}));
  EXPECT_FALSE(two.has_more);
  EXPECT_EQ(SourcesOf(two.items[0]), (Sources{{g2.id, "group"}}));
}

TEST_P(GroupsConformanceTest, InheritedRolesDisappearOnTheNextRead) {
  const core::Member reader = AddReader("r@acme.test");
  const std::string& uid = reader.account.id;
  const core::Role role = NewRole("Via group");
  const core::Group group = NewGroup("G");
  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  const std::vector<std::string> base_only{reader_role_.id};
  const std::vector<std::string> with_role{reader_role_.id, role.id};
  EXPECT_EQ(HeldIds(UserRoles(uid)), base_only) << "not a member of the group yet";

  store_->AddGroupUser(actor_, org_.id, group.id, uid);
  EXPECT_EQ(HeldIds(UserRoles(uid)), with_role);
  store_->RemoveGroupUser(actor_, org_.id, group.id, uid);
  EXPECT_EQ(HeldIds(UserRoles(uid)), base_only) << "removed from the group";
  EXPECT_FALSE(store_->GetUserRole(org_.id, uid, role.id));

  store_->AddGroupUser(actor_, org_.id, group.id, uid);
  EXPECT_TRUE(store_->GetUserRole(org_.id, uid, role.id));
  store_->UnassignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(HeldIds(UserRoles(uid)), base_only) << "role unassigned from the group";
  EXPECT_FALSE(store_->GetUserRole(org_.id, uid, role.id));

  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  EXPECT_EQ(HeldIds(UserRoles(uid)), with_role);
  store_->DeleteGroup(actor_, org_.id, group.id);
  EXPECT_EQ(HeldIds(UserRoles(uid)), base_only) << "group deleted";
}

TEST_P(GroupsConformanceTest, UnassignRoleHeldOnlyThroughGroupsIsRefusedNamingThem) {
  const core::Member reader = AddReader("r@acme.test");
  const std::string& uid = reader.account.id;
  const core::Role role = NewRole("Inherited");
  const core::Group g1 = NewGroup("Platform Team");
  const core::Group g2 = NewGroup("On-call");
  for (const auto* group : {&g1, &g2}) {
    store_->AssignGroupRole(actor_, org_.id, group->id, role.id);
    store_->AddGroupUser(actor_, org_.id, group->id, uid);
  }
  Mark();
  try {
    store_->UnassignUserRole(actor_, org_.id, uid, role.id);
    ADD_FAILURE() << "an inherited role was unassigned";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidRequest);
    EXPECT_EQ(e.code(), "role_inherited_from_group");
    EXPECT_NE(e.message().find("Platform Team"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find(g1.id), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("On-call"), std::string::npos) << e.message();
  }
  EXPECT_TRUE(NewEvents().empty());
  EXPECT_TRUE(store_->GetUserRole(org_.id, uid, role.id)) << "still held";

  // A predefined role that is not the member's base role can likewise only come from a group.
  store_->AssignGroupRole(actor_, org_.id, g1.id, owner_role_.id);
  EXPECT_TRUE(Refused([&] { store_->UnassignUserRole(actor_, org_.id, uid, owner_role_.id); },
                      ErrorKind::kInvalidRequest, "role_inherited_from_group"));
  EXPECT_EQ(store_->GetMember(org_.id, uid)->base_role, BaseRole::kReader);

  // Held neither way: a plain 404, as before.
  const core::Role other = NewRole("Not held");
  EXPECT_TRUE(Refused([&] { store_->UnassignUserRole(actor_, org_.id, uid, other.id); },
                      ErrorKind::kNotFound));
}

TEST_P(GroupsConformanceTest, UnassignRoleHeldBothWaysRemovesOnlyTheDirectLink) {
  const core::Member reader = AddReader("r@acme.test");
  const std::string& uid = reader.account.id;
  const core::Role role = NewRole("Both");
  const core::Group group = NewGroup("G");
  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  store_->AddGroupUser(actor_, org_.id, group.id, uid);
  store_->AssignUserRole(actor_, org_.id, uid, role.id);
  Mark();

  store_->UnassignUserRole(actor_, org_.id, uid, role.id);
  const auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "role.assignment.deleted");
  EXPECT_EQ(events[0].payload["principal_type"], "user");
  const auto held = store_->GetUserRole(org_.id, uid, role.id);
  ASSERT_TRUE(held) << "still held through the group";
  EXPECT_EQ(SourcesOf(*held), (Sources{{group.id, "group"}}));
  EXPECT_TRUE(store_->GetGroupRole(org_.id, group.id, role.id)) << "the group keeps the role";

  // An owner who also holds Owner through a group: unassigning Owner removes the direct link
  // (the base role becomes Reader) and the group's Owner remains.
  const core::Member second =
      store_->AddMember(actor_, org_.id, {"o2@acme.test", "Second Owner", BaseRole::kOwner});
  store_->AssignGroupRole(actor_, org_.id, group.id, owner_role_.id);
  store_->AddGroupUser(actor_, org_.id, group.id, second.account.id);
  store_->UnassignUserRole(actor_, org_.id, second.account.id, owner_role_.id);
  EXPECT_EQ(store_->GetMember(org_.id, second.account.id)->base_role, BaseRole::kReader);
  const auto owner_held = store_->GetUserRole(org_.id, second.account.id, owner_role_.id);
  ASSERT_TRUE(owner_held);
  EXPECT_EQ(SourcesOf(*owner_held), (Sources{{group.id, "group"}}));
}

TEST_P(GroupsConformanceTest, HoldingsOfRemovedMembersAreGone) {
  const core::Member reader = AddReader("r@acme.test");
  const core::Role role = NewRole("R");
  const core::Group group = NewGroup("G");
  store_->AssignGroupRole(actor_, org_.id, group.id, role.id);
  store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
  store_->DeleteMember(actor_, org_.id, reader.account.id);
  EXPECT_FALSE(store_->GetUserRole(org_.id, reader.account.id, role.id));
  EXPECT_FALSE(store_->GetGroupUser(org_.id, group.id, reader.account.id));
  EXPECT_TRUE(Refused(
      [&] {
        store_->ListUserRoles(org_.id, reader.account.id, {std::nullopt, 10, SortOrder::kAsc});
      },
      ErrorKind::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupsConformanceTest,
                         ::testing::ValuesIn(ConformanceBackends()), BackendName);

}  // namespace
}  // namespace roster::storage::testing

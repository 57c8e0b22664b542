// Conformance of the audit-log filters and cursors (CONTRACT §11.1): every filter alone, filters
// combined, paging through a filtered list with `after` and back with `before`.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;

class AuditConformanceTest : public OrgStoreTest {
 protected:
  // The log of the organization after SetUp, newest first:
  //   t+40 user.added (carol)      actor carol, no key (accepted an invite)
  //   t+40 invite.accepted         actor carol, no key
  //   t+30 invite.sent (carol)     actor key_test / owner
  //   t+20 role.created            actor key_b / bob
  //   t+15 user.added (bob)        actor key_test / owner
  //   t+10 user.added (alice)      actor key_test / owner
  //   t+0  user.added (owner)      no actor (shell)
  void SetUp() override {
    OrgStoreTest::SetUp();
    const core::Timestamp t = kOrgFixtureStart;
    // Another organization's events must never show up.
    other_ = store_->CreateOrganization("Other");
    other_owner_ = store_->AddMember(actor_, other_.id, {"o@other.test", "O", BaseRole::kOwner});

    clock_.Set(t + 10);
    alice_ = store_->AddMember(actor_, org_.id, {"alice@x.test", "Alice", BaseRole::kReader});
    clock_.Set(t + 15);
    bob_ = store_->AddMember(actor_, org_.id, {"bob@x.test", "Bob", BaseRole::kOwner});
    bob_actor_ = core::Actor{org_.id, "key_b", bob_.account.id, bob_.account.email};
    clock_.Set(t + 20);
    role_ = store_->CreateRole(bob_actor_, org_.id, {"Auditor", std::nullopt, {}});
    clock_.Set(t + 30);
    NewInvite invite;
    invite.email = "carol@x.test";
    invite.expires_at = t + 1000;
    invite.token_hash = "tok-carol";
    invite_ = store_->CreateInvite(actor_, org_.id, invite);
    clock_.Set(t + 40);
    carol_ = store_->AcceptInvite("tok-carol", "Carol");

    all_ = Ids(AllEvents(org_.id));
    ASSERT_EQ(all_.size(), 7u);
  }

  static std::vector<std::string> Ids(const std::vector<core::AuditEvent>& events) {
    std::vector<std::string> ids;
    for (const auto& e : events) ids.push_back(e.id);
    return ids;
  }

  // Types of one page of a filtered query (limit 100).
  std::vector<std::string> Types(AuditQuery query) {
    query.limit = 100;
    std::vector<std::string> types;
    for (const auto& e : store_->ListAuditEvents(org_.id, query).items) types.push_back(e.type);
    return types;
  }

  // Resource ids of one page of a filtered query (limit 100).
  std::vector<std::string> Resources(AuditQuery query) {
    query.limit = 100;
    std::vector<std::string> ids;
    for (const auto& e : store_->ListAuditEvents(org_.id, query).items) {
      ids.push_back(e.resource_id);
    }
    return ids;
  }

  // Every event matching `query`, following `after` with pages of `limit`.
  std::vector<std::string> Walk(AuditQuery query, int limit) {
    query.limit = limit;
    std::vector<std::string> ids;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = store_->ListAuditEvents(org_.id, query);
      EXPECT_LE(page.items.size(), static_cast<std::size_t>(limit));
      for (const auto& e : page.items) ids.push_back(e.id);
      if (!page.has_more) return ids;
      EXPECT_FALSE(page.items.empty());
      query.after = page.items.back().id;
    }
    ADD_FAILURE() << "paging did not end";
    return ids;
  }

  core::Organization other_;
  core::Member other_owner_, alice_, bob_, carol_;
  core::Actor bob_actor_;
  core::Role role_;
  core::Invite invite_;
  std::vector<std::string> all_;  // every event id of the organization, newest first
};

TEST_P(AuditConformanceTest, UnfilteredIsNewestFirstAndOrganizationScoped) {
  EXPECT_EQ(Types({}),
            (std::vector<std::string>{"user.added", "invite.accepted", "invite.sent",
                                      "role.created", "user.added", "user.added", "user.added"}));
  EXPECT_EQ(Resources({}),
            (std::vector<std::string>{carol_.account.id, invite_.id, invite_.id, role_.id,
                                      bob_.account.id, alice_.account.id, owner_.account.id}));
  EXPECT_EQ(Walk({}, 2), all_);
}

TEST_P(AuditConformanceTest, EffectiveAtBoundsAreExactOnEachSide) {
  const core::Timestamp t = kOrgFixtureStart;
  EXPECT_EQ(Resources({.after = std::nullopt, .effective_gt = t + 15}),
            (std::vector<std::string>{carol_.account.id, invite_.id, invite_.id, role_.id}));
  EXPECT_EQ(Resources({.after = std::nullopt, .effective_gte = t + 15}),
            (std::vector<std::string>{carol_.account.id, invite_.id, invite_.id, role_.id,
                                      bob_.account.id}));
  EXPECT_EQ(Resources({.after = std::nullopt, .effective_lt = t + 15}),
            (std::vector<std::string>{alice_.account.id, owner_.account.id}));
  EXPECT_EQ(Resources({.after = std::nullopt, .effective_lte = t + 15}),
            (std::vector<std::string>{bob_.account.id, alice_.account.id, owner_.account.id}));
  // Combined bounds are a window; the tighter bound of each side wins.
  EXPECT_EQ(Resources({.after = std::nullopt,
                       .effective_gt = t + 10,
                       .effective_gte = t + 5,
                       .effective_lt = t + 40,
                       .effective_lte = t + 30}),
            (std::vector<std::string>{invite_.id, role_.id, bob_.account.id}));
  // Empty windows and the integer edges match nothing (no overflow).
  EXPECT_TRUE(
      Types({.after = std::nullopt, .effective_gt = t + 20, .effective_lt = t + 20}).empty());
  EXPECT_TRUE(
      Types({.after = std::nullopt, .effective_gt = std::numeric_limits<core::Timestamp>::max()})
          .empty());
  EXPECT_TRUE(
      Types({.after = std::nullopt, .effective_lt = std::numeric_limits<core::Timestamp>::min()})
          .empty());
  EXPECT_EQ(Types({.after = std::nullopt,
                   .effective_gte = std::numeric_limits<core::Timestamp>::min(),
                   .effective_lte = std::numeric_limits<core::Timestamp>::max()})
                .size(),
            7u);
}

TEST_P(AuditConformanceTest, EventTypesMatchAnyOfTheList) {
  EXPECT_EQ(Types({.after = std::nullopt, .event_types = {"role.created", "invite.sent"}}),
            (std::vector<std::string>{"invite.sent", "role.created"}));
  EXPECT_EQ(Types({.after = std::nullopt, .event_types = {"user.added"}}).size(), 4u);
  EXPECT_TRUE(Types({.after = std::nullopt, .event_types = {"group.created"}}).empty());
}

TEST_P(AuditConformanceTest, ActorIdsMatchTheUserOrTheKey) {
  // The owner's user id: everything done with key_test.
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_ids = {owner_.account.id}}),
            (std::vector<std::string>{invite_.id, bob_.account.id, alice_.account.id}));
  // A key id: what that key did.
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_ids = {"key_b"}}),
            (std::vector<std::string>{role_.id}));
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_ids = {"key_test"}}).size(), 3u);
  // The person who accepted an invite (no key).
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_ids = {carol_.account.id}}),
            (std::vector<std::string>{carol_.account.id, invite_.id}));
  // Any of several.
  EXPECT_EQ(Types({.after = std::nullopt, .actor_ids = {"key_b", carol_.account.id}}),
            (std::vector<std::string>{"user.added", "invite.accepted", "role.created"}));
  // An empty id matches neither the shell's events nor the keyless ones.
  EXPECT_TRUE(Types({.after = std::nullopt, .actor_ids = {""}}).empty());
  EXPECT_TRUE(Types({.after = std::nullopt, .actor_ids = {other_owner_.account.id}}).empty());
}

TEST_P(AuditConformanceTest, ActorEmailsMatchCaseInsensitively) {
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_emails = {" OWNER@Acme.test "}}),
            (std::vector<std::string>{invite_.id, bob_.account.id, alice_.account.id}));
  EXPECT_EQ(Resources({.after = std::nullopt, .actor_emails = {"bob@x.test", "carol@x.test"}}),
            (std::vector<std::string>{carol_.account.id, invite_.id, role_.id}));
  EXPECT_TRUE(Types({.after = std::nullopt, .actor_emails = {"nobody@x.test"}}).empty());
}

TEST_P(AuditConformanceTest, ResourceIdsMatchTheTarget) {
  EXPECT_EQ(Types({.after = std::nullopt, .resource_ids = {invite_.id}}),
            (std::vector<std::string>{"invite.accepted", "invite.sent"}));
  EXPECT_EQ(Resources({.after = std::nullopt, .resource_ids = {alice_.account.id, role_.id}}),
            (std::vector<std::string>{role_.id, alice_.account.id}));
  // Another organization's resource is not visible here.
  EXPECT_TRUE(Types({.after = std::nullopt, .resource_ids = {other_owner_.account.id}}).empty());
}

TEST_P(AuditConformanceTest, ProjectIdsMatchTheDefaultProject) {
  EXPECT_EQ(Types({.after = std::nullopt, .project_ids = {org_.default_project_id}}).size(), 7u);
  EXPECT_EQ(
      Types({.after = std::nullopt, .project_ids = {"proj_other", org_.default_project_id}}).size(),
      7u);
  EXPECT_TRUE(Types({.after = std::nullopt, .project_ids = {other_.default_project_id}}).empty());
}

TEST_P(AuditConformanceTest, FiltersCombineWithAnd) {
  EXPECT_EQ(
      Resources(
          {.after = std::nullopt, .event_types = {"user.added"}, .actor_ids = {owner_.account.id}}),
      (std::vector<std::string>{bob_.account.id, alice_.account.id}));
  EXPECT_EQ(Resources({.after = std::nullopt,
                       .effective_gte = kOrgFixtureStart + 15,
                       .event_types = {"user.added"},
                       .actor_emails = {"owner@acme.test"},
                       .project_ids = {org_.default_project_id}}),
            (std::vector<std::string>{bob_.account.id}));
  EXPECT_TRUE(Types({.after = std::nullopt,
                     .event_types = {"role.created"},
                     .actor_ids = {owner_.account.id}})
                  .empty());
}

TEST_P(AuditConformanceTest, FilteredPagesWalkTheFilteredList) {
  const AuditQuery filter{.after = std::nullopt,
                          .event_types = {"user.added", "invite.sent", "role.created"}};
  const std::vector<std::string> expected = {all_[0], all_[2], all_[3], all_[4], all_[5], all_[6]};
  EXPECT_EQ(Walk(filter, 1), expected);
  EXPECT_EQ(Walk(filter, 4), expected);
  // A cursor naming an event the filter excludes still marks its position.
  AuditQuery from_excluded = filter;
  from_excluded.after = all_[1];  // invite.accepted
  from_excluded.limit = 2;
  const auto page = store_->ListAuditEvents(org_.id, from_excluded);
  EXPECT_EQ(Ids(page.items), (std::vector<std::string>{all_[2], all_[3]}));
  EXPECT_TRUE(page.has_more);
}

TEST_P(AuditConformanceTest, BeforeReturnsTheNewerEventsNewestFirst) {
  // The two events just newer than all_[4], still newest first.
  auto page =
      store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 2, .before = all_[4]});
  EXPECT_EQ(Ids(page.items), (std::vector<std::string>{all_[2], all_[3]}));
  EXPECT_TRUE(page.has_more);  // all_[0] and all_[1] are newer still
  page = store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 10, .before = all_[4]});
  EXPECT_EQ(Ids(page.items), (std::vector<std::string>{all_[0], all_[1], all_[2], all_[3]}));
  EXPECT_FALSE(page.has_more);
  page = store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 10, .before = all_[0]});
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.has_more);
  // With filters.
  page = store_->ListAuditEvents(
      org_.id,
      {.after = std::nullopt, .limit = 10, .before = all_[6], .event_types = {"user.added"}});
  EXPECT_EQ(Ids(page.items), (std::vector<std::string>{all_[0], all_[4], all_[5]}));
  // With `after` as well: the window between the two cursors, from `after` down.
  page = store_->ListAuditEvents(org_.id, {.after = all_[5], .limit = 10, .before = all_[1]});
  EXPECT_TRUE(page.items.empty());
  page = store_->ListAuditEvents(org_.id, {.after = all_[1], .limit = 2, .before = all_[5]});
  EXPECT_EQ(Ids(page.items), (std::vector<std::string>{all_[2], all_[3]}));
  EXPECT_TRUE(page.has_more);
}

TEST_P(AuditConformanceTest, UnknownCursorsAreInvalidValues) {
  const auto theirs = store_->ListAuditEvents(other_.id, {.after = std::nullopt, .limit = 1});
  ASSERT_EQ(theirs.items.size(), 1u);
  for (const std::string& cursor : {std::string("audit_log-nope"), theirs.items[0].id}) {
    EXPECT_TRUE(Refused([&] { store_->ListAuditEvents(org_.id, {.after = cursor, .limit = 5}); },
                        ErrorKind::kInvalidRequest, "invalid_value", "after"));
    EXPECT_TRUE(Refused(
        [&] {
          store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 5, .before = cursor});
        },
        ErrorKind::kInvalidRequest, "invalid_value", "before"));
  }
}

TEST_P(AuditConformanceTest, ActorsAreDecodedByKind) {
  const auto events = store_->ListAuditEvents(org_.id, {.after = std::nullopt, .limit = 100}).items;
  ASSERT_EQ(events.size(), 7u);
  // Keyless person (invite acceptance).
  ASSERT_TRUE(events[0].actor);
  EXPECT_EQ(events[0].actor->key_id, "");
  EXPECT_EQ(events[0].actor->user_id, carol_.account.id);
  EXPECT_EQ(events[0].actor->user_email, "carol@x.test");
  // Key and owner.
  ASSERT_TRUE(events[3].actor);
  EXPECT_EQ(events[3].actor->key_id, "key_b");
  EXPECT_EQ(events[3].actor->user_id, bob_.account.id);
  EXPECT_EQ(events[3].actor->user_email, "bob@x.test");
  // The shell.
  EXPECT_FALSE(events[6].actor);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditConformanceTest, ::testing::ValuesIn(ConformanceBackends()),
                         BackendName);

}  // namespace
}  // namespace roster::storage::testing

// Conformance of the invite operations: creation rules, listing, revocation and acceptance, with
// the audit events each one writes (CONTRACT §10.1, §11.4; NOTES N-16).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ids.hpp"
#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;
using core::InviteStatus;
using nlohmann::json;

constexpr core::Timestamp kWeek = 7 * 24 * 3600;

class InvitesConformanceTest : public OrgStoreTest {
 protected:
  NewInvite Invite(const std::string& email, BaseRole role = BaseRole::kReader) {
    NewInvite invite;
    invite.email = email;
    invite.role = role;
    invite.expires_at = clock_.Now() + kWeek;
    invite.token_hash = "tok-" + std::to_string(++tokens_) + "-" + email;
    return invite;
  }

  core::Invite Send(const std::string& email, BaseRole role = BaseRole::kReader) {
    clock_.Advance(1);
    return store_->CreateInvite(actor_, org_.id, Invite(email, role));
  }

  std::vector<std::string> InviteIds(const core::Page<core::Invite>& page) {
    std::vector<std::string> ids;
    for (const auto& invite : page.items) ids.push_back(invite.id);
    return ids;
  }

  std::size_t EventCount() { return AllEvents(org_.id).size(); }

  int tokens_ = 0;
};

TEST_P(InvitesConformanceTest, CreateInviteIsPendingForTheDefaultProjectWithEvent) {
  clock_.Advance(5);
  NewInvite request = Invite("  Alice@Example.test ", BaseRole::kOwner);
  const core::Invite invite = store_->CreateInvite(actor_, org_.id, request);

  EXPECT_TRUE(core::IsWellFormedId(invite.id, core::id_prefix::kInvite)) << invite.id;
  EXPECT_EQ(invite.org_id, org_.id);
  EXPECT_EQ(invite.email, "Alice@Example.test");  // trimmed, case kept
  EXPECT_EQ(invite.role, BaseRole::kOwner);
  EXPECT_EQ(invite.created_at, kOrgFixtureStart + 5);
  EXPECT_EQ(invite.expires_at, kOrgFixtureStart + 5 + kWeek);
  EXPECT_FALSE(invite.accepted_at);
  EXPECT_FALSE(invite.accepted_user_id);
  EXPECT_EQ(invite.token_hash, request.token_hash);
  EXPECT_EQ(invite.StatusAt(clock_.Now()), InviteStatus::kPending);
  // Projects omitted: the default project, with the project role an owner gets.
  ASSERT_EQ(invite.projects.size(), 1u);
  EXPECT_EQ(invite.projects[0].id, org_.default_project_id);
  EXPECT_EQ(invite.projects[0].role, "owner");

  const auto fetched = store_->GetInvite(org_.id, invite.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->email, invite.email);
  EXPECT_EQ(fetched->token_hash, invite.token_hash);
  EXPECT_EQ(fetched->projects.size(), 1u);

  const auto events = AllEvents(org_.id);
  ASSERT_FALSE(events.empty());
  const core::AuditEvent& sent = events.front();
  EXPECT_EQ(sent.type, "invite.sent");
  EXPECT_EQ(sent.resource_id, invite.id);
  EXPECT_EQ(sent.effective_at, kOrgFixtureStart + 5);
  EXPECT_EQ(sent.payload, (json{{"id", invite.id},
                                {"data", {{"email", "Alice@Example.test"}, {"role", "owner"}}}}));
  ASSERT_TRUE(sent.actor);
  EXPECT_EQ(sent.actor->key_id, "key_test");
  EXPECT_EQ(sent.actor->user_id, owner_.account.id);
}

TEST_P(InvitesConformanceTest, ReaderInviteGetsMemberRoleInDefaultProject) {
  const core::Invite invite = Send("r@x.test");
  ASSERT_EQ(invite.projects.size(), 1u);
  EXPECT_EQ(invite.projects[0].role, "member");
}

TEST_P(InvitesConformanceTest, ExplicitProjectsAreKeptAndEmptyMeansNone) {
  NewInvite none = Invite("none@x.test");
  none.projects = std::vector<core::InviteProject>{};
  EXPECT_TRUE(store_->CreateInvite(actor_, org_.id, none).projects.empty());

  NewInvite owned = Invite("owned@x.test");  // a reader who owns the default project
  owned.projects = std::vector<core::InviteProject>{{org_.default_project_id, "owner"}};
  const core::Invite created = store_->CreateInvite(actor_, org_.id, owned);
  ASSERT_EQ(created.projects.size(), 1u);
  EXPECT_EQ(created.projects[0].id, org_.default_project_id);
  EXPECT_EQ(created.projects[0].role, "owner");
  EXPECT_EQ(store_->GetInvite(org_.id, created.id)->projects[0].role, "owner");
  EXPECT_TRUE(
      store_->GetInvite(org_.id, store_->ListInvites(org_.id, {}).items[0].id)->projects.empty());
}

TEST_P(InvitesConformanceTest, InvalidProjectsAreRefusedWithoutEffect) {
  const auto other = store_->CreateOrganization("Other");
  const std::size_t events_before = EventCount();
  const std::vector<std::vector<core::InviteProject>> bad = {
      {{"proj_unknown", "member"}},
      {{other.default_project_id, "member"}},  // another organization's project
      {{org_.default_project_id, "admin"}},
      {{org_.default_project_id, "member"}, {org_.default_project_id, "owner"}},
  };
  for (const auto& projects : bad) {
    NewInvite invite = Invite("p@x.test");
    invite.projects = projects;
    EXPECT_TRUE(Refused([&] { store_->CreateInvite(actor_, org_.id, invite); },
                        ErrorKind::kInvalidRequest, "invalid_value", "projects"));
  }
  EXPECT_TRUE(store_->ListInvites(org_.id, {}).items.empty());
  EXPECT_EQ(EventCount(), events_before);
}

TEST_P(InvitesConformanceTest, OnePendingInvitePerEmailCaseInsensitive) {
  const core::Invite first = Send("dup@x.test");
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->CreateInvite(actor_, org_.id, Invite(" DUP@x.TEST")); },
                      ErrorKind::kInvalidRequest, "invite_already_exists", "email"));
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_EQ(store_->ListInvites(org_.id, {}).items.size(), 1u);

  // Another organization may invite the same person.
  const auto other = store_->CreateOrganization("Other");
  EXPECT_NO_THROW(store_->CreateInvite(actor_, other.id, Invite("dup@x.test")));

  // Once revoked, the address can be invited again.
  store_->DeleteInvite(actor_, org_.id, first.id);
  const core::Invite second = store_->CreateInvite(actor_, org_.id, Invite("dup@x.test"));
  EXPECT_NE(second.id, first.id);
}

TEST_P(InvitesConformanceTest, ExpiredInviteDoesNotBlockANewOne) {
  const core::Invite first = Send("late@x.test");
  clock_.Set(*first.expires_at - 1);
  EXPECT_TRUE(Refused([&] { store_->CreateInvite(actor_, org_.id, Invite("late@x.test")); },
                      ErrorKind::kInvalidRequest, "invite_already_exists", "email"));
  clock_.Set(*first.expires_at);  // expired at expires_at itself
  EXPECT_EQ(store_->GetInvite(org_.id, first.id)->StatusAt(clock_.Now()), InviteStatus::kExpired);
  EXPECT_NO_THROW(store_->CreateInvite(actor_, org_.id, Invite("late@x.test")));
  EXPECT_EQ(store_->ListInvites(org_.id, {}).items.size(), 2u);
}

TEST_P(InvitesConformanceTest, InvitingAMemberIsRefused) {
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->CreateInvite(actor_, org_.id, Invite("OWNER@acme.test")); },
                      ErrorKind::kInvalidRequest, "already_member", "email"));
  EXPECT_EQ(EventCount(), events_before);
  // A removed member is no longer a member and can be invited back.
  const core::Member gone =
      store_->AddMember(actor_, org_.id, {"gone@x.test", "G", BaseRole::kReader});
  store_->DeleteMember(actor_, org_.id, gone.account.id);
  EXPECT_NO_THROW(store_->CreateInvite(actor_, org_.id, Invite("gone@x.test")));
}

TEST_P(InvitesConformanceTest, CreateInviteInUnknownOrganizationIsNotFound) {
  EXPECT_TRUE(Refused(
      [&] { store_->CreateInvite(actor_, "org-doesnotexist000000000000", Invite("a@x.test")); },
      ErrorKind::kNotFound));
}

TEST_P(InvitesConformanceTest, GetInviteIsScopedAndHidesRevoked) {
  const core::Invite invite = Send("a@x.test");
  const auto other = store_->CreateOrganization("Other");
  EXPECT_FALSE(store_->GetInvite(other.id, invite.id));
  EXPECT_FALSE(store_->GetInvite(org_.id, "invite-nope"));
  store_->DeleteInvite(actor_, org_.id, invite.id);
  EXPECT_FALSE(store_->GetInvite(org_.id, invite.id));
}

TEST_P(InvitesConformanceTest, ListInvitesInCreationOrderWithCursorsSurvivingRevocation) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Send("i" + std::to_string(i) + "@x.test").id);

  auto all = store_->ListInvites(org_.id, {std::nullopt, 100});
  EXPECT_EQ(InviteIds(all), ids);
  EXPECT_FALSE(all.has_more);

  auto first = store_->ListInvites(org_.id, {std::nullopt, 2});
  EXPECT_EQ(InviteIds(first), (std::vector<std::string>{ids[0], ids[1]}));
  EXPECT_TRUE(first.has_more);
  auto second = store_->ListInvites(org_.id, {ids[1], 2});
  EXPECT_EQ(InviteIds(second), (std::vector<std::string>{ids[2], ids[3]}));
  EXPECT_TRUE(second.has_more);
  auto last = store_->ListInvites(org_.id, {ids[3], 2});
  EXPECT_EQ(InviteIds(last), (std::vector<std::string>{ids[4]}));
  EXPECT_FALSE(last.has_more);

  // A revoked invite leaves the list but stays a valid cursor.
  store_->DeleteInvite(actor_, org_.id, ids[2]);
  EXPECT_EQ(InviteIds(store_->ListInvites(org_.id, {ids[1], 10})),
            (std::vector<std::string>{ids[3], ids[4]}));
  EXPECT_EQ(InviteIds(store_->ListInvites(org_.id, {ids[2], 10})),
            (std::vector<std::string>{ids[3], ids[4]}));
  // Accepted invites stay listed.
  store_->AcceptInvite(store_->GetInvite(org_.id, ids[0])->token_hash, "I0");
  EXPECT_EQ(store_->ListInvites(org_.id, {std::nullopt, 100}).items.size(), 4u);
}

TEST_P(InvitesConformanceTest, ListInvitesUnknownCursorIsInvalidValue) {
  const auto other = store_->CreateOrganization("Other");
  const core::Invite theirs = store_->CreateInvite(actor_, other.id, Invite("t@x.test"));
  for (const std::string& cursor : {std::string("invite-nope"), theirs.id}) {
    EXPECT_TRUE(Refused(
        [&] {
          store_->ListInvites(org_.id, {cursor, 10});
        },
        ErrorKind::kInvalidRequest, "invalid_value", "after"));
  }
  EXPECT_TRUE(store_->ListInvites(org_.id, {}).items.empty());
  EXPECT_EQ(store_->ListInvites(other.id, {}).items.size(), 1u);
}

TEST_P(InvitesConformanceTest, DeleteInviteWritesEventOnceAndRevokesTheToken) {
  const core::Invite invite = Send("a@x.test");
  clock_.Advance(3);
  store_->DeleteInvite(actor_, org_.id, invite.id);
  const auto events = AllEvents(org_.id);
  EXPECT_EQ(events.front().type, "invite.deleted");
  EXPECT_EQ(events.front().resource_id, invite.id);
  EXPECT_EQ(events.front().payload, (json{{"id", invite.id}}));
  EXPECT_EQ(events.front().effective_at, clock_.Now());

  EXPECT_FALSE(store_->FindInviteByTokenHash(invite.token_hash));
  const std::size_t events_after = EventCount();
  // A replay finds nothing to delete and writes nothing.
  EXPECT_TRUE(
      Refused([&] { store_->DeleteInvite(actor_, org_.id, invite.id); }, ErrorKind::kNotFound));
  EXPECT_EQ(EventCount(), events_after);
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite(invite.token_hash, "A"); },
                      ErrorKind::kInvalidRequest, "invite_not_found"));
}

TEST_P(InvitesConformanceTest, DeleteInviteOfAnotherOrganizationIsNotFound) {
  const auto other = store_->CreateOrganization("Other");
  const core::Invite theirs = store_->CreateInvite(actor_, other.id, Invite("t@x.test"));
  EXPECT_TRUE(
      Refused([&] { store_->DeleteInvite(actor_, org_.id, theirs.id); }, ErrorKind::kNotFound));
  EXPECT_TRUE(store_->GetInvite(other.id, theirs.id));
}

TEST_P(InvitesConformanceTest, DeletingAnAcceptedInviteIsRefused) {
  const core::Invite invite = Send("a@x.test");
  store_->AcceptInvite(invite.token_hash, "Alice");
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->DeleteInvite(actor_, org_.id, invite.id); },
                      ErrorKind::kInvalidRequest, "invite_already_accepted"));
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_TRUE(store_->GetInvite(org_.id, invite.id));
}

TEST_P(InvitesConformanceTest, ExpiredInviteCanBeDeleted) {
  const core::Invite invite = Send("a@x.test");
  clock_.Set(*invite.expires_at + 100);
  EXPECT_NO_THROW(store_->DeleteInvite(actor_, org_.id, invite.id));
  EXPECT_FALSE(store_->GetInvite(org_.id, invite.id));
}

TEST_P(InvitesConformanceTest, FindInviteByTokenInAnyOrganization) {
  const auto other = store_->CreateOrganization("Other");
  const core::Invite theirs = store_->CreateInvite(actor_, other.id, Invite("t@x.test"));
  const auto found = store_->FindInviteByTokenHash(theirs.token_hash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, theirs.id);
  EXPECT_EQ(found->org_id, other.id);
  EXPECT_FALSE(store_->FindInviteByTokenHash("tok-unknown"));
  EXPECT_FALSE(store_->FindInviteByTokenHash(""));
}

TEST_P(InvitesConformanceTest, ReissuedTokenReplacesThePreviousOneWithoutAnEvent) {
  const core::Invite invite = Send("a@x.test");
  const std::size_t events_before = EventCount();
  const core::Invite reissued = store_->ReissueInviteToken(org_.id, invite.id, "tok-new");
  EXPECT_EQ(reissued.id, invite.id);
  EXPECT_EQ(reissued.token_hash, "tok-new");
  EXPECT_EQ(reissued.email, invite.email);
  EXPECT_EQ(reissued.expires_at, invite.expires_at);
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_FALSE(store_->FindInviteByTokenHash(invite.token_hash));
  ASSERT_TRUE(store_->FindInviteByTokenHash("tok-new"));
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite(invite.token_hash, "Old"); },
                      ErrorKind::kInvalidRequest, "invite_not_found"));
  EXPECT_EQ(store_->AcceptInvite("tok-new", "New").org_id, org_.id);
}

TEST_P(InvitesConformanceTest, OnlyALivePendingInviteOfTheOrganizationGetsANewToken) {
  const auto other = store_->CreateOrganization("Other");
  const core::Invite theirs = store_->CreateInvite(actor_, other.id, Invite("t@x.test"));
  const core::Invite accepted = Send("acc@x.test");
  store_->AcceptInvite(accepted.token_hash, "Acc");
  const core::Invite revoked = Send("rev@x.test");
  store_->DeleteInvite(actor_, org_.id, revoked.id);
  for (const std::string& id : {theirs.id, accepted.id, revoked.id, std::string("invite-nope")}) {
    EXPECT_TRUE(Refused([&] { store_->ReissueInviteToken(org_.id, id, "tok-x-" + id); },
                        ErrorKind::kNotFound))
        << id;
  }
  EXPECT_EQ(store_->FindInviteByTokenHash(theirs.token_hash)->id, theirs.id);
  EXPECT_EQ(store_->GetInvite(org_.id, accepted.id)->token_hash, accepted.token_hash);
}

TEST_P(InvitesConformanceTest, AcceptInviteCreatesTheMemberWithEvents) {
  const core::Invite invite = Send("New.Person@x.test", BaseRole::kOwner);
  clock_.Advance(60);
  const core::Member member = store_->AcceptInvite(invite.token_hash, "  New Person ");

  EXPECT_TRUE(core::IsWellFormedId(member.account.id, core::id_prefix::kUser));
  EXPECT_EQ(member.account.email, "New.Person@x.test");
  EXPECT_EQ(member.account.name, "New Person");
  EXPECT_EQ(member.base_role, BaseRole::kOwner);
  EXPECT_EQ(member.added_at, clock_.Now());
  EXPECT_EQ(member.org_id, org_.id);
  const auto fetched = store_->GetMember(org_.id, member.account.id);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->base_role, BaseRole::kOwner);

  const auto accepted = store_->GetInvite(org_.id, invite.id);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->accepted_at, clock_.Now());
  EXPECT_EQ(accepted->accepted_user_id, member.account.id);
  EXPECT_EQ(accepted->StatusAt(clock_.Now()), InviteStatus::kAccepted);
  // Accepted stays accepted after the expiry date passes.
  EXPECT_EQ(accepted->StatusAt(*accepted->expires_at + 1), InviteStatus::kAccepted);

  // invite.accepted then user.added, both by the new member acting without a key.
  const auto events = AllEvents(org_.id);
  ASSERT_GE(events.size(), 2u);
  const core::AuditEvent& added = events[0];
  const core::AuditEvent& accepted_event = events[1];
  EXPECT_EQ(accepted_event.type, "invite.accepted");
  EXPECT_EQ(accepted_event.payload, (json{{"id", invite.id}}));
  EXPECT_EQ(accepted_event.resource_id, invite.id);
  EXPECT_EQ(added.type, "user.added");
  EXPECT_EQ(added.resource_id, member.account.id);
  EXPECT_EQ(added.payload, (json{{"id", member.account.id}, {"data", {{"role", "owner"}}}}));
  for (const auto* event : {&accepted_event, &added}) {
    ASSERT_TRUE(event->actor);
    EXPECT_EQ(event->actor->key_id, "");
    EXPECT_EQ(event->actor->user_id, member.account.id);
    EXPECT_EQ(event->actor->user_email, "New.Person@x.test");
    EXPECT_EQ(event->effective_at, clock_.Now());
  }
}

TEST_P(InvitesConformanceTest, AcceptingTwiceIsRefusedWithoutNewEvents) {
  const core::Invite invite = Send("a@x.test");
  store_->AcceptInvite(invite.token_hash, "Alice");
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite(invite.token_hash, "Alice"); },
                      ErrorKind::kInvalidRequest, "invite_already_accepted"));
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_EQ(store_->ListMembers(org_.id, {std::nullopt, 100, {}}).items.size(), 2u);
}

TEST_P(InvitesConformanceTest, ExpiredInviteCannotBeAccepted) {
  clock_.Advance(1);
  const core::Invite early = store_->CreateInvite(actor_, org_.id, Invite("early@x.test"));
  const core::Invite late = store_->CreateInvite(actor_, org_.id, Invite("late@x.test"));
  ASSERT_EQ(early.expires_at, late.expires_at);
  // Expiry is decided with the store's clock at acceptance: valid until expires_at itself.
  clock_.Set(*early.expires_at - 1);
  EXPECT_NO_THROW(store_->AcceptInvite(early.token_hash, "Early"));
  clock_.Set(*late.expires_at);
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite(late.token_hash, "Late"); },
                      ErrorKind::kInvalidRequest, "invite_expired"));
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_TRUE(store_->ListMembers(org_.id, {std::nullopt, 10, {"late@x.test"}}).items.empty());
  EXPECT_FALSE(store_->GetInvite(org_.id, late.id)->accepted_at);
}

TEST_P(InvitesConformanceTest, UnknownTokenIsInviteNotFound) {
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite("tok-unknown", "X"); }, ErrorKind::kInvalidRequest,
                      "invite_not_found"));
}

TEST_P(InvitesConformanceTest, ExistingAccountJoinsWithItsIdentity) {
  const auto other = store_->CreateOrganization("Other");
  const core::Member elsewhere =
      store_->AddMember(std::nullopt, other.id, {"Known@x.test", "Known Person", BaseRole::kOwner});
  const core::Invite invite = Send("known@X.test");
  const core::Member joined = store_->AcceptInvite(invite.token_hash, "Another Name");
  EXPECT_EQ(joined.account.id, elsewhere.account.id);
  EXPECT_EQ(joined.account.name, "Known Person");
  EXPECT_EQ(joined.account.email, "Known@x.test");
  EXPECT_EQ(joined.base_role, BaseRole::kReader);  // the invite's role, not the other org's
  EXPECT_EQ(store_->GetMember(other.id, elsewhere.account.id)->base_role, BaseRole::kOwner);
}

TEST_P(InvitesConformanceTest, AcceptingWhenAlreadyAMemberIsRefused) {
  const core::Invite invite = Send("a@x.test");
  store_->AddMember(actor_, org_.id, {"A@x.test", "A", BaseRole::kReader});
  const std::size_t events_before = EventCount();
  EXPECT_TRUE(Refused([&] { store_->AcceptInvite(invite.token_hash, "A"); },
                      ErrorKind::kInvalidRequest, "already_member"));
  EXPECT_EQ(EventCount(), events_before);
  EXPECT_FALSE(store_->GetInvite(org_.id, invite.id)->accepted_at);
}

TEST_P(InvitesConformanceTest, AcceptWithoutNameUsesTheLocalPart) {
  const core::Invite invite = Send("jo.smith@x.test");
  EXPECT_EQ(store_->AcceptInvite(invite.token_hash, "   ").account.name, "jo.smith");
}

TEST_P(InvitesConformanceTest, CreateInviteByAnActorWithoutAccount) {
  // An actor without a user id (no account to name as inviter) still creates the invite.
  const core::Actor shell{org_.id, "", "", ""};
  NewInvite request = Invite("s@x.test");
  const core::Invite invite = store_->CreateInvite(shell, org_.id, request);
  EXPECT_EQ(invite.StatusAt(clock_.Now()), InviteStatus::kPending);
}

INSTANTIATE_TEST_SUITE_P(Backends, InvitesConformanceTest,
                         ::testing::ValuesIn(ConformanceBackends()), BackendName);

}  // namespace
}  // namespace roster::storage::testing

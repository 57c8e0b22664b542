// invites link, invites accept.
#include "app/invite_commands.hpp"

#include <iostream>

#include "core/error.hpp"
#include "crypto/tokens.hpp"

namespace roster::app {
namespace {

constexpr int kCommandPoolSize = 1;

// The invite with this id: in the named organization, or in whichever holds it (ids are unique
// across organizations, so an operator does not have to look the organization up first).
core::Invite FindInvite(storage::Store& store, const std::string& invite_id,
                        const std::optional<std::string>& org_id) {
  if (org_id) {
    const core::Organization org = ResolveOrganization(store, org_id);
    if (auto invite = store.GetInvite(org.id, invite_id)) return *invite;
  } else {
    for (const core::Organization& org : store.ListOrganizations()) {
      if (auto invite = store.GetInvite(org.id, invite_id)) return *invite;
    }
  }
  throw CommandError("No such invite: '" + invite_id + "' (unknown, or deleted).");
}

}  // namespace

int InviteLink(const InviteLinkOptions& options) {
  auto store = OpenStore(options.db, kCommandPoolSize);
  const core::Invite invite = FindInvite(*store, options.invite_id, options.org_id);
  const core::InviteStatus status = invite.StatusAt(SystemClock().Now());
  if (status != core::InviteStatus::kPending) {
    throw CommandError("Invite '" + invite.id + "' is " + std::string(core::ToString(status)) +
                       ": its link no longer works.");
  }
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // Only the token's hash is stored: the link is issued anew, and the previous one stops working.
  const std::string token = crypto::NewInviteToken();
  store->ReissueInviteToken(invite.org_id, invite.id, crypto::InviteTokenHash(token));
  std::cout << base << "/invite/" << token << std::endl;
  return kExitOk;
}

int AcceptInvite(const AcceptInviteOptions& options) {
  auto store = OpenStore(options.db, kCommandPoolSize);
  const core::Invite invite = FindInvite(*store, options.invite_id, options.org_id);
  try {
    const core::Member member = store->AcceptInvite(invite.token_hash, options.name.value_or(""));
    std::cerr << invite.email << " joined organization " << member.org_id << " as "
              << core::ToString(member.base_role) << ".\n";
    std::cout << member.account.id << std::endl;
  } catch (const core::Error& e) {
    // Expired, already accepted, already a member: the operator's to resolve.
    if (e.kind() != core::ErrorKind::kInvalidRequest) throw;
    throw CommandError(e.message());
  }
  return kExitOk;
}

}  // namespace roster::app

// Handlers of /v1/organization/invites[/{invite_id}] and of Roster's invite acceptance outside
// /v1 (/roster/invites/…), which the invitee calls without a key: the token is the credential.
#include "api/handlers/handlers.hpp"
#include "api/json/codecs.hpp"
#include "api/json/console_codecs.hpp"
#include "api/json/invite_bodies.hpp"
#include "api/json/invite_codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"
#include "crypto/tokens.hpp"

namespace roster::api::handlers {
namespace {

// GET /organization/invites: 1–100, default 20 (CONTRACT §5.5).
constexpr LimitRule kInvitesLimit{1, 100, 20, false};

core::Error InviteNotFound(const std::string& invite_id) {
  return core::NotFound("No such invite: '" + invite_id + "'.");
}

}  // namespace

std::string ListInvites(const Context& context) {
  const Query& query = context.request.query;
  storage::ListQuery list;
  list.limit = ParseLimit(query, kInvitesLimit);
  list.after = ParseAfter(query);
  const auto page = context.store.ListInvites(context.actor.org_id, list);
  return json::EncodeInvitePage(page, context.clock.Now());
}

std::string CreateInvite(const Context& context) {
  json::InviteRequest body = json::DecodeCreateInvite(context.request);
  storage::NewInvite invite;
  invite.email = std::move(body.email);
  invite.role = body.role;
  invite.projects = std::move(body.projects);
  invite.expires_at = context.clock.Now() + context.invite_ttl_seconds;
  // The token of this first hash is never shown: a link is issued (with a new token) on request.
  invite.token_hash = crypto::InviteTokenHash(crypto::NewInviteToken());
  const core::Invite created =
      context.store.CreateInvite(context.actor, context.actor.org_id, invite);
  return json::EncodeInvite(created, context.clock.Now());
}

std::string RetrieveInvite(const Context& context) {
  const std::string& invite_id = context.params.at(0);
  const auto invite = context.store.GetInvite(context.actor.org_id, invite_id);
  if (!invite) throw InviteNotFound(invite_id);
  return json::EncodeInvite(*invite, context.clock.Now());
}

std::string DeleteInvite(const Context& context) {
  const std::string& invite_id = context.params.at(0);
  context.store.DeleteInvite(context.actor, context.actor.org_id, invite_id);
  return json::EncodeInviteDeleted(invite_id);
}

std::string RetrievePublicInvite(const Context& context) {
  const auto invite =
      context.store.FindInviteByTokenHash(crypto::InviteTokenHash(context.params.at(0)));
  // The same answer for a token that never existed and one that was revoked.
  if (!invite) throw core::NotFound("No such invite.");
  const auto org = context.store.GetOrganization(invite->org_id);
  if (!org) throw core::NotFound("No such invite.");
  return json::EncodePublicInvite(*invite, *org, context.clock.Now());
}

std::string AcceptInvite(const Context& context) {
  const json::AcceptInviteRequest body = json::DecodeAcceptInvite(context.request);
  return json::EncodeUser(
      context.store.AcceptInvite(crypto::InviteTokenHash(body.token), body.name));
}

std::string IssueInviteLink(const Context& context) {
  const std::string& invite_id = context.params.at(0);
  const auto invite = context.store.GetInvite(context.actor.org_id, invite_id);
  if (!invite) throw InviteNotFound(invite_id);
  // Only a pending invite has a link that works; the same refusals as accepting it would give.
  switch (invite->StatusAt(context.clock.Now())) {
    case core::InviteStatus::kPending: {
      // Only the hash is stored, so a link is shown once: issuing one replaces the token, and
      // the previous link stops working.
      const std::string token = crypto::NewInviteToken();
      return json::EncodeInviteLink(
          context.store.ReissueInviteToken(context.actor.org_id, invite_id,
                                           crypto::InviteTokenHash(token)),
          token);
    }
    case core::InviteStatus::kAccepted:
      throw core::BusinessRule(std::string(core::codes::kInviteAlreadyAccepted),
                               "Invite '" + invite_id + "' was already accepted: it has no link.");
    case core::InviteStatus::kExpired:
      break;
  }
  throw core::BusinessRule(std::string(core::codes::kInviteExpired),
                           "Invite '" + invite_id + "' has expired: it has no link.");
}

}  // namespace roster::api::handlers

// Wire encoders of invites (CONTRACT §10.1) and of Roster's acceptance-page view of an invite.
#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"

namespace roster::api::json {

// `organization.invite` with its nine fields; `status` is computed at `now`.
std::string EncodeInvite(const core::Invite& invite, core::Timestamp now);
// ConversationCursorPage of invites: object, data, has_more, first_id, last_id.
std::string EncodeInvitePage(const core::Page<core::Invite>& page, core::Timestamp now);
// `{object:"organization.invite.deleted", id, deleted:true}` (§6.5).
std::string EncodeInviteDeleted(std::string_view invite_id);
// What the acceptance page shows before the invitee accepts (GET /roster/invites/{token}):
// `{object:"roster.invite", organization:{id, name}, email, role, status, expires_at}`. Never the
// token or the inviter.
std::string EncodePublicInvite(const core::Invite& invite, const core::Organization& org,
                               core::Timestamp now);

}  // namespace roster::api::json

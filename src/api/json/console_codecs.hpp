// Wire encoders of Roster's own objects that the web console reads: the permission catalogue and
// an invite's acceptance link.
#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"

namespace roster::api::json {

// GET /roster/permissions: `{object:"list", data:[{object:"roster.permission", name,
// description, reader}]}`, in catalogue order (core/permissions.cpp), `reader` telling whether
// the predefined Reader holds it (Owner holds every one).
std::string EncodePermissionCatalogue();

// POST /roster/organization/invites/{id}/link: `{object:"roster.invite_link", invite_id, path,
// expires_at}` with `path` = "/invite/<token>" (the newly issued `token`), to be joined to the
// server's public origin.
std::string EncodeInviteLink(const core::Invite& invite, std::string_view token);

}  // namespace roster::api::json

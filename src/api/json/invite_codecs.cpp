// Wire encoders of invites.
#include "api/json/invite_codecs.hpp"

#include "api/json/json_text.hpp"

namespace roster::api::json {
namespace {

Json InviteJson(const core::Invite& invite, core::Timestamp now) {
  Json projects = Json::array();
  for (const core::InviteProject& project : invite.projects) {
    projects.push_back({{"id", project.id}, {"role", project.role}});
  }
  return {
      {"object", "organization.invite"},
      {"id", invite.id},
      {"email", invite.email},
      {"role", core::ToString(invite.role)},
      {"status", core::ToString(invite.StatusAt(now))},
      {"created_at", invite.created_at},
      {"expires_at", OrNull(invite.expires_at)},
      {"accepted_at", OrNull(invite.accepted_at)},
      {"projects", std::move(projects)},
  };
}

}  // namespace

std::string EncodeInvite(const core::Invite& invite, core::Timestamp now) {
  return Dump(InviteJson(invite, now));
}

std::string EncodeInvitePage(const core::Page<core::Invite>& page, core::Timestamp now) {
  // ConversationCursorPage (§5.1): the SDK pages on while `last_id` is set.
  Json data = Json::array();
  for (const core::Invite& invite : page.items) data.push_back(InviteJson(invite, now));
  const bool empty = page.items.empty();
  return Dump({{"object", "list"},
               {"data", std::move(data)},
               {"has_more", page.has_more && !empty},
               {"first_id", empty ? Json(nullptr) : Json(page.items.front().id)},
               {"last_id", empty ? Json(nullptr) : Json(page.items.back().id)}});
}

std::string EncodeInviteDeleted(std::string_view invite_id) {
  return Dump({{"object", "organization.invite.deleted"}, {"id", invite_id}, {"deleted", true}});
}

std::string EncodePublicInvite(const core::Invite& invite, const core::Organization& org,
                               core::Timestamp now) {
  return Dump({{"object", "roster.invite"},
               {"organization", {{"id", org.id}, {"name", org.name}}},
               {"email", invite.email},
               {"role", core::ToString(invite.role)},
               {"status", core::ToString(invite.StatusAt(now))},
               {"expires_at", OrNull(invite.expires_at)}});
}

}  // namespace roster::api::json

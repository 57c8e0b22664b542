// Wire encoders of the permission catalogue and of invite links.
#include "api/json/console_codecs.hpp"

#include "api/json/json_text.hpp"
#include "core/permissions.hpp"

namespace roster::api::json {

std::string EncodePermissionCatalogue() {
  Json data = Json::array();
  for (const core::PermissionInfo& info : core::PermissionCatalogue()) {
    data.push_back({{"object", "roster.permission"},
                    {"name", info.name},
                    {"description", info.description},
                    {"reader", info.reader_has}});
  }
  return Dump({{"object", "list"}, {"data", std::move(data)}});
}

std::string EncodeInviteLink(const core::Invite& invite, std::string_view token) {
  return Dump({{"object", "roster.invite_link"},
               {"invite_id", invite.id},
               {"path", "/invite/" + std::string(token)},
               {"expires_at", OrNull(invite.expires_at)}});
}

}  // namespace roster::api::json

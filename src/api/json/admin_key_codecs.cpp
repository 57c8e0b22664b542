// Wire encoders of admin API keys: domain values → OpenAI-shaped JSON text.
#include "api/json/admin_key_codecs.hpp"

#include "api/json/json_text.hpp"

namespace roster::api::json {
namespace {

// Keys are always owned by a member here (Roster has no service accounts), so the owner is a
// user object; `created_at` is when they joined the organization.
Json AdminKeyJson(const core::AdminKey& key) {
  return {
      {"object", "organization.admin_api_key"},
      {"id", key.id},
      {"name", OrNull(key.name)},
      {"redacted_value", key.redacted_value},
      {"created_at", key.created_at},
      {"expires_at", OrNull(key.expires_at)},
      {"last_used_at", OrNull(key.last_used_at)},
      {"owner",
       {{"type", "user"},
        {"object", "organization.user"},
        {"id", key.owner_user_id},
        {"name", key.owner_name},
        {"created_at", key.owner_added_at},
        {"role", core::ToString(key.owner_role)}}},
  };
}

}  // namespace

std::string EncodeAdminKey(const core::AdminKey& key) { return Dump(AdminKeyJson(key)); }

std::string EncodeCreatedAdminKey(const core::AdminKey& key, std::string_view value) {
  Json out = AdminKeyJson(key);
  out["value"] = value;
  return Dump(out);
}

// CursorPage (§5.3): the SDK pages with the last item's id; first_id/last_id are filled the same
// way as the other lists so a hand-written client can use either.
std::string EncodeAdminKeyPage(const core::Page<core::AdminKey>& page) {
  Json data = Json::array();
  for (const core::AdminKey& key : page.items) data.push_back(AdminKeyJson(key));
  Json first_id = nullptr;
  Json last_id = nullptr;
  if (!page.items.empty()) {
    first_id = page.items.front().id;
    last_id = page.items.back().id;
  }
  return Dump({{"object", "list"},
               {"data", std::move(data)},
               {"has_more", page.has_more && !page.items.empty()},
               {"first_id", std::move(first_id)},
               {"last_id", std::move(last_id)}});
}

std::string EncodeAdminKeyDeleted(std::string_view key_id) {
  return Dump(
      {{"id", key_id}, {"object", "organization.admin_api_key.deleted"}, {"deleted", true}});
}

}  // namespace roster::api::json

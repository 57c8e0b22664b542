// Handlers of /organization/admin_api_keys and /organization/admin_api_keys/{key_id}.
#include <string>

#include "api/handlers/handlers.hpp"
#include "api/json/admin_key_bodies.hpp"
#include "api/json/admin_key_codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"
#include "crypto/keys.hpp"

namespace roster::api::handlers {
namespace {

// GET /organization/admin_api_keys: 1–100, default 20 (no range in the spec; CONTRACT §5.5).
constexpr LimitRule kAdminKeysLimit{1, 100, 20, false};

core::Error KeyNotFound(const std::string& key_id) {
  return core::NotFound("No such admin API key: '" + key_id + "'.");
}

}  // namespace

std::string ListAdminApiKeys(const Context& context) {
  const Query& query = context.request.query;
  storage::ListQuery list;
  list.limit = ParseLimit(query, kAdminKeysLimit);
  list.after = ParseAfter(query);
  list.order = ParseOrder(query, core::SortOrder::kAsc);
  return json::EncodeAdminKeyPage(context.store.ListAdminKeys(context.actor.org_id, list));
}

// The new key belongs to the owner of the calling key (CONTRACT §10.2) and acts with their
// permissions; its secret leaves the server in this response only.
std::string CreateAdminApiKey(const Context& context) {
  const json::CreateAdminKeyBody body = json::DecodeCreateAdminKey(context.request);
  const std::string value = crypto::NewAdminKeyValue();
  storage::NewAdminKey key;
  key.owner_user_id = context.actor.user_id;
  key.name = body.name;
  key.key_hash = crypto::Sha256Hex(value);
  key.redacted_value = crypto::RedactKey(value);
  if (body.expires_in_seconds) key.expires_at = context.clock.Now() + *body.expires_in_seconds;
  const core::AdminKey created =
      context.store.CreateAdminKey(context.actor, context.actor.org_id, key);
  return json::EncodeCreatedAdminKey(created, value);
}

std::string RetrieveAdminApiKey(const Context& context) {
  const std::string& key_id = context.params.at(0);
  const auto key = context.store.GetAdminKey(context.actor.org_id, key_id);
  if (!key) throw KeyNotFound(key_id);
  return json::EncodeAdminKey(*key);
}

// Deleting the calling key itself is allowed: this response still goes out, and its next
// request fails authentication.
std::string DeleteAdminApiKey(const Context& context) {
  const std::string& key_id = context.params.at(0);
  context.store.DeleteAdminKey(context.actor, context.actor.org_id, key_id);
  return json::EncodeAdminKeyDeleted(key_id);
}

}  // namespace roster::api::handlers

// Wire encoders of the admin API key objects (CONTRACT §10.2, §5.3).
#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"

namespace roster::api::json {

// `organization.admin_api_key`: object, id, name, redacted_value, created_at, expires_at,
// last_used_at, owner {type, object, id, name, created_at, role}. Never the secret.
std::string EncodeAdminKey(const core::AdminKey& key);
// The create response: the key plus `value`, the secret, shown this once.
std::string EncodeCreatedAdminKey(const core::AdminKey& key, std::string_view value);
// CursorPage (ApiKeyList): object, data, has_more, first_id, last_id.
std::string EncodeAdminKeyPage(const core::Page<core::AdminKey>& page);
// `{id, object:"organization.admin_api_key.deleted", deleted:true}`.
std::string EncodeAdminKeyDeleted(std::string_view key_id);

}  // namespace roster::api::json

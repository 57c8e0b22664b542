// Decoders of the request bodies of each endpoint: strict validation (CONTRACT §3.4) into the
// store's request types. Every refusal is a core::Error kInvalidRequest with the field as `param`.
#pragma once

#include <string>

#include "api/request.hpp"
#include "storage/store.hpp"

namespace roster::api::json {

// The longest role name accepted, in characters, after trimming surrounding whitespace.
inline constexpr std::size_t kMaxRoleNameChars = 255;

// How permission strings are checked (RouterOptions::accept_unknown_permissions, NOTES N-11).
struct PermissionPolicy {
  bool accept_unknown = false;  // then only the syntax is checked (core::IsWellFormedPermission)
};

// POST /organization/users/{id}: `role` ("owner"|"reader"), `role_id`, `technical_level`,
// `developer_persona`; each string or null, null or absent = unchanged. The last two are stored
// and hold at most limits::kMaxMetadataChars characters (api/input_limits.hpp).
storage::MemberPatch DecodeModifyUser(const Request& request);

// POST /organization/users/{id}/roles: `role_id` (required string). Returns the role id.
std::string DecodeAssignUserRole(const Request& request);

// POST /organization/roles: `role_name` (required, non-empty after trim, ≤ 255 chars),
// `permissions` (required array of strings, deduplicated and sorted), `description`
// (string|null, ≤ limits::kMaxDescriptionChars characters).
storage::NewRole DecodeCreateRole(const Request& request, PermissionPolicy policy);

// POST /organization/roles/{id}: the same fields, all optional, null = unchanged.
storage::RolePatch DecodeUpdateRole(const Request& request, PermissionPolicy policy);

}  // namespace roster::api::json

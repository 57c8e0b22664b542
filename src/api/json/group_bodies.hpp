// Decoders of the request bodies of the group endpoints (CONTRACT §9): strict validation as in
// bodies.hpp, every refusal a 400 naming the field.
#pragma once

#include <cstddef>
#include <string>

#include "api/request.hpp"

namespace roster::api::json {

// The longest group name accepted, in characters, after trimming surrounding whitespace.
inline constexpr std::size_t kMaxGroupNameChars = 255;

// POST /organization/groups and POST /organization/groups/{id}: `name` (required string,
// 1–255 characters after trimming). Returns the trimmed name.
std::string DecodeGroupName(const Request& request);

// POST /organization/groups/{id}/users: `user_id` (required string). Returns it.
std::string DecodeAddGroupUser(const Request& request);

// POST /organization/groups/{id}/roles: `role_id` (required string). Returns it.
std::string DecodeAssignGroupRole(const Request& request);

}  // namespace roster::api::json

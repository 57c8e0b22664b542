// Decoders of the invite request bodies: POST /v1/organization/invites and Roster's own
// POST /roster/invites/accept. Strict as every body decoder (CONTRACT §3.4): each refusal is a
// core::Error kInvalidRequest naming the field.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/request.hpp"
#include "core/model.hpp"

namespace roster::api::json {

// The longest email address accepted (RFC 5321 limits a path to 256 octets; 320 is the common
// 64 + 1 + 255 bound).
inline constexpr std::size_t kMaxEmailLength = 320;

// The longest name a new account may take when accepting, in characters after trimming.
inline constexpr std::size_t kMaxNameChars = 255;

struct InviteRequest {
  std::string email;  // trimmed
  core::BaseRole role = core::BaseRole::kReader;
  // nullopt = omitted or null (the default project); empty = no project.
  std::optional<std::vector<core::InviteProject>> projects;
};

// `email` (required string that looks like an address: one '@', non-empty local part and domain,
// no whitespace or control characters, ≤ 320 characters after trimming → else `invalid_value`),
// `role` (required, "owner" | "reader"), `projects` (optional array of `{id, role}` objects, both
// required strings; role "member" | "owner"). Errors inside `projects` name `projects`.
InviteRequest DecodeCreateInvite(const Request& request);

struct AcceptInviteRequest {
  std::string token;
  std::string name;  // empty when absent or null: the store names a new account after the email
};

// `token` (required string), `name` (optional string or null, trimmed, ≤ 255 characters).
AcceptInviteRequest DecodeAcceptInvite(const Request& request);

}  // namespace roster::api::json

// Decoder of the admin API key create body (CONTRACT §10.2), strict as every body decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "api/request.hpp"

namespace roster::api::json {

inline constexpr std::size_t kMaxAdminKeyNameChars = 255;
inline constexpr std::int64_t kMaxAdminKeyLifetimeSeconds = 31'536'000;  // 365 days

struct CreateAdminKeyBody {
  std::string name;
  std::optional<std::int64_t> expires_in_seconds;  // nullopt = never expires
};

// POST /organization/admin_api_keys: `name` (required string, 1–255 characters, not blank),
// `expires_in_seconds` (integer 1–31536000, or null/absent for no expiry). Throws 400 with the
// field as param: missing_required_parameter, invalid_type, invalid_value,
// integer_below_min_value / integer_above_max_value, unknown_parameter.
CreateAdminKeyBody DecodeCreateAdminKey(const Request& request);

}  // namespace roster::api::json

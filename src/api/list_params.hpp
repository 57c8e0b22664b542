// Query parameters of the list endpoints (`limit`, `order`, `after`) with their per-endpoint
// bounds (CONTRACT §5.5, NOTES N-7). Unknown query parameters are ignored by design.
#pragma once

#include <optional>
#include <string>

#include "api/request.hpp"
#include "core/model.hpp"

namespace roster::api {

struct LimitRule {
  int min = 1;
  int max = 100;
  int default_value = 20;
  // `limit=0` on the 0–1000 endpoints is schema-legal and means "the default" (N-7).
  bool zero_means_default = false;
};

// GET /organization/users: 1–100, default 20.
inline constexpr LimitRule kUsersLimit{1, 100, 20, false};
// GET /organization/roles and /organization/users/{id}/roles: 0–1000, default 1000.
inline constexpr LimitRule kRolesLimit{0, 1000, 1000, true};

// The checks every query string passes before its route's handler reads it (router): at most
// limits::kMaxQueryParameters parameters (400 `too_many_parameters`), and every key and value
// well-formed UTF-8 without NUL (400 `invalid_value`, param the key).
void ValidateQuery(const Query& query);

// `limit` as a decimal integer within the rule. Throws 400 param `limit`: `invalid_type` when not
// an integer, `integer_below_min_value` / `integer_above_max_value` when out of range.
int ParseLimit(const Query& query, const LimitRule& rule);

// `order`: "asc" or "desc"; anything else → 400 `invalid_value` param `order`.
core::SortOrder ParseOrder(const Query& query, core::SortOrder default_order);

// `after`, or nullopt when absent or empty.
std::optional<std::string> ParseAfter(const Query& query);

}  // namespace roster::api

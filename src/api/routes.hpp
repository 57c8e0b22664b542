// The routes table: every endpoint of the API in one place, and the matcher that finds the route
// of a raw request path.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/handlers/handlers.hpp"

namespace roster::api {

// The admin-key scope a route needs (named in the "Missing scopes" message, CONTRACT §2).
enum class Scope { kManagementRead, kManagementWrite };

std::string_view ScopeName(Scope scope) noexcept;

struct Route {
  std::string_view method;   // "GET", "POST", "DELETE"
  std::string_view pattern;  // path below /v1 with `{name}` for a parameter segment
  handlers::Handler handler;
  Scope scope;
};

// Every route, in table order.
std::span<const Route> Routes() noexcept;

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::string> params;  // percent-decoded, in pattern order
};

// The route of `method` on `raw_path` (the path as received, not decoded). The path is split on
// '/' first and each segment is percent-decoded afterwards, so `%2F` stays inside its segment.
// nullopt when nothing matches — including a wrong method on a known path, an empty segment
// (trailing slash, `//`) and a malformed escape.
std::optional<RouteMatch> MatchRoute(std::string_view method, std::string_view raw_path);

}  // namespace roster::api

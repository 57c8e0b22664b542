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

// Who may call a route.
enum class Access {
  kAdminKey,  // an admin key whose owner holds the route's permission (all of /v1)
  kPublic,    // anyone: Roster's own routes outside /v1 that carry their own secret (invites)
};

struct Route {
  std::string_view method;   // "GET", "POST", "DELETE"
  std::string_view pattern;  // the full path, with `{name}` for a parameter segment
  handlers::Handler handler;
  Access access;
  // The permission (core/permissions.hpp) the key's owner needs; empty for kPublic routes.
  std::string_view permission;
  // Set instead of `handler` on routes that write their whole response (the console's pages).
  handlers::PageHandler page = nullptr;
};

// An admin-API route needing `permission`.
constexpr Route AdminRoute(std::string_view method, std::string_view pattern,
                           handlers::Handler handler, std::string_view permission) noexcept {
  return Route{method, pattern, handler, Access::kAdminKey, permission};
}

// A route anyone may call, without a key.
constexpr Route PublicRoute(std::string_view method, std::string_view pattern,
                            handlers::Handler handler) noexcept {
  return Route{method, pattern, handler, Access::kPublic, {}};
}

// A public route whose handler writes the whole response (content type, caching headers): the
// web console's page and assets.
constexpr Route PageRoute(std::string_view method, std::string_view pattern,
                          handlers::PageHandler page) noexcept {
  return Route{method, pattern, nullptr, Access::kPublic, {}, page};
}

// True for routes that change state (every method but GET).
constexpr bool IsWrite(const Route& route) noexcept { return route.method != "GET"; }

// Every route, in table order.
std::span<const Route> Routes() noexcept;

struct RouteMatch {
  const Route* route = nullptr;
  std::vector<std::string> params;  // percent-decoded, in pattern order
};

// The route of `method` on `raw_path` (the path as received, not decoded, starting with '/'). The
// path is split on '/' first and each segment is percent-decoded afterwards, so `%2F` stays inside
// its segment.
// nullopt when nothing matches — including a wrong method on a known path, an empty segment
// (trailing slash, `//`), a malformed escape, and a segment that decodes to bytes no id or name
// can hold: ill-formed UTF-8 (`%FF`, overlong `%C0%AE`) or a control character (`%00`).
std::optional<RouteMatch> MatchRoute(std::string_view method, std::string_view raw_path);

}  // namespace roster::api

// The routes table and the path matcher.
#include "api/routes.hpp"

#include <algorithm>
#include <array>

#include "core/permissions.hpp"

namespace roster::api {
namespace {

using namespace handlers;  // NOLINT(google-build-using-namespace): the table reads better bare

namespace perm = core::permission;

// Adding an endpoint: one handler in handlers/, one line here. Every /v1 route is an AdminRoute
// naming the permission it needs (docs/PERMISSIONS.md is rendered from this table).
constexpr std::array kRoutes = {
    AdminRoute("GET", "/v1/organization/users", ListUsers, perm::kManagementRead),
    AdminRoute("GET", "/v1/organization/users/{user_id}", RetrieveUser, perm::kManagementRead),
    AdminRoute("POST", "/v1/organization/users/{user_id}", ModifyUser, perm::kManagementWrite),
    AdminRoute("DELETE", "/v1/organization/users/{user_id}", DeleteUser, perm::kManagementWrite),
    AdminRoute("GET", "/v1/organization/users/{user_id}/roles", ListUserRoles, perm::kRolesRead),
    AdminRoute("POST", "/v1/organization/users/{user_id}/roles", AssignUserRole, perm::kRolesWrite),
    AdminRoute("GET", "/v1/organization/users/{user_id}/roles/{role_id}", RetrieveUserRole,
               perm::kRolesRead),
    AdminRoute("DELETE", "/v1/organization/users/{user_id}/roles/{role_id}", UnassignUserRole,
               perm::kRolesWrite),
    AdminRoute("GET", "/v1/organization/roles", ListRoles, perm::kRolesRead),
    AdminRoute("POST", "/v1/organization/roles", CreateRole, perm::kRolesWrite),
    AdminRoute("GET", "/v1/organization/roles/{role_id}", RetrieveRole, perm::kRolesRead),
    AdminRoute("POST", "/v1/organization/roles/{role_id}", UpdateRole, perm::kRolesWrite),
    AdminRoute("DELETE", "/v1/organization/roles/{role_id}", DeleteRole, perm::kRolesWrite),
    AdminRoute("GET", "/v1/organization/groups", ListGroups, perm::kGroupsRead),
    AdminRoute("POST", "/v1/organization/groups", CreateGroup, perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/groups/{group_id}", RetrieveGroup, perm::kGroupsRead),
    AdminRoute("POST", "/v1/organization/groups/{group_id}", UpdateGroup, perm::kGroupsWrite),
    AdminRoute("DELETE", "/v1/organization/groups/{group_id}", DeleteGroup, perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/groups/{group_id}/users", ListGroupUsers,
               perm::kGroupsRead),
    AdminRoute("POST", "/v1/organization/groups/{group_id}/users", AddGroupUser,
               perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/groups/{group_id}/users/{user_id}", RetrieveGroupUser,
               perm::kGroupsRead),
    AdminRoute("DELETE", "/v1/organization/groups/{group_id}/users/{user_id}", RemoveGroupUser,
               perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/groups/{group_id}/roles", ListGroupRoles,
               perm::kGroupsRead),
    AdminRoute("POST", "/v1/organization/groups/{group_id}/roles", AssignGroupRole,
               perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/groups/{group_id}/roles/{role_id}", RetrieveGroupRole,
               perm::kGroupsRead),
    AdminRoute("DELETE", "/v1/organization/groups/{group_id}/roles/{role_id}", UnassignGroupRole,
               perm::kGroupsWrite),
    AdminRoute("GET", "/v1/organization/invites", ListInvites, perm::kManagementRead),
    AdminRoute("POST", "/v1/organization/invites", CreateInvite, perm::kManagementWrite),
    AdminRoute("GET", "/v1/organization/invites/{invite_id}", RetrieveInvite,
               perm::kManagementRead),
    AdminRoute("DELETE", "/v1/organization/invites/{invite_id}", DeleteInvite,
               perm::kManagementWrite),
    AdminRoute("GET", "/v1/organization/audit_logs", ListAuditLogs, perm::kAuditLogsRead),
    AdminRoute("GET", "/v1/organization/admin_api_keys", ListAdminApiKeys, perm::kManagementRead),
    AdminRoute("POST", "/v1/organization/admin_api_keys", CreateAdminApiKey,
               perm::kManagementWrite),
    AdminRoute("GET", "/v1/organization/admin_api_keys/{key_id}", RetrieveAdminApiKey,
               perm::kManagementRead),
    AdminRoute("DELETE", "/v1/organization/admin_api_keys/{key_id}", DeleteAdminApiKey,
               perm::kManagementWrite),
    // Invite acceptance: no key, the token in the path or body is the credential.
    PublicRoute("GET", "/roster/invites/{token}", RetrievePublicInvite),
    PublicRoute("POST", "/roster/invites/accept", AcceptInvite),
    // Roster's own admin route: a pending invite's acceptance link is a credential, so issuing
    // it needs what creating or revoking the invite needs. A POST: each call issues a new token
    // (only its hash is stored) and the previous link stops working.
    AdminRoute("POST", "/roster/organization/invites/{invite_id}/link", IssueInviteLink,
               perm::kManagementWrite),
    // The web console (web/, embedded at build time) and the catalogue its role editor offers.
    PublicRoute("GET", "/roster/permissions", ListPermissionCatalogue),
    PageRoute("GET", "/", ServeConsolePage),
    PageRoute("GET", "/invite/{token}", ServeConsolePage),
    PageRoute("GET", "/assets/{version}/{name}", ServeConsoleAsset),
    // Operations (keyless): liveness, readiness, Prometheus metrics.
    PublicRoute("GET", "/healthz", Healthz),
    PublicRoute("GET", "/readyz", Readyz),
    PageRoute("GET", "/metrics", ServeMetrics),
    // The OpenAPI document of this table (the one keyless route under /v1: clients are generated
    // before anyone has a key).
    PublicRoute("GET", "/v1/openapi.json", RetrieveOpenApi),
    // The stand-in mode's test controls: 404 unless `serve --test-controls`.
    PublicRoute("POST", "/roster/test/reset", ResetState),
    PublicRoute("POST", "/roster/test/snapshots/{name}", SaveSnapshot),
    PublicRoute("POST", "/roster/test/snapshots/{name}/restore", RestoreSnapshot),
    PublicRoute("GET", "/roster/test/clock", GetTestClock),
    PublicRoute("POST", "/roster/test/clock", SetTestClock),
    PublicRoute("GET", "/roster/test/faults", ListFaults),
    PublicRoute("POST", "/roster/test/faults", AddFault),
    PublicRoute("DELETE", "/roster/test/faults", ClearFaults),
};

// The longest pattern has six segments; a longer path cannot match and is not decoded.
constexpr std::size_t kMaxSegments = 8;

// Splits `text` on '/' into `out`; false when a segment is empty or there are too many.
bool Split(std::string_view text, std::vector<std::string_view>& out) {
  while (true) {
    const std::size_t slash = text.find('/');
    const std::string_view segment = text.substr(0, slash);
    if (segment.empty() || out.size() == kMaxSegments) return false;
    out.push_back(segment);
    if (slash == std::string_view::npos) return true;
    text.remove_prefix(slash + 1);
  }
}

// Well-formed UTF-8 without control characters: what every id and name in a path is. Anything
// else cannot name a resource, and would reach the store as bytes PostgreSQL refuses (invalid
// UTF-8) or cuts short (NUL).
bool IsPlainText(std::string_view text) noexcept {
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
  return !control && IsValidUtf8(text);
}

bool IsParameter(std::string_view segment) noexcept {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::span<const Route> Routes() noexcept { return kRoutes; }

std::optional<RouteMatch> MatchRoute(std::string_view method, std::string_view raw_path) {
  if (!raw_path.starts_with('/')) return std::nullopt;
  if (raw_path == "/") {  // no segments: only the pattern "/" itself matches
    for (const Route& route : kRoutes) {
      if (route.method == method && route.pattern == "/") return RouteMatch{&route, {}};
    }
    return std::nullopt;
  }
  std::vector<std::string_view> raw_segments;
  raw_segments.reserve(kMaxSegments);
  if (!Split(raw_path.substr(1), raw_segments)) return std::nullopt;

  std::vector<std::string> segments;
  segments.reserve(raw_segments.size());
  for (std::string_view raw : raw_segments) {
    auto decoded = PercentDecode(raw, /*plus_is_space=*/false);
    if (!decoded || !IsPlainText(*decoded)) return std::nullopt;
    segments.push_back(std::move(*decoded));
  }

  std::vector<std::string_view> pattern;
  pattern.reserve(kMaxSegments);
  for (const Route& route : kRoutes) {
    if (route.method != method) continue;
    pattern.clear();
    Split(route.pattern.substr(1), pattern);
    if (pattern.size() != segments.size()) continue;
    bool literal_match = true;
    for (std::size_t i = 0; i < pattern.size() && literal_match; ++i) {
      literal_match = IsParameter(pattern[i]) || pattern[i] == segments[i];
    }
    if (!literal_match) continue;
    RouteMatch match{&route, {}};
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (IsParameter(pattern[i])) match.params.push_back(std::move(segments[i]));
    }
    return match;
  }
  return std::nullopt;
}

}  // namespace roster::api

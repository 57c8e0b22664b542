// The routes table and the path matcher.
#include "api/routes.hpp"

#include <array>

namespace roster::api {
namespace {

using namespace handlers;  // NOLINT(google-build-using-namespace): the table reads better bare

constexpr std::string_view kApiPrefix = "/v1/";

// Adding an endpoint: one handler in handlers/, one line here.
constexpr std::array kRoutes = {
    Route{"GET", "organization/users", ListUsers, Scope::kManagementRead},
    Route{"GET", "organization/users/{user_id}", RetrieveUser, Scope::kManagementRead},
    Route{"POST", "organization/users/{user_id}", ModifyUser, Scope::kManagementWrite},
    Route{"DELETE", "organization/users/{user_id}", DeleteUser, Scope::kManagementWrite},
    Route{"GET", "organization/users/{user_id}/roles", ListUserRoles, Scope::kManagementRead},
    Route{"POST", "organization/users/{user_id}/roles", AssignUserRole, Scope::kManagementWrite},
    Route{"GET", "organization/users/{user_id}/roles/{role_id}", RetrieveUserRole,
          Scope::kManagementRead},
    Route{"DELETE", "organization/users/{user_id}/roles/{role_id}", UnassignUserRole,
          Scope::kManagementWrite},
    Route{"GET", "organization/roles", ListRoles, Scope::kManagementRead},
    Route{"POST", "organization/roles", CreateRole, Scope::kManagementWrite},
    Route{"GET", "organization/roles/{role_id}", RetrieveRole, Scope::kManagementRead},
    Route{"POST", "organization/roles/{role_id}", UpdateRole, Scope::kManagementWrite},
    Route{"DELETE", "organization/roles/{role_id}", DeleteRole, Scope::kManagementWrite},
};

// The longest pattern has five segments; a longer path cannot match and is not decoded.
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

bool IsParameter(std::string_view segment) noexcept {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string_view ScopeName(Scope scope) noexcept {
  return scope == Scope::kManagementRead ? "api.management.read" : "api.management.write";
}

std::span<const Route> Routes() noexcept { return kRoutes; }

std::optional<RouteMatch> MatchRoute(std::string_view method, std::string_view raw_path) {
  if (!raw_path.starts_with(kApiPrefix)) return std::nullopt;
  std::vector<std::string_view> raw_segments;
  raw_segments.reserve(kMaxSegments);
  if (!Split(raw_path.substr(kApiPrefix.size()), raw_segments)) return std::nullopt;

  std::vector<std::string> segments;
  segments.reserve(raw_segments.size());
  for (std::string_view raw : raw_segments) {
    auto decoded = PercentDecode(raw, /*plus_is_space=*/false);
    if (!decoded) return std::nullopt;
    segments.push_back(std::move(*decoded));
  }

  std::vector<std::string_view> pattern;
  pattern.reserve(kMaxSegments);
  for (const Route& route : kRoutes) {
    if (route.method != method) continue;
    pattern.clear();
    Split(route.pattern, pattern);
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

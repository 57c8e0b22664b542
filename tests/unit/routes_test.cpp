// The routes table and raw-path matching.
#include "api/routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "core/permissions.hpp"

namespace roster::api {
namespace {

using ::testing::ElementsAre;

const Route* RouteOf(std::string_view method, std::string_view path) {
  auto match = MatchRoute(method, path);
  return match ? match->route : nullptr;
}

TEST(RoutesTest, TableIsUnique) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Route& route : Routes()) {
    EXPECT_TRUE(seen.emplace(route.method, route.pattern).second) << route.pattern;
    // Exactly one handler: a JSON body, or (the console) a whole response.
    EXPECT_NE(route.handler == nullptr, route.page == nullptr) << route.pattern;
    if (route.page != nullptr) EXPECT_EQ(route.access, Access::kPublic) << route.pattern;
    EXPECT_TRUE(route.pattern.starts_with('/')) << route.pattern;
  }
}

// Every route needs a catalogued permission, or is explicitly public and lives outside /v1 (the
// OpenAI API has no keyless endpoint; Roster's /v1/openapi.json is the one exception). Keyed routes
// are /v1 or Roster's own admin routes under /roster/organization/. Reads need `.read`, writes
// anything else (issuing an invite's acceptance link, a credential, is a POST: a write).
TEST(RoutesTest, EveryRouteHasAPermissionOrIsPublic) {
  for (const Route& route : Routes()) {
    if (route.access == Access::kPublic) {
      EXPECT_TRUE(route.permission.empty()) << route.pattern;
      // The one exception: the OpenAPI document, read before anyone has a key.
      if (route.pattern != "/v1/openapi.json") {
        EXPECT_FALSE(route.pattern.starts_with("/v1/")) << route.pattern;
      }
      continue;
    }
    EXPECT_TRUE(core::IsKnownPermission(route.permission)) << route.pattern;
    EXPECT_TRUE(route.pattern.starts_with("/v1/") ||
                route.pattern.starts_with("/roster/organization/"))
        << route.pattern;
    EXPECT_EQ(route.permission.ends_with(".read"), !IsWrite(route))
        << route.method << " " << route.pattern << " " << route.permission;
  }
}

TEST(RoutesTest, SeedEndpointPermissions) {
  namespace perm = core::permission;
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users")->permission, perm::kManagementRead);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u")->permission, perm::kManagementRead);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/users/u")->permission, perm::kManagementWrite);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/users/u")->permission, perm::kManagementWrite);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u/roles")->permission, perm::kRolesRead);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/users/u/roles")->permission, perm::kRolesWrite);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u/roles/r")->permission, perm::kRolesRead);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/users/u/roles/r")->permission, perm::kRolesWrite);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/roles")->permission, perm::kRolesRead);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/roles")->permission, perm::kRolesWrite);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/roles/r")->permission, perm::kRolesWrite);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/roles/r")->permission, perm::kRolesWrite);
}

TEST(RoutesTest, MatchesEveryEndpoint) {
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users")->handler, &handlers::ListUsers);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u")->handler, &handlers::RetrieveUser);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/users/u")->handler, &handlers::ModifyUser);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/users/u")->handler, &handlers::DeleteUser);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u/roles")->handler, &handlers::ListUserRoles);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/users/u/roles")->handler, &handlers::AssignUserRole);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users/u/roles/r")->handler,
            &handlers::RetrieveUserRole);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/users/u/roles/r")->handler,
            &handlers::UnassignUserRole);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/roles")->handler, &handlers::ListRoles);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/roles")->handler, &handlers::CreateRole);
  EXPECT_EQ(RouteOf("GET", "/v1/organization/roles/r")->handler, &handlers::RetrieveRole);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/roles/r")->handler, &handlers::UpdateRole);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/roles/r")->handler, &handlers::DeleteRole);
}

TEST(RoutesTest, ParamsAreDecodedPerSegment) {
  auto match = MatchRoute("GET", "/v1/organization/users/a%2Fb%20c/roles/r%2Bx+y");
  ASSERT_TRUE(match);
  EXPECT_THAT(match->params, ElementsAre("a/b c", "r+x+y"));
}

TEST(RoutesTest, NoMatch) {
  for (const char* path :
       {"/v1/organization/users/", "/v1/organization/users//roles", "/v1//organization/users",
        "/v1/organization/users/u/", "/organization/users", "/v2/organization/users", "/v1", "/v1/",
        "", "//", "/v1/organization", "/v1/organization/users/u/roles/r/x",
        "/v1/organization/users/%zz", "/v1/organization/users/%4", "/v1/organization/Users",
        "v1/organization/users", "/v1/organization/users/u/r/x/y/z/w"}) {
    EXPECT_EQ(MatchRoute("GET", path), std::nullopt) << path;
  }
}

TEST(RoutesTest, ConsoleRoutes) {
  EXPECT_EQ(RouteOf("GET", "/")->page, &handlers::ServeConsolePage);
  EXPECT_EQ(RouteOf("GET", "/invite/tok")->page, &handlers::ServeConsolePage);
  const auto asset = MatchRoute("GET", "/assets/v1/app.js");
  ASSERT_TRUE(asset.has_value());
  EXPECT_EQ(asset->route->page, &handlers::ServeConsoleAsset);
  EXPECT_THAT(asset->params, ElementsAre("v1", "app.js"));
  EXPECT_EQ(RouteOf("POST", "/"), nullptr);
  EXPECT_EQ(RouteOf("GET", "/assets/app.js"), nullptr);
  EXPECT_EQ(RouteOf("GET", "/roster/permissions")->handler, &handlers::ListPermissionCatalogue);
  EXPECT_EQ(RouteOf("POST", "/roster/organization/invites/i/link")->permission,
            core::permission::kManagementWrite);
}

TEST(RoutesTest, WrongMethodDoesNotMatch) {
  EXPECT_EQ(RouteOf("PUT", "/v1/organization/users/u"), nullptr);
  EXPECT_EQ(RouteOf("PATCH", "/v1/organization/roles/r"), nullptr);
  EXPECT_EQ(RouteOf("DELETE", "/v1/organization/users"), nullptr);
  EXPECT_EQ(RouteOf("POST", "/v1/organization/users"), nullptr);
  EXPECT_EQ(RouteOf("HEAD", "/v1/organization/users"), nullptr);
  EXPECT_EQ(RouteOf("get", "/v1/organization/users"), nullptr);
}

TEST(RoutesTest, EncodedLiteralSegmentsAreDecodedBeforeComparison) {
  // %2F inside a segment never splits it, so it cannot reach a deeper route.
  EXPECT_EQ(RouteOf("GET", "/v1/organization/users%2Fu"), nullptr);
  auto match = MatchRoute("GET", "/v1/organization/users/u%2Froles");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->route->handler, &handlers::RetrieveUser);
  EXPECT_THAT(match->params, ElementsAre("u/roles"));
}

}  // namespace
}  // namespace roster::api

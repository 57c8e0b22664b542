// The routes table and raw-path matching.
#include "api/routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

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
    EXPECT_NE(route.handler, nullptr);
    EXPECT_EQ(route.scope == Scope::kManagementRead, route.method == "GET") << route.pattern;
  }
  EXPECT_EQ(Routes().size(), 13u);
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
        "", "/", "/v1/organization", "/v1/organization/users/u/roles/r/x",
        "/v1/organization/users/%zz", "/v1/organization/users/%4", "/v1/organization/Users",
        "/v1/organization/groups", "v1/organization/users", "/v1/organization/users/u/r/x/y/z/w"}) {
    EXPECT_EQ(MatchRoute("GET", path), std::nullopt) << path;
  }
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

TEST(RoutesTest, ScopeNames) {
  EXPECT_EQ(ScopeName(Scope::kManagementRead), "api.management.read");
  EXPECT_EQ(ScopeName(Scope::kManagementWrite), "api.management.write");
}

}  // namespace
}  // namespace roster::api

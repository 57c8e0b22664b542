// Route matching as clients see it: Invalid URL 404s, methods, slashes and encoded ids.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

using RoutingTest = ApiTest;

TEST_F(RoutingTest, UnknownPathIs404WithTheRealMessage) {
  ExpectInvalidUrl(Get("/v1/organization/widgets"), "GET", "/v1/organization/widgets");
  ExpectInvalidUrl(Get("/v1/nothing?limit=3&x=y"), "GET", "/v1/nothing");
  ExpectInvalidUrl(Get("/organization/users"), "GET", "/organization/users");
  ExpectInvalidUrl(Get("/v2/organization/users"), "GET", "/v2/organization/users");
  ExpectInvalidUrl(Call("POST", "/", "{}"), "POST", "/");  // GET / is the console
}

TEST_F(RoutingTest, UnknownPathNeedsNoKey) {
  ExpectInvalidUrl(Call("GET", "/v1/organization/widgets", "", ""), "GET",
                   "/v1/organization/widgets");
  ExpectInvalidUrl(Call("POST", "/v1/chat/completions", "{}", "Bearer sk-proj-x"), "POST",
                   "/v1/chat/completions");
}

TEST_F(RoutingTest, WrongMethodOnKnownPath) {
  ExpectInvalidUrl(Call("PUT", "/v1/organization/users/u", "{}"), "PUT",
                   "/v1/organization/users/u");
  ExpectInvalidUrl(Call("PATCH", "/v1/organization/roles/r", "{}"), "PATCH",
                   "/v1/organization/roles/r");
  ExpectInvalidUrl(Call("POST", "/v1/organization/users", "{}"), "POST", "/v1/organization/users");
  ExpectInvalidUrl(Call("DELETE", "/v1/organization/roles"), "DELETE", "/v1/organization/roles");
  ExpectInvalidUrl(Call("DELETE", "/v1/organization/users/u/roles"), "DELETE",
                   "/v1/organization/users/u/roles");
  ExpectInvalidUrl(Call("POST", "/v1/organization/users/u/roles/r", "{}"), "POST",
                   "/v1/organization/users/u/roles/r");
}

TEST_F(RoutingTest, TrailingSlashAndEmptySegments) {
  ExpectInvalidUrl(Get("/v1/organization/users/"), "GET", "/v1/organization/users/");
  ExpectInvalidUrl(Delete("/v1/organization/users/"), "DELETE", "/v1/organization/users/");
  ExpectInvalidUrl(Get("/v1/organization/roles/"), "GET", "/v1/organization/roles/");
  ExpectInvalidUrl(Get("/v1//organization/users"), "GET", "/v1//organization/users");
  ExpectInvalidUrl(Get("/v1/organization/users//roles"), "GET", "/v1/organization/users//roles");
  ExpectInvalidUrl(Get("/v1/organization/users/" + OwnerId() + "/"), "GET",
                   "/v1/organization/users/" + OwnerId() + "/");
}

TEST_F(RoutingTest, MalformedEscapeIs404) {
  ExpectInvalidUrl(Get("/v1/organization/users/%zz"), "GET", "/v1/organization/users/%zz");
  ExpectInvalidUrl(Get("/v1/organization/roles/abc%4"), "GET", "/v1/organization/roles/abc%4");
}

TEST_F(RoutingTest, PercentEncodedIdsAreDecoded) {
  // "user-…" with the dash escaped (%2D) is the same id.
  std::string encoded = OwnerId();
  encoded.replace(encoded.find('-'), 1, "%2D");
  const Reply reply = Get("/v1/organization/users/" + encoded);
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["id"], OwnerId());
}

TEST_F(RoutingTest, EncodedSlashStaysInsideTheId) {
  const Reply reply = Get("/v1/organization/users/" + EncodePathParam("a/b c"));
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error()["message"], "No such user: 'a/b c'.");
  // …and does not reach the roles sub-resource.
  const Reply nested = Get("/v1/organization/users/" + EncodePathParam(OwnerId() + "/roles"));
  ExpectError(nested, 404, std::nullopt, std::nullopt);
}

TEST_F(RoutingTest, OddIdsAreJustMissing) {
  for (const std::string id : {"..", ".", "%00", "\xff\xfe", "user-\"quoted\"", "x?y#z"}) {
    const Reply reply = Get("/v1/organization/roles/" + EncodePathParam(id));
    ExpectError(reply, 404, std::nullopt, std::nullopt);
  }
}

TEST_F(RoutingTest, UnknownQueryParametersAreIgnored) {
  EXPECT_EQ(Get("/v1/organization/users?foo=bar&limit=2&order=sideways").status(), 200);
  EXPECT_EQ(Get("/v1/organization/roles/" + PredefinedRoleId("Owner") + "?x=1").status(), 200);
}

TEST_F(RoutingTest, RequestIdsDiffer) {
  const Reply a = Get("/v1/organization/users");
  const Reply b = Get("/v1/organization/nothing");
  EXPECT_NE(a.response.Header("x-request-id"), b.response.Header("x-request-id"));
}

}  // namespace
}  // namespace roster::apitest

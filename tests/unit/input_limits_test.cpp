// The API layer's input limits (api/input_limits.hpp) at their edges, and the checks that keep
// ill-formed bytes (invalid UTF-8, NUL) out of ids, query values and body strings.
#include "api/input_limits.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/json/admin_key_bodies.hpp"
#include "api/json/bodies.hpp"
#include "api/json/body_parser.hpp"
#include "api/json/group_bodies.hpp"
#include "api/json/invite_bodies.hpp"
#include "api/list_params.hpp"
#include "api/routes.hpp"
#include "unit/error_matchers.hpp"

namespace roster::api {
namespace {

using ::roster::testing::ExpectBadRequest;

Request Post(std::string body) {
  Request request = Request::Make("POST", "/v1/x", std::move(body));
  request.content_type = "application/json";
  return request;
}

// `{"a": [[…[0]…]]}` with `depth` containers in all (the top-level object included).
std::string Nested(int depth) {
  std::string body = R"({"a":)";
  for (int i = 1; i < depth; ++i) body += '[';
  body += '0';
  for (int i = 1; i < depth; ++i) body += ']';
  return body + '}';
}

std::string Repeat(std::string_view item, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += item;
  return out;
}

// `["x","x",…]` with `count` items.
std::string StringArray(std::size_t count) {
  std::string out = "[";
  for (std::size_t i = 0; i < count; ++i)
    out += i == 0 ? R"("api.groups.read")" : R"(,"api.groups.read")";
  return out + "]";
}

TEST(InputLimitsTest, JsonDepthUpToTheLimitParses) {
  EXPECT_NO_THROW(json::ParseObjectBody(Post(Nested(limits::kMaxJsonDepth))));
}

TEST(InputLimitsTest, JsonDepthBeyondTheLimitIsRefused) {
  ExpectBadRequest([] { json::ParseObjectBody(Post(Nested(limits::kMaxJsonDepth + 1))); },
                   std::nullopt, "json_too_deep");
  // Far deeper than any stack would take if the parser recursed: refused at level 65.
  ExpectBadRequest([] { json::ParseObjectBody(Post(Nested(200'000))); }, std::nullopt,
                   "json_too_deep");
  // Objects count as levels too.
  ExpectBadRequest(
      [] { json::ParseObjectBody(Post(Repeat(R"({"a":)", 65) + "1" + Repeat("}", 65))); },
      std::nullopt, "json_too_deep");
}

TEST(InputLimitsTest, ArrayItemsUpToTheLimitParse) {
  const json::Json body = json::ParseObjectBody(
      Post(R"({"permissions":)" + StringArray(limits::kMaxJsonArrayItems) + "}"));
  EXPECT_EQ(body["permissions"].size(), limits::kMaxJsonArrayItems);
}

TEST(InputLimitsTest, ArrayBeyondTheLimitIsRefusedNamingTheField) {
  ExpectBadRequest(
      [] {
        json::ParseObjectBody(
            Post(R"({"permissions":)" + StringArray(limits::kMaxJsonArrayItems + 1) + "}"));
      },
      "permissions", "array_too_long");
  // Nested arrays count their own items; containers count as items of their parent.
  ExpectBadRequest(
      [] {
        json::ParseObjectBody(
            Post(R"({"projects":[)" + Repeat("{},", limits::kMaxJsonArrayItems) + "{}]}"));
      },
      "projects", "array_too_long");
  ExpectBadRequest(
      [] {
        json::ParseObjectBody(
            Post(R"({"a":[[)" + Repeat("1,", limits::kMaxJsonArrayItems) + "1]]}"));
      },
      "a", "array_too_long");
}

TEST(InputLimitsTest, NulInAStringOrKeyIsRefused) {
  ExpectBadRequest([] { json::ParseObjectBody(Post(R"({"role_id":"role-1\u0000x"})")); }, "role_id",
                   "invalid_value");
  ExpectBadRequest([] { json::ParseObjectBody(Post(R"({"projects":[{"id":"p\u0000"}]})")); },
                   "projects", "invalid_value");
  ExpectBadRequest([] { json::ParseObjectBody(Post(R"({"a\u0000b":1})")); }, std::string("a\0b", 3),
                   "invalid_value");
  // Other escapes are fine.
  EXPECT_NO_THROW(json::ParseObjectBody(Post(R"({"a":"\u0001\u00e9\ud83d\ude00"})")));
}

TEST(InputLimitsTest, RepeatedKeysAreRefusedAtEveryDepth) {
  ExpectBadRequest(
      [] { json::ParseObjectBody(Post(R"({"projects":[{"id":"a","role":"owner","id":"b"}]})")); },
      "projects", "duplicate_parameter", "'id' appears more than once");
  ExpectBadRequest([] { json::ParseObjectBody(Post(R"({"a":{"b":{"c":1,"c":2}}})")); }, "a",
                   "duplicate_parameter");
  // The same key in sibling objects is no repetition.
  EXPECT_NO_THROW(json::ParseObjectBody(Post(R"({"projects":[{"id":"a"},{"id":"b"}]})")));
}

TEST(InputLimitsTest, DescriptionLengthEdge) {
  const json::PermissionPolicy policy;
  // Characters, not bytes: 1024 two-byte characters fit.
  const std::string at_limit = Repeat("\xc3\xa9", limits::kMaxDescriptionChars);
  const storage::NewRole role = json::DecodeCreateRole(
      Post(R"({"role_name":"r","permissions":[],"description":")" + at_limit + "\"}"), policy);
  EXPECT_EQ(role.description, at_limit);
  const std::string over = Repeat("d", limits::kMaxDescriptionChars + 1);
  ExpectBadRequest(
      [&] {
        json::DecodeCreateRole(
            Post(R"({"role_name":"r","permissions":[],"description":")" + over + "\"}"), policy);
      },
      "description", "invalid_value", "string too long");
  ExpectBadRequest(
      [&] { json::DecodeUpdateRole(Post(R"({"description":")" + over + "\"}"), policy); },
      "description", "invalid_value", "string too long");
}

TEST(InputLimitsTest, MemberMetadataLengthEdge) {
  for (const char* field : {"technical_level", "developer_persona"}) {
    const std::string at_limit = Repeat("x", limits::kMaxMetadataChars);
    EXPECT_NO_THROW(
        json::DecodeModifyUser(Post("{\"" + std::string(field) + "\":\"" + at_limit + "\"}")));
    ExpectBadRequest(
        [&] {
          json::DecodeModifyUser(Post("{\"" + std::string(field) + "\":\"" + at_limit + "x\"}"));
        },
        field, "invalid_value", "string too long");
  }
}

TEST(InputLimitsTest, InviteProjectIdLengthEdge) {
  const std::string at_limit = Repeat("p", limits::kMaxIdBytes);
  const auto invite =
      json::DecodeCreateInvite(Post(R"({"email":"a@b.c","role":"reader","projects":[{"id":")" +
                                    at_limit + R"(","role":"member"}]})"));
  ASSERT_TRUE(invite.projects.has_value());
  EXPECT_EQ(invite.projects->at(0).id, at_limit);
  ExpectBadRequest(
      [&] {
        json::DecodeCreateInvite(Post(R"({"email":"a@b.c","role":"reader","projects":[{"id":")" +
                                      at_limit + R"(p","role":"member"}]})"));
      },
      "projects", "invalid_value", "longer than 255 bytes");
}

// --- query strings ---------------------------------------------------------------------------

std::string Params(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i)
    out += (i == 0 ? "" : "&") + std::string("emails[]=a") + std::to_string(i) + "@b.c";
  return out;
}

TEST(InputLimitsTest, QueryParametersUpToTheLimitPass) {
  EXPECT_NO_THROW(ValidateQuery(Query::Parse(Params(limits::kMaxQueryParameters))));
  // Empty parts (`&&`) are no parameters.
  EXPECT_NO_THROW(ValidateQuery(Query::Parse(Params(limits::kMaxQueryParameters) + "&&&&")));
}

TEST(InputLimitsTest, QueryParametersBeyondTheLimitAreRefused) {
  ExpectBadRequest([] { ValidateQuery(Query::Parse(Params(limits::kMaxQueryParameters + 1))); },
                   std::nullopt, "too_many_parameters");
}

TEST(InputLimitsTest, QueryValuesMustBeUtf8WithoutNul) {
  for (const char* raw : {"after=%FF", "emails[]=a%00b", "order=%C0%AF", "limit=%ED%A0%80",
                          "emails%5B%5D=%F4%90%80%80"}) {
    SCOPED_TRACE(raw);
    try {
      ValidateQuery(Query::Parse(raw));
      ADD_FAILURE() << "accepted";
    } catch (const core::Error& error) {
      EXPECT_EQ(error.kind(), core::ErrorKind::kInvalidRequest);
      EXPECT_EQ(error.code(), "invalid_value");
      ASSERT_TRUE(error.param().has_value());
      EXPECT_TRUE(IsValidUtf8(*error.param()));
    }
  }
  ExpectBadRequest([] { ValidateQuery(Query::Parse("%FF=1")); }, "(invalid UTF-8)",
                   "invalid_value");
  EXPECT_NO_THROW(ValidateQuery(Query::Parse("emails[]=%C3%A9%F0%9F%98%80@x.y&after=%2e%2e%2F")));
}

TEST(InputLimitsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"));
  for (std::string_view bad :
       {"\xff", "\x80", "\xc0\xae", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf0\x80\x80\xaf",
        "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "a\xc3(b"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << ::testing::PrintToString(std::string(bad));
  }
}

// --- path ids --------------------------------------------------------------------------------

TEST(InputLimitsTest, PathSegmentsThatCannotBeIdsMatchNoRoute) {
  for (const char* id :
       {"%FF", "%C0%AE%C0%AE", "user%00", "%00", "a%0Ab", "%7F", "%ED%A0%80", "%E0%80%AF"}) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(MatchRoute("GET", std::string("/v1/organization/users/") + id).has_value());
  }
  // Traversal and double encoding decode to plain text: they match, as ids no resource has.
  for (const char* id : {"..%2F..%2Fetc%2Fpasswd", "%252e%252e", "%2e%2e", "%C3%A9"}) {
    SCOPED_TRACE(id);
    const auto match = MatchRoute("GET", std::string("/v1/organization/users/") + id);
    ASSERT_TRUE(match.has_value());
    EXPECT_EQ(match->params.size(), 1U);
  }
  EXPECT_EQ(MatchRoute("GET", "/v1/organization/users/..%2F..%2Fx")->params.at(0), "../../x");
  EXPECT_EQ(MatchRoute("GET", "/v1/organization/users/%252e")->params.at(0), "%2e");
  // A raw `..` segment is an id too, never a step up: the router does not normalize paths.
  EXPECT_EQ(MatchRoute("GET", "/v1/organization/users/..")->params.at(0), "..");
  EXPECT_EQ(MatchRoute("GET", "/v1/organization/users/../roles")->route->pattern,
            "/v1/organization/users/{user_id}/roles");
}

}  // namespace
}  // namespace roster::api

// Query parsing, percent decoding, Request::Make and Response::Header.
#include "api/request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace roster::api {
namespace {

using ::testing::ElementsAre;

TEST(PercentDecodeTest, DecodesEscapesInAnyCase) {
  EXPECT_EQ(PercentDecode("a%40b.com", false), "a@b.com");
  EXPECT_EQ(PercentDecode("%2f%2F", false), "//");
  EXPECT_EQ(PercentDecode("%e2%82%ac", false), "\xe2\x82\xac");
  EXPECT_EQ(PercentDecode("", false), "");
  EXPECT_EQ(PercentDecode("%00", false), std::string(1, '\0'));
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a%2Bb", true), "a+b");
}

TEST(PercentDecodeTest, RejectsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("%zz", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("abc%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%g0", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%0g", true), std::nullopt);
}

TEST(QueryTest, ParsesPairsInOrder) {
  const Query q = Query::Parse("limit=2&after=user-1&flag");
  ASSERT_EQ(q.pairs().size(), 3u);
  EXPECT_EQ(q.Get("limit"), "2");
  EXPECT_EQ(q.Get("after"), "user-1");
  EXPECT_EQ(q.Get("flag"), "");
  EXPECT_TRUE(q.Has("flag"));
  EXPECT_FALSE(q.Has("missing"));
  EXPECT_EQ(q.Get("missing"), std::nullopt);
}

TEST(QueryTest, GetReturnsTheLastValue) {
  EXPECT_EQ(Query::Parse("limit=1&limit=5").Get("limit"), "5");
}

TEST(QueryTest, SkipsEmptyParts) {
  const Query q = Query::Parse("&a=1&&b=2&");
  ASSERT_EQ(q.pairs().size(), 2u);
  EXPECT_EQ(q.Get("a"), "1");
  EXPECT_EQ(q.Get("b"), "2");
  EXPECT_TRUE(Query::Parse("").pairs().empty());
}

TEST(QueryTest, ValueKeepsLaterEqualsSigns) { EXPECT_EQ(Query::Parse("a=b=c").Get("a"), "b=c"); }

TEST(QueryTest, DecodesKeysAndValuesAndPlus) {
  const Query q = Query::Parse("emails%5B%5D=a%40b.com&emails%5B%5D=c%2Bd%40e.com&name=Ada+L");
  EXPECT_THAT(q.GetAll("emails"), ElementsAre("a@b.com", "c+d@e.com"));
  EXPECT_EQ(q.Get("name"), "Ada L");
  EXPECT_EQ(q.pairs()[0].first, "emails[]");
}

TEST(QueryTest, GetAllReadsBracketedAndPlainInOrder) {
  const Query q = Query::Parse("emails[]=a&emails=b&emails%5B%5D=c&other=x&emailsx=y&emails[x]=z");
  EXPECT_THAT(q.GetAll("emails"), ElementsAre("a", "b", "c"));
  EXPECT_TRUE(q.GetAll("nothing").empty());
}

TEST(QueryTest, GetDoesNotReadBracketedKeys) {
  const Query q = Query::Parse("emails[]=a");
  EXPECT_EQ(q.Get("emails"), std::nullopt);
  EXPECT_FALSE(q.Has("emails"));
  EXPECT_TRUE(q.Has("emails[]"));
}

TEST(QueryTest, KeepsMalformedEscapesLiterally) {
  const Query q = Query::Parse("a=%zz&b=100%&c=%4&d=%41%");
  EXPECT_EQ(q.Get("a"), "%zz");
  EXPECT_EQ(q.Get("b"), "100%");
  EXPECT_EQ(q.Get("c"), "%4");
  EXPECT_EQ(q.Get("d"), "A%");
}

TEST(QueryTest, EncodedSeparatorsStayInsideValues) {
  const Query q = Query::Parse("a=x%26y%3Dz");
  ASSERT_EQ(q.pairs().size(), 1u);
  EXPECT_EQ(q.Get("a"), "x&y=z");
}

TEST(RequestTest, MakeSplitsPathAndQuery) {
  const Request r = Request::Make("GET", "/v1/organization/users?limit=2&after=u", "", "Bearer k");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/v1/organization/users?limit=2&after=u");
  EXPECT_EQ(r.path, "/v1/organization/users");
  EXPECT_EQ(r.query.Get("limit"), "2");
  EXPECT_EQ(r.query.Get("after"), "u");
  EXPECT_EQ(r.authorization, "Bearer k");
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.content_type.empty());
  EXPECT_FALSE(r.openai_organization.has_value());
}

TEST(RequestTest, MakeWithoutQueryKeepsRawPath) {
  const Request r = Request::Make("POST", "/v1/organization/users/user%2Fx", "{}");
  EXPECT_EQ(r.path, "/v1/organization/users/user%2Fx");
  EXPECT_TRUE(r.query.pairs().empty());
  EXPECT_EQ(r.body, "{}");
}

TEST(RequestTest, MakeWithEmptyQuery) {
  const Request r = Request::Make("GET", "/v1/organization/roles?");
  EXPECT_EQ(r.path, "/v1/organization/roles");
  EXPECT_TRUE(r.query.pairs().empty());
}

TEST(ResponseTest, HeaderLookupIsCaseInsensitive) {
  Response response;
  response.headers = {{"x-request-id", "req_1"}, {"retry-after", "1"}};
  EXPECT_EQ(response.Header("x-request-id"), "req_1");
  EXPECT_EQ(response.Header("X-Request-ID"), "req_1");
  EXPECT_EQ(response.Header("retry-after-ms"), std::nullopt);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.status, 200);
}

}  // namespace
}  // namespace roster::api

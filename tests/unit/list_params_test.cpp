// `limit`, `order` and `after` of the list endpoints.
#include "api/list_params.hpp"

#include <gtest/gtest.h>

#include "unit/error_matchers.hpp"

namespace roster::api {
namespace {

using ::roster::testing::ExpectBadRequest;

Query Q(std::string_view raw) { return Query::Parse(raw); }

TEST(ParseLimitTest, Defaults) {
  EXPECT_EQ(ParseLimit(Q(""), kUsersLimit), 20);
  EXPECT_EQ(ParseLimit(Q(""), kRolesLimit), 1000);
}

TEST(ParseLimitTest, InRange) {
  EXPECT_EQ(ParseLimit(Q("limit=1"), kUsersLimit), 1);
  EXPECT_EQ(ParseLimit(Q("limit=100"), kUsersLimit), 100);
  EXPECT_EQ(ParseLimit(Q("limit=007"), kUsersLimit), 7);
  EXPECT_EQ(ParseLimit(Q("limit=1000"), kRolesLimit), 1000);
  EXPECT_EQ(ParseLimit(Q("limit=3"), kRolesLimit), 3);
}

TEST(ParseLimitTest, ZeroMeansDefaultOnlyWhereLegal) {
  EXPECT_EQ(ParseLimit(Q("limit=0"), kRolesLimit), 1000);
  ExpectBadRequest([] { ParseLimit(Q("limit=0"), kUsersLimit); }, "limit",
                   "integer_below_min_value");
}

TEST(ParseLimitTest, OutOfRange) {
  ExpectBadRequest([] { ParseLimit(Q("limit=101"), kUsersLimit); }, "limit",
                   "integer_above_max_value");
  ExpectBadRequest([] { ParseLimit(Q("limit=-1"), kUsersLimit); }, "limit",
                   "integer_below_min_value");
  ExpectBadRequest([] { ParseLimit(Q("limit=1001"), kRolesLimit); }, "limit",
                   "integer_above_max_value");
  ExpectBadRequest([] { ParseLimit(Q("limit=-1"), kRolesLimit); }, "limit",
                   "integer_below_min_value");
  ExpectBadRequest([] { ParseLimit(Q("limit=99999999999999999999999"), kUsersLimit); }, "limit",
                   "integer_above_max_value");
  ExpectBadRequest([] { ParseLimit(Q("limit=-99999999999999999999999"), kRolesLimit); }, "limit",
                   "integer_below_min_value");
}

TEST(ParseLimitTest, NotAnInteger) {
  for (const char* raw : {"limit=", "limit=abc", "limit=1.5", "limit=1e2", "limit=+5", "limit=%205",
                          "limit=5%20", "limit=0x10", "limit=-", "limit=5a"}) {
    ExpectBadRequest([&] { ParseLimit(Q(raw), kUsersLimit); }, "limit", "invalid_type");
  }
}

TEST(ParseLimitTest, LastValueWins) {
  EXPECT_EQ(ParseLimit(Q("limit=abc&limit=5"), kUsersLimit), 5);
}

TEST(ParseOrderTest, Values) {
  EXPECT_EQ(ParseOrder(Q(""), core::SortOrder::kAsc), core::SortOrder::kAsc);
  EXPECT_EQ(ParseOrder(Q(""), core::SortOrder::kDesc), core::SortOrder::kDesc);
  EXPECT_EQ(ParseOrder(Q("order=asc"), core::SortOrder::kDesc), core::SortOrder::kAsc);
  EXPECT_EQ(ParseOrder(Q("order=desc"), core::SortOrder::kAsc), core::SortOrder::kDesc);
  for (const char* raw : {"order=up", "order=ASC", "order=", "order=desc%20"}) {
    ExpectBadRequest([&] { ParseOrder(Q(raw), core::SortOrder::kAsc); }, "order", "invalid_value",
                     "'asc' and 'desc'");
  }
}

TEST(ParseAfterTest, Values) {
  EXPECT_EQ(ParseAfter(Q("")), std::nullopt);
  EXPECT_EQ(ParseAfter(Q("after=")), std::nullopt);
  EXPECT_EQ(ParseAfter(Q("after=user-1")), "user-1");
  EXPECT_EQ(ParseAfter(Q("after=a%2Fb")), "a/b");
}

}  // namespace
}  // namespace roster::api

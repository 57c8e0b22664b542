// The OpenAI error envelope: body shape, status, type and headers of MakeErrorResponse.
#include "api/error_response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace roster::api {
namespace {

using nlohmann::json;
constexpr std::string_view kRequestId = "req_0123456789abcdef0123456789abcdef";

json Body(const Response& response) { return json::parse(response.body); }

TEST(ErrorResponseTest, AlwaysHasAllFourKeys) {
  const Response r = MakeErrorResponse(core::NotFound("No such user: u"), kRequestId);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  const json body = Body(r);
  ASSERT_EQ(body.size(), 1u);
  const json& error = body.at("error");
  ASSERT_EQ(error.size(), 4u);
  EXPECT_EQ(error.at("message"), "No such user: u");
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_TRUE(error.at("param").is_null());
  EXPECT_TRUE(error.at("code").is_null());
  EXPECT_EQ(r.Header("x-request-id"), std::string(kRequestId));
  EXPECT_EQ(r.Header("retry-after"), std::nullopt);
}

TEST(ErrorResponseTest, CarriesParamAndCode) {
  const Response r = MakeErrorResponse(core::InvalidValue("role", "bad role"), kRequestId);
  EXPECT_EQ(r.status, 400);
  const json error = Body(r).at("error");
  EXPECT_EQ(error.at("param"), "role");
  EXPECT_EQ(error.at("code"), "invalid_value");
  EXPECT_EQ(error.at("message"), "bad role");
}

TEST(ErrorResponseTest, StatusAndTypeFollowTheKind) {
  struct Case {
    core::ErrorKind kind;
    int status;
    const char* type;
  };
  for (const Case& c : {Case{core::ErrorKind::kInvalidRequest, 400, "invalid_request_error"},
                        Case{core::ErrorKind::kUnauthenticated, 401, "invalid_request_error"},
                        Case{core::ErrorKind::kPermissionDenied, 403, "invalid_request_error"},
                        Case{core::ErrorKind::kNotFound, 404, "invalid_request_error"},
                        Case{core::ErrorKind::kPayloadTooLarge, 413, "invalid_request_error"},
                        Case{core::ErrorKind::kUriTooLong, 414, "invalid_request_error"},
                        Case{core::ErrorKind::kRateLimited, 429, "requests"},
                        Case{core::ErrorKind::kHeadersTooLarge, 431, "invalid_request_error"},
                        Case{core::ErrorKind::kInternal, 500, "server_error"},
                        Case{core::ErrorKind::kUnavailable, 503, "server_error"}}) {
    const Response r = MakeErrorResponse(core::Error(c.kind, "m"), kRequestId);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(Body(r).at("error").at("type"), c.type) << c.status;
    EXPECT_EQ(r.Header("x-request-id"), std::string(kRequestId));
  }
}

TEST(ErrorResponseTest, RateLimitedAndUnavailableCarryRetryHeaders) {
  for (auto kind : {core::ErrorKind::kRateLimited, core::ErrorKind::kUnavailable}) {
    const Response r = MakeErrorResponse(core::Error(kind, "slow down"), kRequestId);
    EXPECT_EQ(r.Header("retry-after"), "1");
    EXPECT_EQ(r.Header("retry-after-ms"), "1000");
  }
  const Response r = MakeErrorResponse(core::Error(core::ErrorKind::kInternal, "boom"), kRequestId);
  EXPECT_EQ(r.Header("retry-after"), std::nullopt);
}

TEST(ErrorResponseTest, ServerErrorsNameTheRequestIdOnce) {
  const Response r =
      MakeErrorResponse(core::Error(core::ErrorKind::kUnavailable, "Busy."), kRequestId);
  const std::string message = Body(r).at("error").at("message");
  EXPECT_NE(message.find(kRequestId), std::string::npos);
  EXPECT_EQ(message.rfind("Busy.", 0), 0u);

  const std::string with_id = "Please include the request ID " + std::string(kRequestId) + ".";
  const Response r2 =
      MakeErrorResponse(core::Error(core::ErrorKind::kInternal, with_id), kRequestId);
  EXPECT_EQ(Body(r2).at("error").at("message"), with_id);
}

TEST(ErrorResponseTest, ClientErrorsDoNotMentionTheRequestId) {
  const Response r = MakeErrorResponse(core::NotFound("gone"), kRequestId);
  EXPECT_EQ(Body(r).at("error").at("message"), "gone");
}

TEST(ErrorResponseTest, DetailIsNeverSent) {
  const core::Error error(core::ErrorKind::kInternal, "Failed.", std::nullopt, std::nullopt,
                          "SQLITE_CORRUPT at /var/db secret detail");
  const Response r = MakeErrorResponse(error, kRequestId);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("SQLITE"), std::string::npos);
}

TEST(ErrorResponseTest, EscapesQuotesControlCharactersAndBadUtf8) {
  const std::string message = "bad \"path\"\n\x01 \xff\xfe end";
  const Response r = MakeErrorResponse(core::NotFound(message), kRequestId);
  const json body = Body(r);  // must be valid JSON
  const std::string got = body.at("error").at("message");
  EXPECT_NE(got.find("bad \"path\"\n\x01 "), std::string::npos);
  EXPECT_NE(got.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD replaces invalid bytes
}

}  // namespace
}  // namespace roster::api

// Through the router: repeated failed authentication from one address is answered 429 without
// locking out other addresses, and the per-key token bucket answers 429 with retry-after and
// retry-after-ms in the OpenAI envelope (issue 6). Clocks are injected: no timing decides a result.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "api/api_helpers.hpp"
#include "api/bootstrap.hpp"

namespace roster::apitest {
namespace {

constexpr const char* kAttacker = "203.0.113.9";
constexpr const char* kBystander = "203.0.113.10";

class ThrottleTest : public ApiTest {
 protected:
  Reply From(const std::string& peer, const std::string& authorization) {
    api::Request request = api::Request::Make("GET", "/v1/organization/users", "", authorization);
    request.peer = peer;
    return Send(request);
  }
  static std::string WrongKey(int i) {
    return "Bearer sk-admin-guess-" + std::to_string(i) + "-0123456789abcdefghij";
  }
};

TEST_F(ThrottleTest, FailedAuthenticationFromOneAddressIsThrottled) {
  api::RouterOptions options;
  options.auth_throttle = {.max_failures = 5, .window_seconds = 60, .max_clients = 1000};
  ResetRouter(options);
  for (int i = 0; i < 5; ++i) {
    ExpectError(From(kAttacker, WrongKey(i)), 401, std::nullopt, "invalid_api_key");
  }
  clock_.Advance(10);
  const Reply refused = From(kAttacker, WrongKey(99));
  ExpectError(refused, 429, std::nullopt, "rate_limit_exceeded", "requests");
  EXPECT_EQ(refused.response.Header("retry-after"), "50");
  EXPECT_EQ(refused.response.Header("retry-after-ms"), "50000");
  // Even the right key is refused from that address while the window lasts (a correct guess
  // must not be confirmed) ...
  ExpectError(From(kAttacker, Bearer()), 429, std::nullopt, "rate_limit_exceeded", "requests");
  // ... while other clients, and in-process callers, are not affected.
  EXPECT_EQ(From(kBystander, Bearer()).status(), 200);
  ExpectError(From(kBystander, WrongKey(1)), 401, std::nullopt, "invalid_api_key");
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  // Missing keys and keyless routes are not guesses.
  clock_.Advance(50);
  EXPECT_EQ(From(kAttacker, Bearer()).status(), 200);
}

TEST_F(ThrottleTest, MissingKeysAreNotCountedAsGuesses) {
  api::RouterOptions options;
  options.auth_throttle = {.max_failures = 2, .window_seconds = 60, .max_clients = 1000};
  ResetRouter(options);
  for (int i = 0; i < 10; ++i) ExpectError(From(kAttacker, ""), 401, std::nullopt, std::nullopt);
  EXPECT_EQ(From(kAttacker, Bearer()).status(), 200);
}

TEST_F(ThrottleTest, ThrottleIsOnByDefault) {
  for (int i = 0; i < api::AuthThrottleOptions{}.max_failures; ++i) {
    ExpectError(From(kAttacker, WrongKey(i)), 401, std::nullopt, "invalid_api_key");
  }
  EXPECT_EQ(From(kAttacker, WrongKey(0)).status(), 429);
}

class RateLimitTest : public ApiTest {
 protected:
  RateLimitTest() {
    api::RouterOptions options;
    options.rate_limit = {.rate = 1, .burst = 2};
    options.milliseconds = [this] { return now_ms_.load(); };
    ResetRouter(options);
  }
  std::atomic<std::int64_t> now_ms_{5'000'000};
};

TEST_F(RateLimitTest, EmptyBucketAnswers429WithRetryHints) {
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  EXPECT_EQ(Get("/v1/organization/roles").status(), 200);
  const Reply refused = Get("/v1/organization/users");
  ExpectError(refused, 429, std::nullopt, "rate_limit_exceeded", "requests");
  EXPECT_EQ(refused.response.Header("retry-after-ms"), "1000");
  EXPECT_EQ(refused.response.Header("retry-after"), "1");
  now_ms_ += 400;
  EXPECT_EQ(Get("/v1/organization/users").response.Header("retry-after-ms"), "600");
  now_ms_ += 600;
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  EXPECT_EQ(Get("/v1/organization/users").status(), 429);
}

TEST_F(RateLimitTest, EachKeyHasItsOwnBucketAndRefusedWritesChangeNothing) {
  const core::Member member = AddMember("second@example.com", "Second", core::BaseRole::kOwner);
  auto [key, value] = api::IssueAdminKey(*store_, OrgId(), member.account.id, "second");
  const int roles_before = CountEvents("role.created");
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  EXPECT_EQ(
      Post("/v1/organization/roles", std::string(R"({"role_name":"Refused","permissions":[]})"))
          .status(),
      429);
  EXPECT_EQ(CountEvents("role.created"), roles_before);
  EXPECT_EQ(Call("GET", "/v1/organization/users", "", "Bearer " + value).status(), 200);
}

TEST_F(RateLimitTest, OffByDefault) {
  ResetRouter({});
  for (int i = 0; i < 50; ++i) ASSERT_EQ(Get("/v1/organization/users").status(), 200);
}

}  // namespace
}  // namespace roster::apitest

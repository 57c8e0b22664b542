// Router::Handle called from several threads at once, as the transport's worker pool does.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "api/api_helpers.hpp"

namespace roster::apitest {
namespace {

using ConcurrencyTest = ApiTest;

TEST_F(ConcurrencyTest, ParallelReadsAndWrites) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string name = "Role " + std::to_string(t) + "-" + std::to_string(i);
        const api::Response created = router_->Handle(api::Request::Make(
            "POST", "/v1/organization/roles",
            json{{"role_name", name}, {"permissions", json::array()}}.dump(), Bearer()));
        const api::Response users =
            router_->Handle(api::Request::Make("GET", "/v1/organization/users", "", Bearer()));
        const api::Response missing =
            router_->Handle(api::Request::Make("GET", "/v1/nowhere", "", ""));
        if (created.status != 200 || users.status != 200 || missing.status != 404 ||
            !created.Header("x-request-id") || !users.Header("x-request-id")) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(WalkIds("/v1/organization/roles?limit=5", "next").size(),
            static_cast<std::size_t>(2 + kThreads * kRounds));
  EXPECT_EQ(CountEvents("role.created"), kThreads * kRounds);
}

}  // namespace
}  // namespace roster::apitest

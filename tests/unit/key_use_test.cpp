// The per-process throttle that keeps `last_used_at` writes to about one a minute per key.
#include "api/key_use.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace roster::api {
namespace {

constexpr core::Timestamp kT = 1'700'000'000;

TEST(KeyUseThrottleTest, OncePerIntervalPerKey) {
  KeyUseThrottle throttle(60);
  EXPECT_TRUE(throttle.ShouldRecord("key_a", std::nullopt, kT));
  EXPECT_FALSE(throttle.ShouldRecord("key_a", std::nullopt, kT));
  EXPECT_FALSE(throttle.ShouldRecord("key_a", std::nullopt, kT + 59));
  EXPECT_TRUE(throttle.ShouldRecord("key_a", std::nullopt, kT + 60));
  EXPECT_FALSE(throttle.ShouldRecord("key_a", std::nullopt, kT + 61));
  // Keys are throttled independently.
  EXPECT_TRUE(throttle.ShouldRecord("key_b", std::nullopt, kT + 61));
}

TEST(KeyUseThrottleTest, ARecentStoredValueSuppressesTheWrite) {
  // Another process (or this one before a restart) recorded the use recently.
  KeyUseThrottle throttle(60);
  EXPECT_FALSE(throttle.ShouldRecord("key_a", kT - 30, kT));
  EXPECT_FALSE(throttle.ShouldRecord("key_a", kT + 5, kT));  // a clock ahead of ours
  EXPECT_TRUE(throttle.ShouldRecord("key_a", kT - 60, kT));
  EXPECT_FALSE(throttle.ShouldRecord("key_a", kT - 60, kT + 1));  // we just recorded it
}

TEST(KeyUseThrottleTest, ForgottenEntriesStillThrottleCorrectly) {
  KeyUseThrottle throttle(60);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(throttle.ShouldRecord("key_" + std::to_string(i), std::nullopt, kT));
  }
  // Much later every old entry is pruned; each key records again exactly once.
  EXPECT_TRUE(throttle.ShouldRecord("key_1", std::nullopt, kT + 600));
  EXPECT_FALSE(throttle.ShouldRecord("key_1", std::nullopt, kT + 601));
  EXPECT_TRUE(throttle.ShouldRecord("key_2", std::nullopt, kT + 601));
}

TEST(KeyUseThrottleTest, ConcurrentCallersElectOneWriter) {
  KeyUseThrottle throttle(60);
  std::atomic<int> writers{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j) {
        if (throttle.ShouldRecord("key_hot", std::nullopt, kT)) ++writers;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(writers.load(), 1);
}

}  // namespace
}  // namespace roster::api

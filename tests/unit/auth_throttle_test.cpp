// The failed-authentication throttle (api/auth_throttle.hpp) and the per-key token bucket
// (api/key_rate_limit.hpp), on injected clocks: nothing here depends on real time.
#include "api/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api/key_rate_limit.hpp"

namespace roster::api {
namespace {

constexpr core::Timestamp kT0 = 1'700'000'000;

TEST(AuthThrottleTest, BlocksAfterTheLimitUntilTheWindowEnds) {
  AuthFailureThrottle throttle({.max_failures = 3, .window_seconds = 60, .max_clients = 100});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.BlockedFor("10.0.0.1", kT0 + i), 0);
    EXPECT_EQ(throttle.RecordFailure("10.0.0.1", kT0 + i), 0) << i;
  }
  // The window started at the first failure: 60 - 10 seconds are left at kT0 + 10.
  EXPECT_EQ(throttle.BlockedFor("10.0.0.1", kT0 + 10), 50);
  EXPECT_EQ(throttle.RecordFailure("10.0.0.1", kT0 + 10), 50);
  // Another address is not affected.
  EXPECT_EQ(throttle.BlockedFor("10.0.0.2", kT0 + 10), 0);
  EXPECT_EQ(throttle.RecordFailure("10.0.0.2", kT0 + 10), 0);
  // The last second of the window still refuses; then a fresh window.
  EXPECT_EQ(throttle.BlockedFor("10.0.0.1", kT0 + 59), 1);
  EXPECT_EQ(throttle.BlockedFor("10.0.0.1", kT0 + 60), 0);
  EXPECT_EQ(throttle.RecordFailure("10.0.0.1", kT0 + 60), 0);
}

TEST(AuthThrottleTest, UnknownAndLoopbackPeersAndZeroLimitAreNeverThrottled) {
  AuthFailureThrottle throttle({.max_failures = 1, .window_seconds = 60, .max_clients = 100});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(throttle.RecordFailure("", kT0), 0);
  EXPECT_EQ(throttle.BlockedFor("", kT0), 0);
  for (const char* loopback : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    for (int i = 0; i < 5; ++i) EXPECT_EQ(throttle.RecordFailure(loopback, kT0), 0) << loopback;
    EXPECT_EQ(throttle.BlockedFor(loopback, kT0), 0) << loopback;
  }
  AuthFailureThrottle strict(
      {.max_failures = 1, .window_seconds = 60, .max_clients = 100, .exempt_loopback = false});
  EXPECT_EQ(strict.RecordFailure("127.0.0.1", kT0), 0);
  EXPECT_EQ(strict.RecordFailure("127.0.0.1", kT0), 60);
  AuthFailureThrottle off({.max_failures = 0, .window_seconds = 60, .max_clients = 100});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(off.RecordFailure("10.0.0.1", kT0), 0);
  EXPECT_FALSE(off.enabled());
}

TEST(AuthThrottleTest, ConcurrentFailuresAreCountedExactly) {
  constexpr int kLimit = 500;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  AuthFailureThrottle throttle({.max_failures = kLimit, .window_seconds = 60, .max_clients = 1000});
  std::atomic<int> answered_401{0};
  std::atomic<int> answered_429{0};
  std::atomic<int> other_401{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // As the router does: refused up front when blocked, else the failure is counted.
        if (throttle.BlockedFor("192.0.2.7", kT0) > 0 ||
            throttle.RecordFailure("192.0.2.7", kT0) > 0) {
          answered_429.fetch_add(1);
        } else {
          answered_401.fetch_add(1);
        }
        // Another client hammering at the same time, below its own limit.
        if (i % 10 == 0 && throttle.RecordFailure("198.51.100." + std::to_string(t), kT0) == 0) {
          other_401.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered_401.load(), kLimit);
  EXPECT_EQ(answered_429.load(), kThreads * kPerThread - kLimit);
  EXPECT_EQ(other_401.load(), kThreads * kPerThread / 10);
}

TEST(AuthThrottleTest, MemoryIsBoundedWhateverTheNumberOfAddresses) {
  AuthFailureThrottle throttle({.max_failures = 2, .window_seconds = 60, .max_clients = 64});
  for (int i = 0; i < 10'000; ++i) {
    throttle.RecordFailure("2001:db8::" + std::to_string(i), kT0);
    ASSERT_LE(throttle.tracked(), 64u);
  }
  // The newest addresses are still tracked (the oldest made room).
  throttle.RecordFailure("2001:db8::9999", kT0);
  EXPECT_EQ(throttle.BlockedFor("2001:db8::9999", kT0), 60);
  // Windows that are over are forgotten: the table empties.
  EXPECT_EQ(throttle.BlockedFor("2001:db8::9999", kT0 + 60), 0);
  EXPECT_EQ(throttle.tracked(), 0u);
}

TEST(KeyRateLimiterTest, OffByDefault) {
  KeyRateLimiter limiter;
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Take("key", 0), 0);
}

TEST(KeyRateLimiterTest, BurstThenRefillAtTheRate) {
  KeyRateLimiter limiter({.rate = 2, .burst = 3});  // a token every 500 ms, three at once
  std::int64_t now = 1'000'000;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("k1", now), 0) << i;
  EXPECT_EQ(limiter.Take("k1", now), 500);
  EXPECT_EQ(limiter.Take("k1", now + 200), 300);
  // Another key has its own bucket.
  EXPECT_EQ(limiter.Take("k2", now), 0);
  now += 500;
  EXPECT_EQ(limiter.Take("k1", now), 0);
  EXPECT_EQ(limiter.Take("k1", now), 500);
  // Idle for long: the bucket is full again, not fuller.
  now += 60'000;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("k1", now), 0) << i;
  EXPECT_GT(limiter.Take("k1", now), 0);
}

TEST(KeyRateLimiterTest, BurstDefaultsToTheRate) {
  KeyRateLimiter limiter({.rate = 5, .burst = 0});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Take("k", 0), 0);
  EXPECT_EQ(limiter.Take("k", 0), 200);
  KeyRateLimiter slow({.rate = 0.5, .burst = 0});  // burst at least one request
  EXPECT_EQ(slow.Take("k", 0), 0);
  EXPECT_EQ(slow.Take("k", 0), 2000);
}

TEST(KeyRateLimiterTest, ConcurrentTakesGrantExactlyTheBurst) {
  KeyRateLimiter limiter({.rate = 1, .burst = 100});
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.Take("shared", 42) == 0) granted.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 100);
}

}  // namespace
}  // namespace roster::api

// Per-key rate limiting (issue 6): a token bucket per admin key — `burst` requests at once,
// refilled at `rate` per second. Off unless configured (`roster serve --rate-limit-rps`). A request
// that finds the bucket empty is answered 429 (type `requests`, code `rate_limit_exceeded`) with
// `retry-after-ms` = the time until the next token and `retry-after` that rounded up to seconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace roster::api {

struct RateLimitOptions {
  double rate = 0;   // tokens per second per key; 0: no rate limit
  double burst = 0;  // bucket size; 0: max(1, rate)
};

class KeyRateLimiter {
 public:
  explicit KeyRateLimiter(RateLimitOptions options = {});
  KeyRateLimiter(const KeyRateLimiter&) = delete;
  KeyRateLimiter& operator=(const KeyRateLimiter&) = delete;

  bool enabled() const noexcept { return rate_ > 0; }
  // Takes a token of `key_id` at `now_ms` (any monotonic millisecond clock): 0 when granted, else
  // the milliseconds until one is available (≥ 1). Thread-safe.
  std::int64_t Take(std::string_view key_id, std::int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
  };

  // Drops buckets that have refilled completely (the same as no bucket), at most once per the
  // time a bucket takes to refill, so the map holds only keys used recently.
  void Prune(std::int64_t now_ms);

  const double rate_;
  const double burst_;
  const std::int64_t refill_ms_;  // an empty bucket's time to become full
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::int64_t last_prune_ms_ = 0;
};

}  // namespace roster::api

// Token buckets per admin key.
#include "api/key_rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace roster::api {

KeyRateLimiter::KeyRateLimiter(RateLimitOptions options)
    : rate_(std::max(0.0, options.rate)),
      burst_(options.burst > 0 ? std::max(1.0, options.burst) : std::max(1.0, options.rate)),
      refill_ms_(rate_ > 0 ? static_cast<std::int64_t>(std::ceil(burst_ * 1000.0 / rate_)) : 0) {}

std::int64_t KeyRateLimiter::Take(std::string_view key_id, std::int64_t now_ms) {
  if (!enabled()) return 0;
  std::lock_guard lock(mutex_);
  Prune(now_ms);
  auto [it, inserted] = buckets_.try_emplace(std::string(key_id), Bucket{burst_, now_ms});
  Bucket& bucket = it->second;
  if (!inserted && now_ms > bucket.updated_ms) {
    bucket.tokens = std::min(
        burst_, bucket.tokens + static_cast<double>(now_ms - bucket.updated_ms) * rate_ / 1000.0);
    bucket.updated_ms = now_ms;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  const double wait_ms = (1.0 - bucket.tokens) * 1000.0 / rate_;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait_ms)));
}

void KeyRateLimiter::Prune(std::int64_t now_ms) {
  if (now_ms - last_prune_ms_ < std::max<std::int64_t>(refill_ms_, 1000)) return;
  last_prune_ms_ = now_ms;
  std::erase_if(buckets_,
                [&](const auto& entry) { return now_ms - entry.second.updated_ms >= refill_ms_; });
}

}  // namespace roster::api

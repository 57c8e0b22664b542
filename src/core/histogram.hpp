// A lock-free latency histogram with fixed buckets (Prometheus style: cumulative on output, one
// atomic per bucket on input). Recording is a few relaxed atomic adds and no allocation.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace roster::core {

class LatencyHistogram {
 public:
  // Upper bounds of the buckets in microseconds (the `le` labels, in seconds, on output); a last,
  // implicit bucket is +Inf.
  static constexpr std::array<std::uint64_t, 14> kBoundsMicros = {
      500,     1'000,   2'500,   5'000,     10'000,    25'000,    50'000,
      100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};
  static constexpr std::size_t kBuckets = kBoundsMicros.size() + 1;

  void Record(std::chrono::nanoseconds elapsed) noexcept {
    const auto count = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
    const std::uint64_t micros = count < 0 ? 0 : static_cast<std::uint64_t>(count);
    std::size_t bucket = 0;
    while (bucket < kBoundsMicros.size() && micros > kBoundsMicros[bucket]) ++bucket;
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(micros, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
  }

  // Observations in bucket `i` alone (not cumulative).
  std::uint64_t Bucket(std::size_t i) const noexcept {
    return buckets_[i].load(std::memory_order_relaxed);
  }
  std::uint64_t Count() const noexcept { return count_.load(std::memory_order_relaxed); }
  std::uint64_t SumMicros() const noexcept { return sum_micros_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sum_micros_{0};
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace roster::core

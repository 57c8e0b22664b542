// A storage::Store decorator that times every operation into a latency histogram per operation
// (exported by GET /metrics as roster_store_operation_duration_seconds). Recording is lock-free.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <utility>

#include "core/histogram.hpp"
#include "storage/forwarding_store.hpp"

namespace roster::storage {

class MeteredStore final : public ForwardingStore<MeteredStore> {
 public:
  explicit MeteredStore(Store& inner) : ForwardingStore(inner) {}

  // Whether `op` is timed. Not: the authentication version read on every authenticated request
  // (one primary-key read, api/auth_cache.hpp), nor the offline commands and the startup
  // bootstrap, which are not requests.
  static constexpr bool IsMetered(StoreOp op) {
    return op != StoreOp::kAuthGeneration && op != StoreOp::kCreateOrganizationWithOwner &&
           op != StoreOp::kExportAll && op != StoreOp::kImportAll;
  }
  const core::LatencyHistogram& Histogram(StoreOp op) const {
    return histograms_[static_cast<std::size_t>(op)];
  }

 private:
  friend class ForwardingStore<MeteredStore>;

  // Runs `call` and records its duration, whether it returns or throws.
  template <typename F>
  decltype(auto) Around(StoreOp op, F&& call) {
    if (!IsMetered(op)) return std::forward<F>(call)();
    struct Timer {
      core::LatencyHistogram& histogram;
      std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
      ~Timer() { histogram.Record(std::chrono::steady_clock::now() - start); }
    } timer{histograms_[static_cast<std::size_t>(op)]};
    return std::forward<F>(call)();
  }

  std::array<core::LatencyHistogram, kStoreOpCount> histograms_{};
};

}  // namespace roster::storage

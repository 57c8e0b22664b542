// A storage::Store decorator for fault-injection tests: it fails the n-th store call from the
// moment it is armed with a storage error (core::Error kUnavailable, as a store reports a busy,
// full or failing database), before the call reaches the inner store. Looping n over a request
// shows whether every failure point leaves a clean error and no partial state
// (tests/api/fault_injection_test.cpp).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "storage/forwarding_store.hpp"

namespace roster::storage {

class FaultInjectingStore final : public ForwardingStore<FaultInjectingStore> {
 public:
  // The message of an injected failure (its detail names the failed call).
  static constexpr std::string_view kInjectedMessage =
      "The database is temporarily unavailable (injected fault). Please retry.";

  explicit FaultInjectingStore(Store& inner) : ForwardingStore(inner) {}

  // Restarts the call count and fails call number `n` (1-based) from now on; 0 fails nothing.
  // Thread-safe.
  void FailNthCall(std::uint64_t n) {
    const std::lock_guard<std::mutex> lock(mutex_);
    fail_at_ = n;
    calls_ = 0;
    failed_call_.clear();
  }
  // Calls since the last FailNthCall.
  std::uint64_t calls() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  // The operation the armed fault failed, or empty when it has not fired (yet).
  std::string failed_call() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return failed_call_;
  }

 private:
  friend class ForwardingStore<FaultInjectingStore>;

  // Counts the call and throws when it is the one to fail; else runs it on the inner store.
  template <typename F>
  decltype(auto) Around(StoreOp op, F&& call) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      ++calls_;
      if (calls_ == fail_at_) {
        failed_call_ = std::string(kStoreOpNames[static_cast<std::size_t>(op)]);
        throw core::Error(
            core::ErrorKind::kUnavailable, std::string(kInjectedMessage), std::nullopt,
            std::nullopt,
            "fault injected into store call " + std::to_string(calls_) + " (" + failed_call_ + ")");
      }
    }
    return std::forward<F>(call)();
  }

  mutable std::mutex mutex_;
  std::uint64_t fail_at_ = 0;
  std::uint64_t calls_ = 0;
  std::string failed_call_;
};

}  // namespace roster::storage

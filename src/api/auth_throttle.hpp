// Throttling of repeated failed authentication from one client (issue 6): after `max_failures`
// unknown, revoked or expired keys from one peer address within `window_seconds`, every
// authenticated request from that address is answered 429 (`retry-after`: the rest of the window)
// without looking at the key, so guessing cannot go on. Other addresses are unaffected.
//
// Exact under concurrency: a failure is counted and judged under one lock, so of any number of
// concurrent failures exactly `max_failures` per window are answered 401. Bounded memory: at most
// `max_clients` addresses are tracked; beyond that the address whose window started first is
// forgotten (an attacker with that many addresses has that many budgets anyway). With no failure
// on record the check is one atomic load.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model.hpp"

namespace roster::api {

struct AuthThrottleOptions {
  int max_failures = 50;                // failures allowed per window (0: throttling off)
  core::Timestamp window_seconds = 60;  // the window starts at an address's first failure
  std::size_t max_clients = 100'000;    // addresses tracked at most
  // Loopback clients (127.0.0.0/8, ::1) are not throttled: behind a reverse proxy on the same
  // host every client is the proxy, and one misbehaving client must not lock out all the others
  // (throttle at the proxy then); local tools and tests share the address too.
  bool exempt_loopback = true;
};

class AuthFailureThrottle {
 public:
  explicit AuthFailureThrottle(AuthThrottleOptions options = {}) : options_(options) {}
  AuthFailureThrottle(const AuthFailureThrottle&) = delete;
  AuthFailureThrottle& operator=(const AuthFailureThrottle&) = delete;

  bool enabled() const noexcept { return options_.max_failures > 0; }
  // Seconds until `peer` may authenticate again (≥ 1), or 0 when it may now. Thread-safe.
  core::Timestamp BlockedFor(std::string_view peer, core::Timestamp now);
  // Counts one failed authentication from `peer`: 0 when it is within the budget (answer the
  // failure as usual), else the seconds to wait (answer 429). Thread-safe.
  core::Timestamp RecordFailure(std::string_view peer, core::Timestamp now);

  std::size_t tracked() const noexcept { return size_.load(); }

 private:
  struct Client {
    std::string peer;
    core::Timestamp window_start = 0;
    int failures = 0;
  };
  using Order = std::list<Client>;  // by window start, oldest first

  core::Timestamp Remaining(const Client& client, core::Timestamp now) const;
  bool Exempt(std::string_view peer) const noexcept;

  const AuthThrottleOptions options_;
  std::mutex mutex_;
  Order order_;
  std::unordered_map<std::string_view, Order::iterator> clients_;  // views into order_
  std::atomic<std::size_t> size_{0};
};

}  // namespace roster::api

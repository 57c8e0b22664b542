// The router: matches a request to a route, authenticates it, runs the handler and maps every
// error to the OpenAI envelope. The one place where exceptions are caught.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/auth_cache.hpp"
#include "api/auth_throttle.hpp"
#include "api/key_rate_limit.hpp"
#include "api/metrics.hpp"
#include "api/request.hpp"
#include "api/request_log.hpp"
#include "api/test_controls.hpp"
#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::api {

struct RouterOptions {
  // Accept permission strings outside the catalogue (CONTRACT N-11), e.g. for SDK examples.
  bool accept_unknown_permissions = false;
  // How long a new invite stays pending (CONTRACT N-16: 7 days); `roster serve --invite-ttl-days`.
  core::Timestamp invite_ttl_seconds = 7 * 24 * 3600;
  // Receives one record per request, answered or refused (api/request_log.hpp: request id,
  // method, route template, status, duration, organization and key id, error code and internal
  // detail; never a secret). Called concurrently; must be thread-safe. When unset, 5xx records
  // go to stderr as text lines and the rest are dropped.
  std::function<void(const RequestLogRecord& record)> log;
  // Counts every request (GET /metrics serves it); null: no metrics, /metrics answers 404.
  Metrics* metrics = nullptr;
  // The stand-in mode's test controls; null: the /roster/test/ routes answer 404.
  TestControls* test_controls = nullptr;
  // Repeated failed authentication from one address → 429 (api/auth_throttle.hpp).
  AuthThrottleOptions auth_throttle{};
  // Per-key token bucket (api/key_rate_limit.hpp); off by default.
  RateLimitOptions rate_limit{};
  // Monotonic milliseconds for the rate limiter; null: std::chrono::steady_clock. Tests set it.
  std::function<std::int64_t()> milliseconds;
  // Where the coarse `last_used_at` write (a durable store write, once a minute per key) runs;
  // null: inline, in the request. `roster serve` hands it to a background thread when reads are
  // answered on IO threads, which must never wait for a commit.
  std::function<void(std::function<void()> task)> defer_key_use;
};

class Router {
 public:
  Router(storage::Store& store, const core::Clock& clock, RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Handles one request. Never throws; every response carries `x-request-id` and a JSON body.
  // Thread-safe: called concurrently from worker threads.
  Response Handle(const Request& request) noexcept;

  // True when handling `request` cannot wait on a write: a GET whose key is unknown to the
  // authentication cache (a refusal) or whose use needs no recording now (`last_used_at` was
  // written within the minute). `roster serve` answers such requests on the IO thread (the first
  // request of a key each minute goes to the worker pool, which records the use). Thread-safe.
  bool IsReadOnly(const Request& request) const noexcept;

  // Authentication cache counters (tests, profiling).
  AuthCache::Stats auth_cache_stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::api

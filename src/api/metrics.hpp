// Prometheus metrics of one server (GET /metrics, text exposition format 0.0.4): requests by
// route template, method and status; a latency histogram per route; store operation latencies
// (storage::MeteredStore); open connections (from transport); build info. Recording a request is
// a few relaxed atomic adds into fixed arrays sized by the routes table: no lock, no allocation.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/routes.hpp"
#include "core/histogram.hpp"
#include "storage/metered_store.hpp"

namespace roster::api {

// The content type of the text exposition format.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class Metrics {
 public:
  explicit Metrics(std::string version);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Counts one answered request. `route` is the matched route (nullptr when none matched; the
  // series then has route="unmatched" and the request's method, or "other"). Thread-safe.
  void RecordRequest(const Route* route, std::string_view method, int status,
                     std::chrono::nanoseconds elapsed) noexcept;

  // Wiring, before the server starts (not thread-safe against Render):
  // the store whose operation latencies are exported;
  void SetStore(const storage::MeteredStore* store) { store_ = store; }
  // the gauge of open client connections.
  void SetOpenConnections(std::function<std::size_t()> gauge) {
    open_connections_ = std::move(gauge);
  }

  // The whole exposition. Thread-safe.
  std::string Render() const;

 private:
  struct Series;
  std::unique_ptr<Series> series_;
  std::string version_;
  const storage::MeteredStore* store_ = nullptr;
  std::function<std::size_t()> open_connections_;
};

}  // namespace roster::api

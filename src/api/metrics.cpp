// Recording and rendering of the Prometheus metrics.
#include "api/metrics.hpp"

#include <vector>

namespace roster::api {
namespace {

// Methods of the unmatched series; anything else is "other".
constexpr std::array<std::string_view, 8> kMethods = {"GET",   "POST", "DELETE",  "PUT",
                                                      "PATCH", "HEAD", "OPTIONS", "other"};
constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;
constexpr std::size_t kStatusSlots = kMaxStatus - kMinStatus + 1;

std::size_t MethodSlot(std::string_view method) noexcept {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == method) return i;
  }
  return kMethods.size() - 1;
}

// Label values are route templates, method names and operation names: no quotes, backslashes or
// newlines can occur, but escape anyway as the format requires.
void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

std::string Seconds(std::uint64_t micros) {
  std::string text = std::to_string(micros / 1'000'000);
  std::string fraction = std::to_string(micros % 1'000'000);
  text += '.';
  text += std::string(6 - fraction.size(), '0') + fraction;
  return text;
}

// Appends the `_bucket`, `_sum` and `_count` lines of `histogram` under `name` with `labels`
// (already rendered, without braces; non-empty).
void AppendHistogram(std::string& out, std::string_view name, const std::string& labels,
                     const core::LatencyHistogram& histogram) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < core::LatencyHistogram::kBuckets; ++i) {
    cumulative += histogram.Bucket(i);
    out += name;
    out += "_bucket{";
    out += labels;
    out += ",le=\"";
    out += i < core::LatencyHistogram::kBoundsMicros.size()
               ? Seconds(core::LatencyHistogram::kBoundsMicros[i])
               : std::string("+Inf");
    out += "\"} ";
    out += std::to_string(cumulative);
    out += '\n';
  }
  out += name;
  out += "_sum{" + labels + "} " + Seconds(histogram.SumMicros()) + '\n';
  // The count is the +Inf bucket, so the two always agree even while requests are recorded.
  out += name;
  out += "_count{" + labels + "} " + std::to_string(cumulative) + '\n';
}

}  // namespace

// One slot per route of the table plus the unmatched series (per method).
struct Metrics::Series {
  using StatusCounters = std::array<std::atomic<std::uint64_t>, kStatusSlots>;
  explicit Series(std::size_t routes) : by_route(routes), latency_by_route(routes) {}
  std::vector<StatusCounters> by_route;
  std::array<StatusCounters, kMethods.size()> unmatched{};
  std::vector<core::LatencyHistogram> latency_by_route;
  core::LatencyHistogram unmatched_latency;
};

Metrics::Metrics(std::string version)
    : series_(std::make_unique<Series>(Routes().size())), version_(std::move(version)) {}

Metrics::~Metrics() = default;

void Metrics::RecordRequest(const Route* route, std::string_view method, int status,
                            std::chrono::nanoseconds elapsed) noexcept {
  if (status < kMinStatus || status > kMaxStatus) status = 500;
  const auto slot = static_cast<std::size_t>(status - kMinStatus);
  if (route == nullptr) {
    series_->unmatched[MethodSlot(method)][slot].fetch_add(1, std::memory_order_relaxed);
    series_->unmatched_latency.Record(elapsed);
    return;
  }
  const auto index = static_cast<std::size_t>(route - Routes().data());
  series_->by_route[index][slot].fetch_add(1, std::memory_order_relaxed);
  series_->latency_by_route[index].Record(elapsed);
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(64 * 1024);
  const std::span<const Route> routes = Routes();

  out += "# HELP roster_build_info Build of this Roster server.\n";
  out += "# TYPE roster_build_info gauge\n";
  out += "roster_build_info{version=\"";
  AppendLabelValue(out, version_);
  out += "\"} 1\n";

  out +=
      "# HELP roster_http_requests_total Requests answered, by route template, method and "
      "status.\n";
  out += "# TYPE roster_http_requests_total counter\n";
  const auto append_counters = [&out](std::string_view route, std::string_view method,
                                      const Series::StatusCounters& counters) {
    for (std::size_t slot = 0; slot < kStatusSlots; ++slot) {
      const std::uint64_t value = counters[slot].load(std::memory_order_relaxed);
      if (value == 0) continue;
      out += "roster_http_requests_total{route=\"";
      AppendLabelValue(out, route);
      out += "\",method=\"";
      AppendLabelValue(out, method);
      out += "\",status=\"" + std::to_string(slot + kMinStatus) + "\"} ";
      out += std::to_string(value);
      out += '\n';
    }
  };
  for (std::size_t i = 0; i < routes.size(); ++i) {
    append_counters(routes[i].pattern, routes[i].method, series_->by_route[i]);
  }
  for (std::size_t m = 0; m < kMethods.size(); ++m) {
    append_counters("unmatched", kMethods[m], series_->unmatched[m]);
  }

  out +=
      "# HELP roster_http_request_duration_seconds Time from routing to response, by route "
      "template.\n";
  out += "# TYPE roster_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < routes.size(); ++i) {
    std::string labels = "route=\"";
    AppendLabelValue(labels, routes[i].pattern);
    labels += "\",method=\"";
    AppendLabelValue(labels, routes[i].method);
    labels += '"';
    AppendHistogram(out, "roster_http_request_duration_seconds", labels,
                    series_->latency_by_route[i]);
  }
  AppendHistogram(out, "roster_http_request_duration_seconds", "route=\"unmatched\",method=\"any\"",
                  series_->unmatched_latency);

  if (store_ != nullptr) {
    out +=
        "# HELP roster_store_operation_duration_seconds Time of each store operation (one "
        "transaction), by operation.\n";
    out += "# TYPE roster_store_operation_duration_seconds histogram\n";
    for (std::size_t i = 0; i < storage::kStoreOpCount; ++i) {
      const auto op = static_cast<storage::StoreOp>(i);
      if (!storage::MeteredStore::IsMetered(op)) continue;
      std::string labels = "operation=\"";
      AppendLabelValue(labels, storage::kStoreOpNames[i]);
      labels += '"';
      AppendHistogram(out, "roster_store_operation_duration_seconds", labels,
                      store_->Histogram(op));
    }
  }

  if (open_connections_) {
    out += "# HELP roster_open_connections Client connections open now.\n";
    out += "# TYPE roster_open_connections gauge\n";
    out += "roster_open_connections " + std::to_string(open_connections_()) + '\n';
  }
  return out;
}

}  // namespace roster::api

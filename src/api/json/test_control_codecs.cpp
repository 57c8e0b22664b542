// Decoders and encoders of the operations and test-control routes.
#include "api/json/test_control_codecs.hpp"

#include <algorithm>
#include <cstdint>

#include "api/json/body_parser.hpp"
#include "api/routes.hpp"
#include "core/error.hpp"

namespace roster::api::json {
namespace {

constexpr std::int64_t kMaxStallMs = 60'000;
constexpr std::int64_t kMaxRetryAfterMs = 60'000;
constexpr std::int64_t kMaxCount = 1'000'000;

std::optional<std::int64_t> OptionalInteger(const Json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (!it->is_number_integer()) {
    throw core::InvalidType(field, "Invalid type for '" + std::string(field) +
                                       "': expected an integer, but got " + DescribeType(*it) +
                                       " instead.");
  }
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    // get<std::int64_t>() would wrap it to a negative number, in the message too.
    throw core::InvalidValue(
        field, "Invalid '" + std::string(field) + "': " + it->dump() + " is out of range.");
  }
  return it->get<std::int64_t>();
}

std::int64_t InRange(std::int64_t value, const char* field, std::int64_t low, std::int64_t high) {
  if (value < low || value > high) {
    throw core::InvalidValue(field, "Invalid '" + std::string(field) + "': expected " +
                                        std::to_string(low) + " to " + std::to_string(high) +
                                        ", but got " + std::to_string(value) + " instead.");
  }
  return value;
}

std::string RequiredString(const Json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end()) throw core::MissingParameter(field);
  if (!it->is_string()) {
    throw core::InvalidType(field, "Invalid type for '" + std::string(field) +
                                       "': expected a string, but got " + DescribeType(*it) +
                                       " instead.");
  }
  return it->get<std::string>();
}

}  // namespace

std::string EncodeHealth(std::string_view status) { return Dump(Json{{"status", status}}); }

ClockChange DecodeClockChange(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"now", "advance_seconds", "real"});
  if (body.size() != 1) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Give exactly one of 'now', 'advance_seconds' or 'real'.", std::nullopt,
                      std::string(core::codes::kInvalidValue));
  }
  ClockChange change;
  change.now = OptionalInteger(body, "now");
  change.advance_seconds = OptionalInteger(body, "advance_seconds");
  if (const auto it = body.find("real"); it != body.end()) {
    if (!it->is_boolean() || !it->get<bool>()) {
      throw core::InvalidValue("real", "Invalid 'real': the only accepted value is true.");
    }
    change.real = true;
  }
  if (change.now) InRange(*change.now, "now", 0, 253'402'300'799);  // up to year 9999
  if (change.advance_seconds) {
    InRange(*change.advance_seconds, "advance_seconds", -100LL * 365 * 24 * 3600,
            100LL * 365 * 24 * 3600);
  }
  return change;
}

std::string EncodeClock(core::Timestamp now, bool frozen) {
  return Dump(Json{{"object", "roster.test.clock"}, {"now", now}, {"frozen", frozen}});
}

Fault DecodeFault(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"method", "route", "status", "stall_ms", "retry_after_ms", "count"});
  Fault fault;
  fault.method = RequiredString(body, "method");
  fault.route = RequiredString(body, "route");
  const bool known = std::any_of(Routes().begin(), Routes().end(), [&fault](const Route& route) {
    return route.method == fault.method && route.pattern == fault.route;
  });
  if (!known || fault.route.starts_with("/roster/test/")) {
    throw core::InvalidValue("route", "Invalid 'route': '" + fault.method + " " + fault.route +
                                          "' is not a route template this server serves.");
  }
  const auto status = OptionalInteger(body, "status");
  const auto stall = OptionalInteger(body, "stall_ms");
  const auto retry_after = OptionalInteger(body, "retry_after_ms");
  if (status.has_value() == stall.has_value()) {
    throw core::InvalidValue(status ? "stall_ms" : "status",
                             "Give exactly one of 'status' (429, 500 or 503) or 'stall_ms'.");
  }
  if (status) {
    if (*status != 429 && *status != 500 && *status != 503) {
      throw core::InvalidValue("status", "Invalid 'status': expected 429, 500 or 503, but got " +
                                             std::to_string(*status) + " instead.");
    }
    fault.kind = Fault::Kind::kError;
    fault.status = static_cast<int>(*status);
    if (retry_after) {
      if (fault.status == 500) {
        throw core::InvalidValue("retry_after_ms",
                                 "Invalid 'retry_after_ms': only 429 and 503 carry a retry hint.");
      }
      fault.retry_after_ms = InRange(*retry_after, "retry_after_ms", 1, kMaxRetryAfterMs);
    }
  } else {
    if (retry_after) {
      throw core::InvalidValue("retry_after_ms",
                               "Invalid 'retry_after_ms': only 429 and 503 carry a retry hint.");
    }
    fault.kind = Fault::Kind::kStall;
    fault.status = 0;
    fault.stall_ms = InRange(*stall, "stall_ms", 1, kMaxStallMs);
  }
  fault.remaining = InRange(OptionalInteger(body, "count").value_or(1), "count", 1, kMaxCount);
  return fault;
}

std::string EncodeFaults(const std::vector<Fault>& faults) {
  Json data = Json::array();
  for (const Fault& fault : faults) {
    Json item{{"object", "roster.test.fault"},
              {"method", fault.method},
              {"route", fault.route},
              {"remaining", fault.remaining}};
    if (fault.kind == Fault::Kind::kStall) {
      item["stall_ms"] = fault.stall_ms;
    } else {
      item["status"] = fault.status;
      item["retry_after_ms"] =
          fault.retry_after_ms == 0 ? Json(nullptr) : Json(fault.retry_after_ms);
    }
    data.push_back(std::move(item));
  }
  return Dump(Json{{"object", "list"}, {"data", std::move(data)}});
}

std::string EncodeSnapshotAction(std::string_view name, std::string_view action) {
  return Dump(Json{{"object", "roster.test.snapshot"}, {"name", name}, {"action", action}});
}

}  // namespace roster::api::json

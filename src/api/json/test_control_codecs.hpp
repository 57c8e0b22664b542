// Bodies of Roster's own operations routes: health answers, and the stand-in mode's test controls
// (POST /roster/test/clock, /roster/test/faults). Decoding is strict as everywhere (400 naming
// the field).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.hpp"
#include "api/test_controls.hpp"
#include "core/model.hpp"

namespace roster::api::json {

// `{"status": STATUS}` (GET /healthz, /readyz).
std::string EncodeHealth(std::string_view status);

// A change of the test clock: exactly one of `now` (freeze at this Unix time), `advance_seconds`
// (move by this many seconds) or `real: true` (back to the system clock).
struct ClockChange {
  std::optional<core::Timestamp> now;
  std::optional<core::Timestamp> advance_seconds;
  bool real = false;
};
ClockChange DecodeClockChange(const Request& request);
// `{"object":"roster.test.clock","now":T,"frozen":B}`.
std::string EncodeClock(core::Timestamp now, bool frozen);

// POST /roster/test/faults: `method` and `route` (a route of the table, outside /roster/test/),
// then either `status` (429, 500 or 503; with `retry_after_ms` for 429/503) or `stall_ms`
// (1–60000), and `count` (default 1).
Fault DecodeFault(const Request& request);
// `{"object":"list","data":[{"object":"roster.test.fault",…}]}`.
std::string EncodeFaults(const std::vector<Fault>& faults);

// `{"object":"roster.test.snapshot","name":NAME,"action":ACTION}` (saved / restored / reset).
std::string EncodeSnapshotAction(std::string_view name, std::string_view action);

}  // namespace roster::api::json

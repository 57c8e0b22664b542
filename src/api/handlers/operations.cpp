// Roster's operations routes (keyless, outside the OpenAI API): GET /healthz, /readyz and
// /metrics, and the stand-in mode's test controls under /roster/test/ (404 unless enabled).
#include <algorithm>
#include <cctype>

#include "api/handlers/handlers.hpp"
#include "api/json/openapi_document.hpp"
#include "api/json/test_control_codecs.hpp"
#include "api/metrics.hpp"
#include "api/test_controls.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {
namespace {

constexpr std::size_t kMaxSnapshotName = 64;

// The answer to a route that is switched off: the same 404 as a URL that does not exist.
core::Error SwitchedOff(const Context& context) {
  return core::NotFound("Invalid URL (" + context.request.method + " " + context.request.path +
                        ")");
}

TestControls& Controls(const Context& context) {
  if (context.test_controls == nullptr) throw SwitchedOff(context);
  return *context.test_controls;
}

// Snapshot names: 1–64 of [A-Za-z0-9_.-], so they are safe in logs and URLs.
const std::string& SnapshotName(const Context& context) {
  const std::string& name = context.params.at(0);
  const bool valid =
      !name.empty() && name.size() <= kMaxSnapshotName &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
      });
  if (!valid) {
    throw core::InvalidValue("name",
                             "Invalid snapshot name: expected 1 to 64 letters, digits, "
                             "'_', '-' or '.'.");
  }
  return name;
}

}  // namespace

std::string Healthz(const Context&) { return json::EncodeHealth("ok"); }

std::string Readyz(const Context& context) {
  try {
    // One indexed read that finds nothing: the store is open and answering.
    (void)context.store.GetOrganization("org-readiness-probe");
  } catch (const core::Error& error) {
    throw core::Error(core::ErrorKind::kUnavailable, "The store is not answering.", std::nullopt,
                      std::nullopt, error.message() + " " + error.detail());
  } catch (const std::exception& error) {
    throw core::Error(core::ErrorKind::kUnavailable, "The store is not answering.", std::nullopt,
                      std::nullopt, error.what());
  }
  return json::EncodeHealth("ready");
}

std::string RetrieveOpenApi(const Context&) { return json::OpenApiDocument(); }

Response ServeMetrics(const Context& context) {
  if (context.metrics == nullptr) throw SwitchedOff(context);
  Response response;
  response.body = context.metrics->Render();
  response.content_type = std::string(kPrometheusContentType);
  return response;
}

std::string ResetState(const Context& context) {
  TestControls& controls = Controls(context);
  controls.state.Reset();
  controls.faults.Clear();
  return json::EncodeSnapshotAction("initial", "reset");
}

std::string SaveSnapshot(const Context& context) {
  TestControls& controls = Controls(context);
  const std::string& name = SnapshotName(context);
  controls.state.SaveSnapshot(name);
  return json::EncodeSnapshotAction(name, "saved");
}

std::string RestoreSnapshot(const Context& context) {
  TestControls& controls = Controls(context);
  const std::string& name = SnapshotName(context);
  if (!controls.state.RestoreSnapshot(name)) {
    throw core::NotFound("No snapshot named '" + name + "'.");
  }
  return json::EncodeSnapshotAction(name, "restored");
}

std::string GetTestClock(const Context& context) {
  TestControls& controls = Controls(context);
  return json::EncodeClock(controls.clock.Now(), controls.clock.frozen());
}

std::string SetTestClock(const Context& context) {
  TestControls& controls = Controls(context);
  const json::ClockChange change = json::DecodeClockChange(context.request);
  if (change.now) controls.clock.Freeze(*change.now);
  if (change.advance_seconds) controls.clock.Advance(*change.advance_seconds);
  if (change.real) controls.clock.Release();
  return json::EncodeClock(controls.clock.Now(), controls.clock.frozen());
}

std::string ListFaults(const Context& context) {
  return json::EncodeFaults(Controls(context).faults.List());
}

std::string AddFault(const Context& context) {
  TestControls& controls = Controls(context);
  controls.faults.Add(json::DecodeFault(context.request));
  return json::EncodeFaults(controls.faults.List());
}

std::string ClearFaults(const Context& context) {
  TestControls& controls = Controls(context);
  controls.faults.Clear();
  return json::EncodeFaults({});
}

}  // namespace roster::api::handlers

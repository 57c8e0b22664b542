// The stand-in mode's test controls (`roster serve --ephemeral --test-controls`): state reset and
// named snapshots, a settable clock and fault injection. The routes under /roster/test/ use them;
// without them (RouterOptions::test_controls null) those routes answer 404 as unknown URLs.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace roster::api {

struct Route;

// Whole-state operations, implemented by the app over its store (app/stand_in).
class StateControl {
 public:
  virtual ~StateControl() = default;
  // Back to the state the server started with (after bootstrap or --seed).
  virtual void Reset() = 0;
  // Saves the whole state under `name` (replacing a snapshot of that name).
  virtual void SaveSnapshot(const std::string& name) = 0;
  // Puts the state saved under `name` back; false when there is no such snapshot.
  virtual bool RestoreSnapshot(const std::string& name) = 0;
};

// What a route answers instead of (or before) its normal response, for the next `remaining` calls.
struct Fault {
  enum class Kind { kError, kStall };
  std::string method;  // "GET", …
  std::string route;   // a route template of the table, e.g. "/v1/organization/users"
  Kind kind = Kind::kError;
  int status = 429;                 // kError: 429, 500 or 503
  std::int64_t retry_after_ms = 0;  // kError 429/503: the retry-after hint (0 = the default)
  std::int64_t stall_ms = 0;        // kStall: delay before the normal response
  std::int64_t remaining = 1;       // calls still affected
};

// Faults armed per route. Take() is on every request's path: one relaxed atomic load when no
// fault is armed; a mutex only while some are. Thread-safe.
class FaultInjector {
 public:
  void Add(Fault fault);
  void Clear();
  std::vector<Fault> List() const;
  // The fault for this call of `route`, consuming one of its calls; nullopt when none is armed.
  std::optional<Fault> Take(const Route& route);

 private:
  mutable std::mutex mutex_;
  std::vector<Fault> faults_;
  std::atomic<bool> armed_{false};
};

struct TestControls {
  StateControl& state;
  core::SettableClock& clock;  // the clock of the router and the store
  FaultInjector faults{};
};

}  // namespace roster::api

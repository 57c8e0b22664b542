// Maps PostgreSQL failures to core::Error by SQLSTATE: the one place that decides what a driver
// failure means for this backend.
#pragma once

#include <stdexcept>
#include <string_view>

#include "core/error.hpp"

namespace roster::storage::postgres {

// What a unique_violation means for the statement that hit it (as in the SQLite backend). Only
// statements whose one user-reachable unique constraint is known say so; for every other
// statement a violation escaped the store's own checks and is a bug.
enum class UniqueMeaning {
  kBug,
  kRoleNameTaken,  // roles_live_name_uq: a live role of the organization has that name
};

// The public message of every kUnavailable error raised by this backend.
inline constexpr std::string_view kUnavailableMessage =
    "The database is temporarily unavailable, retry later.";
// The public message of every kInternal error raised by this backend.
inline constexpr std::string_view kInternalMessage =
    "The server had an error while processing your request.";

// Thrown (instead of a core::Error) for serialization_failure (40001) and deadlock_detected
// (40P01): the whole operation is safe to run again, and PostgresStore does so a bounded number
// of times before answering kUnavailable.
class RetryableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The error for a failed statement. `sqlstate` is empty when the server sent none (the
// connection broke); `connection_lost` says whether libpq marked the connection bad.
// By SQLSTATE only, never by message text:
// - 40001 / 40P01 → RetryableError (thrown, not returned);
// - class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now), 53xxx
//   (insufficient resources: too many connections, disk full), class 58 (system error: I/O
//   error, file missing), 25006 (read-only transaction: a standby or a read-only database),
//   55P03 (lock not available),
//   57014 (query canceled: statement timeout) and a lost connection → kUnavailable (503 with
//   retry-after);
// - 23505 unique_violation with `unique` kRoleNameTaken → 400 role_name_taken (param
//   role_name), as SQLite's backstop gives;
// - anything else → kInternal. `driver_message` and `context` go to detail() only.
core::Error MapError(std::string_view sqlstate, bool connection_lost,
                     std::string_view driver_message, std::string_view context,
                     UniqueMeaning unique = UniqueMeaning::kBug);

// kUnavailable for a connection that could not be opened (server down, refused, timeout).
core::Error ConnectFailed(std::string detail);

// A kInternal error for a failure the driver did not report (e.g. a stored value that does not
// parse); `detail` is logged only.
core::Error InternalError(std::string detail);

}  // namespace roster::storage::postgres

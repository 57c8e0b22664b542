// Maps SQLite result codes to core::Error: the one place that decides what a driver failure means.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace roster::storage::sqlite {

// What a UNIQUE violation means for the statement that hit it. Only statements whose one
// user-reachable unique constraint is known say so; for every other statement a violation
// escaped the store's own checks and is a bug.
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

// The error for an SQLite (extended) result code. Decided by code only, never by message text:
// busy / locked / I/O / full / read-only / cannot-open → kUnavailable (retry later); a UNIQUE
// violation with `unique` kRoleNameTaken → 400 role_name_taken (param role_name); anything else
// → kInternal. `driver_message` and `context` (the SQL or operation) go to detail() only.
core::Error MapError(int extended_code, std::string_view driver_message, std::string_view context,
                     UniqueMeaning unique = UniqueMeaning::kBug);

// A kInternal error for a failure the driver did not report (e.g. a stored value that does not
// parse); `detail` is logged only.
core::Error InternalError(std::string detail);

}  // namespace roster::storage::sqlite

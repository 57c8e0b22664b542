// Prefixed, time-ordered identifiers (NOTES N-22): prefix + 24 characters of lowercase base36,
// of which the first 9 encode the creation time in milliseconds and the next 4 a per-process
// counter, so ids made later sort later (byte order, any collation) and keyset cursors are stable.
#pragma once

#include <string>
#include <string_view>

namespace roster::core {

namespace id_prefix {
inline constexpr std::string_view kUser = "user-";
inline constexpr std::string_view kRole = "role_";
inline constexpr std::string_view kOrganization = "org-";
inline constexpr std::string_view kProject = "proj_";
inline constexpr std::string_view kAdminKey = "key_";
inline constexpr std::string_view kInvite = "invite-";
inline constexpr std::string_view kGroup = "group_";
inline constexpr std::string_view kAuditLog = "audit_log-";
}  // namespace id_prefix

// A new id with the given prefix. Thread-safe.
std::string NewId(std::string_view prefix);

// Fixture loading (`roster serve --seed`): while alive, the next NewId(prefix) on this thread
// returns `id` instead of a generated one. One pending id per thread; not for request paths.
class ScopedNextId {
 public:
  ScopedNextId(std::string_view prefix, std::string id);
  ~ScopedNextId();
  ScopedNextId(const ScopedNextId&) = delete;
  ScopedNextId& operator=(const ScopedNextId&) = delete;
};

// A new request id: `req_` + 32 lowercase hex digits. Thread-safe.
std::string NewRequestId();

// True when `id` has the prefix and a well-formed 24-character suffix.
bool IsWellFormedId(std::string_view id, std::string_view prefix) noexcept;

}  // namespace roster::core

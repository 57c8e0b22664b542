// The one error taxonomy of Roster: every refusal is a core::Error with a kind, a public message,
// the OpenAI `param` and `code`, and an internal detail that is logged but never sent.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace roster::core {

// What went wrong, independent of transport. The HTTP status and the OpenAI `type` of each kind
// live in one table (StatusOf / TypeOf in error.cpp).
enum class ErrorKind {
  kInvalidRequest,    // 400 invalid_request_error: validation and business-rule refusals
  kUnauthenticated,   // 401 invalid_request_error: missing / unknown / revoked key
  kPermissionDenied,  // 403 invalid_request_error: authenticated but forbidden by policy
  kNotFound,          // 404 invalid_request_error (also unknown routes)
  kPayloadTooLarge,   // 413 invalid_request_error
  kUriTooLong,        // 414 invalid_request_error: request target beyond the URL limit
  kRateLimited,       // 429 requests
  kHeadersTooLarge,   // 431 invalid_request_error
  kInternal,          // 500 server_error
  kUnavailable,       // 503 server_error: store down / busy beyond retry; sends retry-after
};

// Well-known `code` values (CONTRACT §3.4, NOTES N-4). Free-form codes are allowed too.
namespace codes {
inline constexpr std::string_view kMissingRequiredParameter = "missing_required_parameter";
inline constexpr std::string_view kInvalidType = "invalid_type";
inline constexpr std::string_view kInvalidValue = "invalid_value";
inline constexpr std::string_view kUnknownParameter = "unknown_parameter";
inline constexpr std::string_view kIntegerBelowMin = "integer_below_min_value";
inline constexpr std::string_view kIntegerAboveMax = "integer_above_max_value";
inline constexpr std::string_view kInvalidApiKey = "invalid_api_key";
inline constexpr std::string_view kMismatchedOrganization = "mismatched_organization";
inline constexpr std::string_view kInsufficientPermissions = "insufficient_permissions";
inline constexpr std::string_view kLastOwner = "last_owner";
inline constexpr std::string_view kPredefinedRoleImmutable = "predefined_role_immutable";
inline constexpr std::string_view kRoleNameTaken = "role_name_taken";
inline constexpr std::string_view kBaseRoleRequired = "base_role_required";
inline constexpr std::string_view kConflictingParameters = "conflicting_parameters";
inline constexpr std::string_view kAlreadyMember = "already_member";
inline constexpr std::string_view kRoleInheritedFromGroup = "role_inherited_from_group";
inline constexpr std::string_view kInviteAlreadyExists = "invite_already_exists";
inline constexpr std::string_view kInviteAlreadyAccepted = "invite_already_accepted";
inline constexpr std::string_view kInviteExpired = "invite_expired";
inline constexpr std::string_view kInviteNotFound = "invite_not_found";
inline constexpr std::string_view kRateLimitExceeded = "rate_limit_exceeded";
}  // namespace codes

// A refusal or failure. Thrown by validation, handlers and stores; caught only by api::Router.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::optional<std::string> param = std::nullopt,
        std::optional<std::string> code = std::nullopt, std::string detail = {});

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& message() const noexcept { return message_; }
  const std::optional<std::string>& param() const noexcept { return param_; }
  const std::optional<std::string>& code() const noexcept { return code_; }
  // Internal detail (SQL, driver message): logged, never sent to the client.
  const std::string& detail() const noexcept { return detail_; }

 private:
  ErrorKind kind_;
  std::string message_;
  std::optional<std::string> param_;
  std::optional<std::string> code_;
  std::string detail_;
};

// The HTTP status of each kind.
int StatusOf(ErrorKind kind) noexcept;
// The OpenAI error `type` of each kind (`invalid_request_error`, `requests`, `server_error`).
std::string_view TypeOf(ErrorKind kind) noexcept;

// Shorthands for the common refusals.
Error InvalidValue(std::string param, std::string message);
Error InvalidType(std::string param, std::string message);
Error MissingParameter(std::string param);
Error NotFound(std::string message);
Error BusinessRule(std::string code, std::string message,
                   std::optional<std::string> param = std::nullopt);

}  // namespace roster::core

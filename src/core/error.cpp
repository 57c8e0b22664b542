// Status and type table of the error taxonomy.
#include "core/error.hpp"

#include <utility>

namespace roster::core {

Error::Error(ErrorKind kind, std::string message, std::optional<std::string> param,
             std::optional<std::string> code, std::string detail)
    : std::runtime_error(message),
      kind_(kind),
      message_(std::move(message)),
      param_(std::move(param)),
      code_(std::move(code)),
      detail_(std::move(detail)) {}

int StatusOf(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kInvalidRequest:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUriTooLong:
      return 414;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kHeadersTooLarge:
      return 431;
    case ErrorKind::kInternal:
      return 500;
    case ErrorKind::kUnavailable:
      return 503;
  }
  return 500;
}

std::string_view TypeOf(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kRateLimited:
      return "requests";
    case ErrorKind::kInternal:
    case ErrorKind::kUnavailable:
      return "server_error";
    default:
      return "invalid_request_error";
  }
}

Error InvalidValue(std::string param, std::string message) {
  return Error(ErrorKind::kInvalidRequest, std::move(message), std::move(param),
               std::string(codes::kInvalidValue));
}

Error InvalidType(std::string param, std::string message) {
  return Error(ErrorKind::kInvalidRequest, std::move(message), std::move(param),
               std::string(codes::kInvalidType));
}

Error MissingParameter(std::string param) {
  std::string message = "Missing required parameter: '" + param + "'.";
  return Error(ErrorKind::kInvalidRequest, std::move(message), std::move(param),
               std::string(codes::kMissingRequiredParameter));
}

Error NotFound(std::string message) { return Error(ErrorKind::kNotFound, std::move(message)); }

Error BusinessRule(std::string code, std::string message, std::optional<std::string> param) {
  return Error(ErrorKind::kInvalidRequest, std::move(message), std::move(param), std::move(code));
}

}  // namespace roster::core

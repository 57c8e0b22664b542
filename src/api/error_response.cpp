// Renders a core::Error as the OpenAI error envelope with its status and headers.
#include "api/error_response.hpp"

#include <string>

#include "api/json/codecs.hpp"

namespace roster::api {
namespace {

// Retry hint for 429/503. The SDKs honour `retry-after-ms` first, then `retry-after` (CONTRACT
// §3.3); the spec's TooManyRequests requires whole seconds ≥ 1.
constexpr int kRetryAfterSeconds = 1;

}  // namespace

Response MakeErrorResponse(const core::Error& error, std::string_view request_id) {
  Response response;
  response.status = core::StatusOf(error.kind());
  const bool server_side = response.status >= 500;
  std::string message = error.message();
  // A 5xx is only actionable for the client through support, which needs the request id.
  if (server_side && message.find(request_id) == std::string::npos) {
    message += (message.empty() ? "" : " ");
    message += "(Request ID: ";
    message += request_id;
    message += ")";
  }
  response.body =
      json::EncodeError(message, core::TypeOf(error.kind()), error.param(), error.code());
  response.headers.emplace_back("x-request-id", std::string(request_id));
  if (response.status == 429 || response.status == 503) {
    response.headers.emplace_back("retry-after", std::to_string(kRetryAfterSeconds));
    response.headers.emplace_back("retry-after-ms", std::to_string(kRetryAfterSeconds * 1000));
  }
  return response;
}

}  // namespace roster::api

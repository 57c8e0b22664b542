// Rendering of errors in the OpenAI envelope, shared by the router and the transport (which
// answers 400/413/431 itself when Beast refuses a request before it reaches the router).
#pragma once

#include <string_view>

#include "api/request.hpp"
#include "core/error.hpp"

namespace roster::api {

// `{"error":{"message","type","param","code"}}` with the kind's status, `content-type:
// application/json` and `x-request-id: request_id`. 429 and 503 also carry `retry-after` (and
// `retry-after-ms`); 5xx messages name the request id.
Response MakeErrorResponse(const core::Error& error, std::string_view request_id);

}  // namespace roster::api

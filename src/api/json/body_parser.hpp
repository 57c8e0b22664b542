// Strict reading of a JSON request body into a top-level object (CONTRACT §1, §3.4): the checks
// every POST body passes before its fields are looked at. Used by the body decoders.
#pragma once

#include <initializer_list>
#include <string_view>

#include "api/json/json_text.hpp"
#include "api/request.hpp"

namespace roster::api::json {

// The request body as a JSON object. An empty (or all-whitespace) body is `{}` because the Node
// SDK sends a zero-length body on argument-less POSTs. Throws core::Error (400):
// - content-type present, body non-empty, and the media type not application/json or
//   application/*+json → code `unsupported_content_type`;
// - not JSON → param and code null, "We could not parse the JSON body of your request. …";
// - JSON but not an object → code `invalid_type`;
// - a key repeated in the top-level object → code `duplicate_parameter`, param = the key;
// - nesting deeper than limits::kMaxJsonDepth → code `json_too_deep`; an array longer than
//   limits::kMaxJsonArrayItems → code `array_too_long`; a string or key holding U+0000 → code
//   `invalid_value` (param = the top-level field involved, api/input_limits.hpp).
Json ParseObjectBody(const Request& request);

// Throws 400 `unknown_parameter` (param = the field) for the first key of `body` not in `allowed`.
void RejectUnknownFields(const Json& body, std::initializer_list<std::string_view> allowed);

// True when `content_type` names JSON: `application/json` or `application/<x>+json`, any case,
// parameters (`; charset=utf-8`) allowed.
bool IsJsonContentType(std::string_view content_type) noexcept;

}  // namespace roster::api::json

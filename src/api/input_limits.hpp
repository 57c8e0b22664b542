// The API layer's input limits, in one place (docs/SECURITY.md lists each with the test that
// proves it). Every limit refuses with 400 invalid_request_error in the OpenAI envelope. The
// transport bounds the request as a whole first: body 1 MiB → 413, headers (request line
// included) 16 KiB → 431 (transport::ServerOptions).
#pragma once

#include <cstddef>

namespace roster::api::limits {

// Nesting of arrays and objects in a JSON body; the top-level object is depth 1. Deeper → 400
// code `json_too_deep`. No body the API accepts nests deeper than 3.
inline constexpr int kMaxJsonDepth = 64;

// Elements of any one array in a JSON body (`permissions`, `projects`). More → 400 code
// `array_too_long`, param the top-level field.
inline constexpr std::size_t kMaxJsonArrayItems = 1000;

// Query parameters of one request (`emails[]`, `event_types[]`, … each value counts). More →
// 400 code `too_many_parameters`.
inline constexpr std::size_t kMaxQueryParameters = 100;

// Free-text fields that are stored: a role's `description` (characters).
inline constexpr std::size_t kMaxDescriptionChars = 1024;

// Free-form member metadata that is stored: `technical_level`, `developer_persona` (characters).
inline constexpr std::size_t kMaxMetadataChars = 255;

// Ids sent in a body or stored with an invite (`projects[].id`), in bytes: no id Roster issues
// comes near it, so a longer one is refused before it reaches the store.
inline constexpr std::size_t kMaxIdBytes = 255;

}  // namespace roster::api::limits

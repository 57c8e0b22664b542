// GET /v1/openapi.json: the OpenAPI document of what this server serves, built once from the
// embedded OpenAI spec subset (spec/openapi-admin-subset.json, embedded at build time by
// cmake/EmbedFile.cmake) filtered to the routes table, plus Roster's own routes.
#pragma once

#include <string>
#include <string_view>

namespace roster::api {

// The embedded spec subset (JSON text); defined in the generated openapi_subset.cpp.
std::string_view EmbeddedOpenApiSubset() noexcept;

namespace json {

// The document: every route of the routes table, at its full path (servers: `/`), with the
// upstream operation where the subset has one (`/v1` + its path) and a minimal Roster operation
// (tag `Roster`) otherwise; nothing the table lacks. Built on first use; thread-safe.
const std::string& OpenApiDocument();

}  // namespace json
}  // namespace roster::api

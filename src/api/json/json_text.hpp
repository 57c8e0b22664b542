// Serialization of nlohmann::json values to response text, shared by every codec in api/json/.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace roster::api::json {

using Json = nlohmann::json;

// Compact JSON text. Strings that are not valid UTF-8 (a percent-decoded id, a raw path echoed in
// an error message) are written with U+FFFD instead of throwing, so rendering never fails on
// client-controlled bytes.
inline std::string Dump(const Json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

// `null` for an absent optional, the value otherwise.
template <typename T>
Json OrNull(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// The JSON type name used in `invalid_type` messages ("string", "integer", "array", …).
std::string_view TypeName(const Json& value) noexcept;
// The type name with its article, as in "but got an integer instead" ("null" has none).
std::string DescribeType(const Json& value);

}  // namespace roster::api::json

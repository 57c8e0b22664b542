// The admin API key create body: field presence, types and ranges.
#include "api/json/admin_key_bodies.hpp"

#include <algorithm>
#include <limits>

#include "api/json/body_parser.hpp"
#include "core/error.hpp"

namespace roster::api::json {
namespace {

constexpr const char* kName = "name";
constexpr const char* kExpires = "expires_in_seconds";

[[noreturn]] void ThrowType(const char* field, std::string_view expected, const Json& got) {
  throw core::InvalidType(field, "Invalid type for '" + std::string(field) + "': expected " +
                                     std::string(expected) + ", but got " + DescribeType(got) +
                                     " instead.");
}

// Characters, not bytes: the body parser has already rejected ill-formed UTF-8.
std::size_t CodePoints(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string ValidName(const Json& body) {
  const auto it = body.find(kName);
  if (it == body.end()) throw core::MissingParameter(kName);
  if (!it->is_string()) ThrowType(kName, "a string", *it);
  std::string name = it->get<std::string>();
  // A blank name shows as nothing in a list of keys; the name is what tells keys apart.
  if (name.find_first_not_of(" \t\r\n\f\v") == std::string::npos) {
    throw core::InvalidValue(kName,
                             "Invalid 'name': expected a non-empty string, but got an empty "
                             "string instead.");
  }
  if (const std::size_t length = CodePoints(name); length > kMaxAdminKeyNameChars) {
    throw core::InvalidValue(kName,
                             "Invalid 'name': string too long. Expected a string with maximum "
                             "length " +
                                 std::to_string(kMaxAdminKeyNameChars) +
                                 ", but got a string with length " + std::to_string(length) +
                                 " instead.");
  }
  return name;
}

core::Error RangeError(std::string_view code, std::string message) {
  return core::Error(core::ErrorKind::kInvalidRequest, std::move(message), kExpires,
                     std::string(code));
}

std::optional<std::int64_t> ValidLifetime(const Json& body) {
  const auto it = body.find(kExpires);
  if (it == body.end() || it->is_null()) return std::nullopt;
  // 60.0 is refused like "60": the field is an integer, and a fraction of a second is no lifetime.
  if (!it->is_number_integer()) ThrowType(kExpires, "an integer", *it);
  // Unsigned values beyond int64 are far above the maximum; saturate rather than wrap.
  const std::int64_t value =
      it->is_number_unsigned() &&
              it->get<std::uint64_t>() >
                  static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
          ? std::numeric_limits<std::int64_t>::max()
          : it->get<std::int64_t>();
  if (value < 1) {
    throw RangeError(core::codes::kIntegerBelowMin,
                     "Invalid 'expires_in_seconds': integer below minimum value. Expected a "
                     "value >= 1, but got " +
                         it->dump() + " instead.");
  }
  if (value > kMaxAdminKeyLifetimeSeconds) {
    throw RangeError(core::codes::kIntegerAboveMax,
                     "Invalid 'expires_in_seconds': integer above maximum value. Expected a "
                     "value <= " +
                         std::to_string(kMaxAdminKeyLifetimeSeconds) + ", but got " + it->dump() +
                         " instead.");
  }
  return value;
}

}  // namespace

CreateAdminKeyBody DecodeCreateAdminKey(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {kName, kExpires});
  CreateAdminKeyBody out;
  out.name = ValidName(body);
  out.expires_in_seconds = ValidLifetime(body);
  return out;
}

}  // namespace roster::api::json

// Body decoders of the group endpoints: field presence, types and the name rule.
#include "api/json/group_bodies.hpp"

#include <algorithm>
#include <string_view>

#include "api/json/body_parser.hpp"
#include "core/error.hpp"

namespace roster::api::json {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string RequiredString(const Json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end()) throw core::MissingParameter(field);
  if (!it->is_string()) {
    throw core::InvalidType(field, "Invalid type for '" + std::string(field) +
                                       "': expected a string, but got " + DescribeType(*it) +
                                       " instead.");
  }
  return it->get<std::string>();
}

// The parser has already rejected ill-formed UTF-8, so counting the bytes that are not
// continuation bytes counts characters.
std::size_t CodePoints(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string DecodeGroupName(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"name"});
  const std::string raw = RequiredString(body, "name");
  const std::size_t first = raw.find_first_not_of(kWhitespace);
  if (first == std::string::npos) {
    throw core::InvalidValue("name",
                             "Invalid 'name': expected a non-empty string, but got an empty "
                             "string instead.");
  }
  const std::size_t last = raw.find_last_not_of(kWhitespace);
  std::string name = raw.substr(first, last - first + 1);
  const std::size_t length = CodePoints(name);
  if (length > kMaxGroupNameChars) {
    throw core::InvalidValue("name",
                             "Invalid 'name': string too long. Expected a string with maximum "
                             "length " +
                                 std::to_string(kMaxGroupNameChars) +
                                 ", but got a string with length " + std::to_string(length) +
                                 " instead.");
  }
  return name;
}

std::string DecodeAddGroupUser(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"user_id"});
  return RequiredString(body, "user_id");
}

std::string DecodeAssignGroupRole(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"role_id"});
  return RequiredString(body, "role_id");
}

}  // namespace roster::api::json

// Per-endpoint body decoders: field presence, types, enums and value rules.
#include "api/json/bodies.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "api/input_limits.hpp"
#include "api/json/body_parser.hpp"
#include "core/error.hpp"
#include "core/model.hpp"
#include "core/permissions.hpp"

namespace roster::api::json {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

const Json* Find(const Json& body, const char* field) {
  const auto it = body.find(field);
  return it == body.end() ? nullptr : &*it;
}

[[noreturn]] void ThrowType(const char* field, std::string_view expected, const Json& got) {
  throw core::InvalidType(field, "Invalid type for '" + std::string(field) + "': expected " +
                                     std::string(expected) + ", but got " + DescribeType(got) +
                                     " instead.");
}

// A string-or-null field: absent and null both mean "not given".
std::optional<std::string> NullableString(const Json& body, const char* field) {
  const Json* value = Find(body, field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) ThrowType(field, "a string or null", *value);
  return value->get<std::string>();
}

// A stored free-text field: at most `max_chars` characters.
std::optional<std::string> BoundedText(std::optional<std::string> text, const char* field,
                                       std::size_t max_chars);

std::string RequiredString(const Json& body, const char* field) {
  const Json* value = Find(body, field);
  if (value == nullptr) throw core::MissingParameter(field);
  if (!value->is_string()) ThrowType(field, "a string", *value);
  return value->get<std::string>();
}

// Characters, not bytes: the parser has already rejected ill-formed UTF-8, so counting the bytes
// that are not continuation bytes counts code points.
std::size_t CodePoints(std::string_view text) noexcept {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::optional<std::string> BoundedText(std::optional<std::string> text, const char* field,
                                       std::size_t max_chars) {
  if (!text) return text;
  const std::size_t length = CodePoints(*text);
  if (length > max_chars) {
    throw core::InvalidValue(field, "Invalid '" + std::string(field) +
                                        "': string too long. Expected a string with maximum "
                                        "length " +
                                        std::to_string(max_chars) +
                                        ", but got a string with length " + std::to_string(length) +
                                        " instead.");
  }
  return text;
}

std::string ValidRoleName(std::string_view raw) {
  const std::size_t first = raw.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) {
    throw core::InvalidValue("role_name",
                             "Invalid 'role_name': expected a non-empty string, but got an empty "
                             "string instead.");
  }
  const std::size_t last = raw.find_last_not_of(kWhitespace);
  const std::string_view name = raw.substr(first, last - first + 1);
  const std::size_t length = CodePoints(name);
  if (length > kMaxRoleNameChars) {
    throw core::InvalidValue("role_name",
                             "Invalid 'role_name': string too long. Expected a string "
                             "with maximum length " +
                                 std::to_string(kMaxRoleNameChars) +
                                 ", but got a string with length " + std::to_string(length) +
                                 " instead.");
  }
  return std::string(name);
}

// An array of permission strings, validated against the catalogue (or only for syntax), returned
// sorted and without duplicates as the store expects.
std::vector<std::string> ValidPermissions(const Json& value, PermissionPolicy policy) {
  if (!value.is_array()) ThrowType("permissions", "an array of strings", value);
  std::vector<std::string> permissions;
  permissions.reserve(value.size());
  for (const Json& item : value) {
    if (!item.is_string()) ThrowType("permissions", "an array of strings", item);
    const auto& name = item.get_ref<const std::string&>();
    const bool ok =
        policy.accept_unknown ? core::IsWellFormedPermission(name) : core::IsKnownPermission(name);
    if (!ok) {
      throw core::InvalidValue(
          "permissions", "Invalid value for 'permissions': '" + name +
                             (policy.accept_unknown ? "' is not a well-formed permission string."
                                                    : "' is not a known permission."));
    }
    permissions.push_back(name);
  }
  std::sort(permissions.begin(), permissions.end());
  permissions.erase(std::unique(permissions.begin(), permissions.end()), permissions.end());
  return permissions;
}

}  // namespace

storage::MemberPatch DecodeModifyUser(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"role", "role_id", "technical_level", "developer_persona"});
  storage::MemberPatch patch;
  if (auto role = NullableString(body, "role")) {
    // "member" (the spec's prose) is refused rather than aliased: the response would otherwise
    // show a value the caller did not send (NOTES N-2).
    patch.base_role = core::ParseBaseRole(*role);
    if (!patch.base_role) {
      throw core::InvalidValue(
          "role", "Invalid value: '" + *role + "'. Supported values are: 'owner' and 'reader'.");
    }
  }
  patch.role_id = NullableString(body, "role_id");
  patch.technical_level = BoundedText(NullableString(body, "technical_level"), "technical_level",
                                      limits::kMaxMetadataChars);
  patch.developer_persona = BoundedText(NullableString(body, "developer_persona"),
                                        "developer_persona", limits::kMaxMetadataChars);
  return patch;
}

std::string DecodeAssignUserRole(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"role_id"});
  return RequiredString(body, "role_id");
}

storage::NewRole DecodeCreateRole(const Request& request, PermissionPolicy policy) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"role_name", "permissions", "description"});
  storage::NewRole role;
  role.name = ValidRoleName(RequiredString(body, "role_name"));
  const Json* permissions = Find(body, "permissions");
  if (permissions == nullptr) throw core::MissingParameter("permissions");
  role.permissions = ValidPermissions(*permissions, policy);
  role.description =
      BoundedText(NullableString(body, "description"), "description", limits::kMaxDescriptionChars);
  return role;
}

storage::RolePatch DecodeUpdateRole(const Request& request, PermissionPolicy policy) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"role_name", "permissions", "description"});
  storage::RolePatch patch;
  if (auto name = NullableString(body, "role_name")) patch.name = ValidRoleName(*name);
  if (const Json* permissions = Find(body, "permissions");
      permissions != nullptr && !permissions->is_null()) {
    if (!permissions->is_array())
      ThrowType("permissions", "an array of strings or null", *permissions);
    patch.permissions = ValidPermissions(*permissions, policy);
  }
  patch.description =
      BoundedText(NullableString(body, "description"), "description", limits::kMaxDescriptionChars);
  return patch;
}

}  // namespace roster::api::json

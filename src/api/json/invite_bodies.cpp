// Invite body decoders: field presence, types, the email shape and project grants.
#include "api/json/invite_bodies.hpp"

#include <algorithm>
#include <string_view>

#include "api/input_limits.hpp"
#include "api/json/body_parser.hpp"
#include "core/error.hpp"

namespace roster::api::json {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

const Json* Find(const Json& object, const char* field) {
  const auto it = object.find(field);
  return it == object.end() ? nullptr : &*it;
}

[[noreturn]] void ThrowType(const std::string& param, const std::string& field,
                            std::string_view expected, const Json& got) {
  throw core::InvalidType(param, "Invalid type for '" + field + "': expected " +
                                     std::string(expected) + ", but got " + DescribeType(got) +
                                     " instead.");
}

std::string RequiredString(const Json& body, const char* field) {
  const Json* value = Find(body, field);
  if (value == nullptr) throw core::MissingParameter(field);
  if (!value->is_string()) ThrowType(field, field, "a string", *value);
  return value->get<std::string>();
}

std::string_view Trim(std::string_view text) noexcept {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

// A plausible address, not a full RFC 5322 parse: the invite is accepted through a link, so the
// address only has to identify one person (and match their account by email).
std::string ValidEmail(std::string_view raw) {
  const std::string_view email = Trim(raw);
  auto refuse = [&](std::string_view why) {
    throw core::InvalidValue("email", "Invalid 'email': '" + std::string(email) +
                                          "' is not a valid email address (" + std::string(why) +
                                          ").");
  };
  if (email.size() > kMaxEmailLength) {
    throw core::InvalidValue("email", "Invalid 'email': longer than " +
                                          std::to_string(kMaxEmailLength) + " characters.");
  }
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    refuse("it needs exactly one '@'");
  }
  if (at == 0) refuse("the part before '@' is empty");
  if (at + 1 == email.size()) refuse("the domain after '@' is empty");
  const bool clean = std::none_of(email.begin(), email.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7F;
  });
  if (!clean) refuse("it contains whitespace or control characters");
  return std::string(email);
}

std::vector<core::InviteProject> ValidProjects(const Json& value) {
  const std::string param = "projects";
  if (!value.is_array()) ThrowType(param, param, "an array of objects", value);
  std::vector<core::InviteProject> projects;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Json& item = value[i];
    const std::string where = "projects[" + std::to_string(i) + "]";
    if (!item.is_object()) ThrowType(param, where, "an object", item);
    for (const auto& [key, ignored] : item.items()) {
      if (key != "id" && key != "role") {
        throw core::Error(core::ErrorKind::kInvalidRequest,
                          "Unrecognized request argument supplied: " + where + "." + key, param,
                          std::string(core::codes::kUnknownParameter));
      }
    }
    core::InviteProject project;
    for (const char* field : {"id", "role"}) {
      const Json* text = Find(item, field);
      if (text == nullptr) {
        throw core::Error(core::ErrorKind::kInvalidRequest,
                          "Missing required parameter: '" + where + "." + field + "'.", param,
                          std::string(core::codes::kMissingRequiredParameter));
      }
      if (!text->is_string()) ThrowType(param, where + "." + field, "a string", *text);
      (std::string_view(field) == "id" ? project.id : project.role) = text->get<std::string>();
    }
    if (project.id.size() > limits::kMaxIdBytes) {
      throw core::InvalidValue(param, "Invalid value for '" + where + ".id': longer than " +
                                          std::to_string(limits::kMaxIdBytes) + " bytes.");
    }
    if (project.role != "member" && project.role != "owner") {
      throw core::InvalidValue(param, "Invalid value for '" + where + ".role': '" + project.role +
                                          "'. Supported values are: 'member' and 'owner'.");
    }
    projects.push_back(std::move(project));
  }
  return projects;
}

}  // namespace

InviteRequest DecodeCreateInvite(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"email", "role", "projects"});
  InviteRequest invite;
  invite.email = ValidEmail(RequiredString(body, "email"));
  const std::string role = RequiredString(body, "role");
  const std::optional<core::BaseRole> base = core::ParseBaseRole(role);
  if (!base) {
    throw core::InvalidValue(
        "role", "Invalid value: '" + role + "'. Supported values are: 'owner' and 'reader'.");
  }
  invite.role = *base;
  if (const Json* projects = Find(body, "projects"); projects != nullptr && !projects->is_null()) {
    invite.projects = ValidProjects(*projects);
  }
  return invite;
}

AcceptInviteRequest DecodeAcceptInvite(const Request& request) {
  const Json body = ParseObjectBody(request);
  RejectUnknownFields(body, {"token", "name"});
  AcceptInviteRequest accept;
  accept.token = RequiredString(body, "token");
  if (const Json* name = Find(body, "name"); name != nullptr && !name->is_null()) {
    if (!name->is_string()) ThrowType("name", "name", "a string or null", *name);
    accept.name = std::string(Trim(name->get_ref<const std::string&>()));
    // Characters, not bytes: the parser has rejected ill-formed UTF-8, so the bytes that are not
    // continuation bytes are the code points.
    const auto length = std::count_if(accept.name.begin(), accept.name.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    if (static_cast<std::size_t>(length) > kMaxNameChars) {
      throw core::InvalidValue("name",
                               "Invalid 'name': string too long. Expected a string with "
                               "maximum length " +
                                   std::to_string(kMaxNameChars) + ".");
    }
  }
  return accept;
}

}  // namespace roster::api::json

// Wire encoder of audit log events.
#include "api/json/audit_codecs.hpp"

#include "api/json/json_text.hpp"

namespace roster::api::json {
namespace {

Json ActorJson(const std::optional<core::Actor>& actor) {
  if (!actor || (actor->key_id.empty() && actor->user_id.empty())) return nullptr;
  const Json user = {{"id", actor->user_id}, {"email", actor->user_email}};
  if (actor->key_id.empty()) {
    // Roster records no client addresses; the field is part of the session shape.
    return {{"type", "session"}, {"session", {{"user", user}, {"ip_address", nullptr}}}};
  }
  return {{"type", "api_key"},
          {"api_key", {{"id", actor->key_id}, {"type", "user"}, {"user", user}}}};
}

Json AuditLogJson(const core::AuditEvent& event, const Json& project) {
  Json out = {
      {"id", event.id},
      {"type", event.type},
      {"effective_at", event.effective_at},
      {"project", project},
      {"actor", ActorJson(event.actor)},
  };
  out[event.type] = event.payload;
  return out;
}

}  // namespace

std::string EncodeAuditLogPage(const core::Page<core::AuditEvent>& page,
                               const core::Organization& org) {
  const Json project = {{"id", org.default_project_id},
                        {"name", std::string(core::kDefaultProjectName)}};
  Json data = Json::array();
  for (const core::AuditEvent& event : page.items) data.push_back(AuditLogJson(event, project));
  const bool empty = page.items.empty();
  return Dump({{"object", "list"},
               {"data", std::move(data)},
               {"has_more", page.has_more && !empty},
               {"first_id", empty ? Json(nullptr) : Json(page.items.front().id)},
               {"last_id", empty ? Json(nullptr) : Json(page.items.back().id)}});
}

}  // namespace roster::api::json

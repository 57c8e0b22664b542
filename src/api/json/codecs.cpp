// Wire encoders: domain values → OpenAI-shaped JSON text.
#include "api/json/codecs.hpp"

#include "api/json/json_text.hpp"
#include "api/json/json_writer.hpp"

namespace roster::api::json {
namespace {

// The project role a member has in the default project: org owners own it, readers are members.
std::string_view DefaultProjectRole(core::BaseRole role) noexcept {
  return role == core::BaseRole::kOwner ? "owner" : "member";
}

Json UserJson(const core::Member& member) {
  const core::Account& account = member.account;
  Json projects_data = Json::array();
  projects_data.push_back({{"id", member.default_project_id},
                           {"name", member.default_project_name},
                           {"role", DefaultProjectRole(member.base_role)}});
  return {
      {"object", "organization.user"},
      {"id", account.id},
      {"added_at", member.added_at},
      {"name", account.name},
      {"email", account.email},
      {"role", core::ToString(member.base_role)},
      {"is_default", false},
      {"created", account.created_at},
      {"user",
       {{"object", "user"},
        {"id", account.id},
        {"email", account.email},
        {"name", account.name},
        {"picture", OrNull(account.picture)},
        {"enabled", account.enabled},
        {"banned", false},
        {"banned_at", nullptr}}},
      {"is_service_account", false},
      {"is_scale_tier_authorized_purchaser", nullptr},
      {"is_scim_managed", false},
      {"api_key_last_used_at", nullptr},
      {"technical_level", OrNull(member.technical_level)},
      {"developer_persona", OrNull(member.developer_persona)},
      {"projects", {{"object", "list"}, {"data", std::move(projects_data)}}},
  };
}

// The streaming twin of UserJson: the same keys and values, written without a DOM.
void WriteUser(JsonWriter& out, const core::Member& member) {
  const core::Account& account = member.account;
  out.StartObject();
  out.Key("object").String("organization.user");
  out.Key("id").String(account.id);
  out.Key("added_at").Int(member.added_at);
  out.Key("name").String(account.name);
  out.Key("email").String(account.email);
  out.Key("role").String(core::ToString(member.base_role));
  out.Key("is_default").Bool(false);
  out.Key("created").Int(account.created_at);
  out.Key("user").StartObject();
  out.Key("object").String("user");
  out.Key("id").String(account.id);
  out.Key("email").String(account.email);
  out.Key("name").String(account.name);
  out.Key("picture").OptString(account.picture);
  out.Key("enabled").Bool(account.enabled);
  out.Key("banned").Bool(false);
  out.Key("banned_at").Null();
  out.EndObject();
  out.Key("is_service_account").Bool(false);
  out.Key("is_scale_tier_authorized_purchaser").Null();
  out.Key("is_scim_managed").Bool(false);
  out.Key("api_key_last_used_at").Null();
  out.Key("technical_level").OptString(member.technical_level);
  out.Key("developer_persona").OptString(member.developer_persona);
  out.Key("projects").StartObject();
  out.Key("object").String("list");
  out.Key("data").StartArray();
  out.StartObject();
  out.Key("id").String(member.default_project_id);
  out.Key("name").String(member.default_project_name);
  out.Key("role").String(DefaultProjectRole(member.base_role));
  out.EndObject();
  out.EndArray();
  out.EndObject();
  out.EndObject();
}

Json RoleJson(const core::Role& role) {
  return {
      {"object", "role"},
      {"id", role.id},
      {"name", role.name},
      {"description", OrNull(role.description)},
      {"permissions", role.permissions},
      {"resource_type", role.resource_type},
      {"predefined_role", role.predefined},
  };
}

Json HeldRoleJson(const core::HeldRole& held) {
  const core::Role& role = held.role;
  Json created_by_user = nullptr;
  if (role.created_by) {
    created_by_user = {{"id", *role.created_by},
                       {"name", OrNull(role.created_by_name)},
                       {"email", OrNull(role.created_by_email)}};
  }
  Json sources = Json::array();
  for (const auto& source : held.sources) {
    sources.push_back(
        {{"principal_id", source.principal_id}, {"principal_type", source.principal_type}});
  }
  return {
      {"id", role.id},
      {"name", role.name},
      {"permissions", role.permissions},
      {"resource_type", role.resource_type},
      {"predefined_role", role.predefined},
      {"description", OrNull(role.description)},
      {"created_at", role.created_at},
      {"updated_at", role.updated_at},
      {"created_by", OrNull(role.created_by)},
      {"created_by_user_obj", std::move(created_by_user)},
      {"metadata", Json::object()},
      {"assignment_sources", std::move(sources)},
  };
}

// ConversationCursorPage (§5.1): the SDK pages on while `last_id` is set, so both ids name the
// page's ends and are null only on an empty page.
template <typename T, typename ToJson, typename IdOf>
std::string ConversationPage(const core::Page<T>& page, ToJson to_json, IdOf id_of) {
  Json data = Json::array();
  for (const auto& item : page.items) data.push_back(to_json(item));
  Json first_id = nullptr;
  Json last_id = nullptr;
  if (!page.items.empty()) {
    first_id = id_of(page.items.front());
    last_id = id_of(page.items.back());
  }
  return Dump({{"object", "list"},
               {"data", std::move(data)},
               {"has_more", page.has_more},
               {"first_id", std::move(first_id)},
               {"last_id", std::move(last_id)}});
}

// NextCursorPage (§5.2): `next` is the last item's id while more items follow (NOTES N-1).
template <typename T, typename ToJson, typename IdOf>
std::string NextCursorPage(const core::Page<T>& page, ToJson to_json, IdOf id_of) {
  Json data = Json::array();
  for (const auto& item : page.items) data.push_back(to_json(item));
  Json next = nullptr;
  if (page.has_more && !page.items.empty()) next = id_of(page.items.back());
  return Dump({{"object", "list"},
               {"data", std::move(data)},
               {"has_more", page.has_more && !page.items.empty()},
               {"next", std::move(next)}});
}

}  // namespace

std::string EncodeUser(const core::Member& member) {
  JsonWriter out;
  WriteUser(out, member);
  return out.ok() ? out.Take() : Dump(UserJson(member));
}

std::string EncodeUserPage(const core::Page<core::Member>& page) {
  JsonWriter out(256 + page.items.size() * 640);  // a member renders to about 600 bytes
  out.StartObject();
  out.Key("object").String("list");
  out.Key("data").StartArray();
  for (const auto& member : page.items) WriteUser(out, member);
  out.EndArray();
  out.Key("has_more").Bool(page.has_more);
  if (page.items.empty()) {
    out.Key("first_id").Null();
    out.Key("last_id").Null();
  } else {
    out.Key("first_id").String(page.items.front().account.id);
    out.Key("last_id").String(page.items.back().account.id);
  }
  out.EndObject();
  if (out.ok()) return out.Take();
  return ConversationPage(page, UserJson, [](const core::Member& m) { return m.account.id; });
}

std::string EncodeRole(const core::Role& role) { return Dump(RoleJson(role)); }

std::string EncodeRolePage(const core::Page<core::Role>& page) {
  return NextCursorPage(page, RoleJson, [](const core::Role& r) { return r.id; });
}

std::string EncodeHeldRole(const core::HeldRole& held) { return Dump(HeldRoleJson(held)); }

std::string EncodeHeldRolePage(const core::Page<core::HeldRole>& page) {
  return NextCursorPage(page, HeldRoleJson, [](const core::HeldRole& h) { return h.role.id; });
}

std::string EncodeUserRoleAssignment(const storage::Assignment& assignment) {
  return Dump({{"object", "user.role"},
               {"user", UserJson(assignment.member)},
               {"role", RoleJson(assignment.role)}});
}

std::string EncodeUserRoleDeleted() {
  return Dump({{"object", "user.role.deleted"}, {"deleted", true}});
}

std::string EncodeUserDeleted(std::string_view user_id) {
  return Dump({{"object", "organization.user.deleted"}, {"id", user_id}, {"deleted", true}});
}

std::string EncodeRoleDeleted(std::string_view role_id) {
  return Dump({{"object", "role.deleted"}, {"id", role_id}, {"deleted", true}});
}

// --- groups ----------------------------------------------------------------------------------
// SCIM is out of scope (NOTES N-23): no group is SCIM-managed and every group is a plain group.

namespace {

Json GroupJson(const core::Group& group) {
  return {
      {"object", "group"},        {"id", group.id},
      {"name", group.name},       {"created_at", group.created_at},
      {"is_scim_managed", false}, {"group_type", "group"},
  };
}

Json GroupUserJson(const core::Member& member) {
  return {
      {"id", member.account.id},
      {"name", member.account.name},
      {"email", member.account.email},
  };
}

}  // namespace

std::string EncodeGroup(const core::Group& group) { return Dump(GroupJson(group)); }

std::string EncodeGroupPage(const core::Page<core::Group>& page) {
  return NextCursorPage(page, GroupJson, [](const core::Group& g) { return g.id; });
}

std::string EncodeUpdatedGroup(const core::Group& group) {
  return Dump({{"object", "group"},
               {"id", group.id},
               {"name", group.name},
               {"created_at", group.created_at},
               {"is_scim_managed", false}});
}

std::string EncodeGroupDeleted(std::string_view group_id) {
  return Dump({{"object", "group.deleted"}, {"id", group_id}, {"deleted", true}});
}

std::string EncodeGroupUserPage(const core::Page<core::Member>& page) {
  return NextCursorPage(page, GroupUserJson, [](const core::Member& m) { return m.account.id; });
}

std::string EncodeGroupUser(const core::Member& member) {
  Json user = GroupUserJson(member);
  user["picture"] = OrNull(member.account.picture);
  user["is_service_account"] = false;
  user["user_type"] = "user";
  return Dump(user);
}

std::string EncodeGroupUserAdded(std::string_view group_id, std::string_view user_id) {
  return Dump({{"object", "group.user"}, {"user_id", user_id}, {"group_id", group_id}});
}

std::string EncodeGroupUserDeleted() {
  return Dump({{"object", "group.user.deleted"}, {"deleted", true}});
}

std::string EncodeGroupRoleAssignment(const storage::GroupAssignment& assignment) {
  const core::Group& group = assignment.group;
  // GroupSummary spells the SCIM flag `scim_managed` (not `is_scim_managed`) [spec].
  return Dump({{"object", "group.role"},
               {"group",
                {{"object", "group"},
                 {"id", group.id},
                 {"name", group.name},
                 {"created_at", group.created_at},
                 {"scim_managed", false}}},
               {"role", RoleJson(assignment.role)}});
}

std::string EncodeGroupRoleDeleted() {
  return Dump({{"object", "group.role.deleted"}, {"deleted", true}});
}

std::string EncodeError(std::string_view message, std::string_view type,
                        const std::optional<std::string>& param,
                        const std::optional<std::string>& code) {
  return Dump(
      {{"error",
        {{"message", message}, {"type", type}, {"param", OrNull(param)}, {"code", OrNull(code)}}}});
}

}  // namespace roster::api::json

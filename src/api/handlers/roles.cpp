// Handlers of /organization/roles and /organization/roles/{role_id}.
#include "api/handlers/handlers.hpp"
#include "api/json/codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {

std::string ListRoles(const Context& context) {
  const Query& query = context.request.query;
  storage::ListQuery list;
  list.limit = ParseLimit(query, kRolesLimit);
  list.after = ParseAfter(query);
  list.order = ParseOrder(query, core::SortOrder::kAsc);
  return json::EncodeRolePage(context.store.ListRoles(context.actor.org_id, list));
}

std::string CreateRole(const Context& context) {
  const storage::NewRole role = json::DecodeCreateRole(context.request, context.permissions);
  return json::EncodeRole(context.store.CreateRole(context.actor, context.actor.org_id, role));
}

std::string RetrieveRole(const Context& context) {
  const std::string& role_id = context.params.at(0);
  const auto role = context.store.GetRole(context.actor.org_id, role_id);
  if (!role) throw core::NotFound("No such role: '" + role_id + "'.");
  return json::EncodeRole(*role);
}

std::string UpdateRole(const Context& context) {
  const storage::RolePatch patch = json::DecodeUpdateRole(context.request, context.permissions);
  return json::EncodeRole(
      context.store.UpdateRole(context.actor, context.actor.org_id, context.params.at(0), patch));
}

std::string DeleteRole(const Context& context) {
  const std::string& role_id = context.params.at(0);
  context.store.DeleteRole(context.actor, context.actor.org_id, role_id);
  return json::EncodeRoleDeleted(role_id);
}

}  // namespace roster::api::handlers

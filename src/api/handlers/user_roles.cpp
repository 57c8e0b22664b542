// Handlers of /organization/users/{user_id}/roles and …/roles/{role_id}.
#include "api/handlers/handlers.hpp"
#include "api/json/codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {

std::string ListUserRoles(const Context& context) {
  const Query& query = context.request.query;
  storage::ListQuery list;
  list.limit = ParseLimit(query, kRolesLimit);
  list.after = ParseAfter(query);
  list.order = ParseOrder(query, core::SortOrder::kAsc);
  return json::EncodeHeldRolePage(
      context.store.ListUserRoles(context.actor.org_id, context.params.at(0), list));
}

std::string AssignUserRole(const Context& context) {
  const std::string role_id = json::DecodeAssignUserRole(context.request);
  return json::EncodeUserRoleAssignment(context.store.AssignUserRole(
      context.actor, context.actor.org_id, context.params.at(0), role_id));
}

std::string RetrieveUserRole(const Context& context) {
  const std::string& org_id = context.actor.org_id;
  const std::string& user_id = context.params.at(0);
  const std::string& role_id = context.params.at(1);
  if (auto held = context.store.GetUserRole(org_id, user_id, role_id)) {
    return json::EncodeHeldRole(*held);
  }
  // Off the hot path: find out which of the three was missing, for a message that says so.
  if (!context.store.GetMember(org_id, user_id)) {
    throw core::NotFound("No such user: '" + user_id + "'.");
  }
  if (!context.store.GetRole(org_id, role_id)) {
    throw core::NotFound("No such role: '" + role_id + "'.");
  }
  throw core::NotFound("The user does not hold role '" + role_id + "'.");
}

std::string UnassignUserRole(const Context& context) {
  context.store.UnassignUserRole(context.actor, context.actor.org_id, context.params.at(0),
                                 context.params.at(1));
  return json::EncodeUserRoleDeleted();
}

}  // namespace roster::api::handlers

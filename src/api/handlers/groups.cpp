// Handlers of /organization/groups[/{group_id}], …/users[/{user_id}] and …/roles[/{role_id}].
#include "api/handlers/handlers.hpp"
#include "api/json/codecs.hpp"
#include "api/json/group_bodies.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {
namespace {

// GET /organization/groups and …/groups/{id}/users: 0–1000, default 100 (CONTRACT §5.5).
constexpr LimitRule kGroupsLimit{0, 1000, 100, true};
// GET …/groups/{id}/roles: 0–1000, no default in the spec → 1000 as for user roles (N-7).
constexpr LimitRule kGroupRolesLimit{0, 1000, 1000, true};

storage::ListQuery ParseList(const Query& query, const LimitRule& rule,
                             core::SortOrder default_order) {
  storage::ListQuery list;
  list.limit = ParseLimit(query, rule);
  list.after = ParseAfter(query);
  list.order = ParseOrder(query, default_order);
  return list;
}

core::Error GroupNotFound(const std::string& group_id) {
  return core::NotFound("No such group: '" + group_id + "'.");
}

}  // namespace

// --- groups ----------------------------------------------------------------------------------

std::string ListGroups(const Context& context) {
  const storage::ListQuery list =
      ParseList(context.request.query, kGroupsLimit, core::SortOrder::kAsc);
  return json::EncodeGroupPage(context.store.ListGroups(context.actor.org_id, list));
}

std::string CreateGroup(const Context& context) {
  const std::string name = json::DecodeGroupName(context.request);
  return json::EncodeGroup(context.store.CreateGroup(context.actor, context.actor.org_id, name));
}

std::string RetrieveGroup(const Context& context) {
  const std::string& group_id = context.params.at(0);
  const auto group = context.store.GetGroup(context.actor.org_id, group_id);
  if (!group) throw GroupNotFound(group_id);
  return json::EncodeGroup(*group);
}

std::string UpdateGroup(const Context& context) {
  const std::string name = json::DecodeGroupName(context.request);
  return json::EncodeUpdatedGroup(
      context.store.UpdateGroup(context.actor, context.actor.org_id, context.params.at(0), name));
}

std::string DeleteGroup(const Context& context) {
  const std::string& group_id = context.params.at(0);
  context.store.DeleteGroup(context.actor, context.actor.org_id, group_id);
  return json::EncodeGroupDeleted(group_id);
}

// --- group users -----------------------------------------------------------------------------

std::string ListGroupUsers(const Context& context) {
  // Newest members first by default, as the spec's `order` default says.
  const storage::ListQuery list =
      ParseList(context.request.query, kGroupsLimit, core::SortOrder::kDesc);
  return json::EncodeGroupUserPage(
      context.store.ListGroupUsers(context.actor.org_id, context.params.at(0), list));
}

std::string AddGroupUser(const Context& context) {
  const std::string& group_id = context.params.at(0);
  const std::string user_id = json::DecodeAddGroupUser(context.request);
  context.store.AddGroupUser(context.actor, context.actor.org_id, group_id, user_id);
  return json::EncodeGroupUserAdded(group_id, user_id);
}

std::string RetrieveGroupUser(const Context& context) {
  const std::string& org_id = context.actor.org_id;
  const std::string& group_id = context.params.at(0);
  const std::string& user_id = context.params.at(1);
  if (auto member = context.store.GetGroupUser(org_id, group_id, user_id)) {
    return json::EncodeGroupUser(*member);
  }
  // Off the hot path: say which of the three was missing.
  if (!context.store.GetGroup(org_id, group_id)) throw GroupNotFound(group_id);
  if (!context.store.GetMember(org_id, user_id)) {
    throw core::NotFound("No such user: '" + user_id + "'.");
  }
  throw core::NotFound("The user '" + user_id + "' is not in group '" + group_id + "'.");
}

std::string RemoveGroupUser(const Context& context) {
  context.store.RemoveGroupUser(context.actor, context.actor.org_id, context.params.at(0),
                                context.params.at(1));
  return json::EncodeGroupUserDeleted();
}

// --- group roles -----------------------------------------------------------------------------

std::string ListGroupRoles(const Context& context) {
  const storage::ListQuery list =
      ParseList(context.request.query, kGroupRolesLimit, core::SortOrder::kAsc);
  return json::EncodeHeldRolePage(
      context.store.ListGroupRoles(context.actor.org_id, context.params.at(0), list));
}

std::string AssignGroupRole(const Context& context) {
  const std::string role_id = json::DecodeAssignGroupRole(context.request);
  return json::EncodeGroupRoleAssignment(context.store.AssignGroupRole(
      context.actor, context.actor.org_id, context.params.at(0), role_id));
}

std::string RetrieveGroupRole(const Context& context) {
  const std::string& org_id = context.actor.org_id;
  const std::string& group_id = context.params.at(0);
  const std::string& role_id = context.params.at(1);
  if (auto held = context.store.GetGroupRole(org_id, group_id, role_id)) {
    return json::EncodeHeldRole(*held);
  }
  if (!context.store.GetGroup(org_id, group_id)) throw GroupNotFound(group_id);
  if (!context.store.GetRole(org_id, role_id)) {
    throw core::NotFound("No such role: '" + role_id + "'.");
  }
  throw core::NotFound("The group does not hold role '" + role_id + "'.");
}

std::string UnassignGroupRole(const Context& context) {
  context.store.UnassignGroupRole(context.actor, context.actor.org_id, context.params.at(0),
                                  context.params.at(1));
  return json::EncodeGroupRoleDeleted();
}

}  // namespace roster::api::handlers

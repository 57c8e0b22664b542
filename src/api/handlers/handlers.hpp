// The endpoint handlers, grouped by resource (users.cpp, user_roles.cpp, roles.cpp) and named
// Verb+Resource. Each one decodes and validates its input, makes one store call and encodes the
// result; the router has already matched the route and authenticated the caller.
#pragma once

#include <string>
#include <vector>

#include "api/json/bodies.hpp"
#include "api/request.hpp"
#include "core/model.hpp"
#include "storage/store.hpp"

namespace roster::api::handlers {

// Everything a handler may use. Path parameters are percent-decoded, in pattern order.
struct Context {
  storage::Store& store;
  const core::Actor& actor;  // the authenticated key; actor.org_id scopes every store call
  const Request& request;
  const std::vector<std::string>& params;
  json::PermissionPolicy permissions;
};

// A handler returns the JSON body of its 200 response and throws core::Error for refusals.
using Handler = std::string (*)(const Context&);

// users.cpp — /organization/users[/{user_id}]
std::string ListUsers(const Context& context);
std::string RetrieveUser(const Context& context);
std::string ModifyUser(const Context& context);
std::string DeleteUser(const Context& context);

// user_roles.cpp — /organization/users/{user_id}/roles[/{role_id}]
std::string ListUserRoles(const Context& context);
std::string AssignUserRole(const Context& context);
std::string RetrieveUserRole(const Context& context);
std::string UnassignUserRole(const Context& context);

// roles.cpp — /organization/roles[/{role_id}]
std::string ListRoles(const Context& context);
std::string CreateRole(const Context& context);
std::string RetrieveRole(const Context& context);
std::string UpdateRole(const Context& context);
std::string DeleteRole(const Context& context);

}  // namespace roster::api::handlers

// The endpoint handlers, grouped by resource (users.cpp, user_roles.cpp, roles.cpp) and named
// Verb+Resource. Each one decodes and validates its input, makes one store call and encodes the
// result; the router has already matched the route and authenticated the caller.
#pragma once

#include <string>
#include <vector>

#include "api/json/bodies.hpp"
#include "api/request.hpp"
#include "core/clock.hpp"
#include "core/model.hpp"
#include "storage/store.hpp"

namespace roster::api {
class Metrics;
struct TestControls;
}  // namespace roster::api

namespace roster::api::handlers {

// Everything a handler may use. Path parameters are percent-decoded, in pattern order.
struct Context {
  storage::Store& store;
  // The authenticated key; actor.org_id scopes every store call. Empty on Access::kPublic routes.
  const core::Actor& actor;
  const Request& request;
  const std::vector<std::string>& params;
  json::PermissionPolicy permissions;
  const core::Clock& clock;            // the server's clock (expiry of new keys and invites)
  core::Timestamp invite_ttl_seconds;  // how long a new invite stays pending (RouterOptions)
  // Operations (RouterOptions): GET /metrics renders `metrics` (null: 404); the /roster/test/
  // routes use `test_controls` (null: 404, as unknown URLs).
  const Metrics* metrics = nullptr;
  TestControls* test_controls = nullptr;
};

// A handler returns the JSON body of its 200 response and throws core::Error for refusals.
using Handler = std::string (*)(const Context&);
// A handler that writes its whole response (status, content type, headers): the console's pages
// and assets. Refusals are thrown as core::Error and rendered as JSON like any other.
using PageHandler = Response (*)(const Context&);

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

// groups.cpp — /organization/groups[/{group_id}], …/users[/{user_id}], …/roles[/{role_id}]
std::string ListGroups(const Context& context);
std::string CreateGroup(const Context& context);
std::string RetrieveGroup(const Context& context);
std::string UpdateGroup(const Context& context);
std::string DeleteGroup(const Context& context);
std::string ListGroupUsers(const Context& context);
std::string AddGroupUser(const Context& context);
std::string RetrieveGroupUser(const Context& context);
std::string RemoveGroupUser(const Context& context);
std::string ListGroupRoles(const Context& context);
std::string AssignGroupRole(const Context& context);
std::string RetrieveGroupRole(const Context& context);
std::string UnassignGroupRole(const Context& context);

// invites.cpp — /v1/organization/invites[/{invite_id}]
std::string ListInvites(const Context& context);
std::string CreateInvite(const Context& context);
std::string RetrieveInvite(const Context& context);
std::string DeleteInvite(const Context& context);
// invites.cpp — Roster's acceptance, outside /v1 and without a key (Access::kPublic):
// GET /roster/invites/{token} (what the acceptance page shows), POST /roster/invites/accept.
std::string RetrievePublicInvite(const Context& context);
std::string AcceptInvite(const Context& context);
// invites.cpp — POST /roster/organization/invites/{invite_id}/link: issues a new acceptance path
// for a pending invite (the previous one stops working), for admins who may manage invites (the
// console's "copy link").
std::string IssueInviteLink(const Context& context);

// console.cpp — the web console (web/, embedded at build time), public: GET / and
// /invite/{token} (the page), /assets/{version}/{name} (its files), /roster/permissions (the
// permission catalogue the role editor offers).
Response ServeConsolePage(const Context& context);
Response ServeConsoleAsset(const Context& context);
std::string ListPermissionCatalogue(const Context& context);

// operations.cpp — Roster's operations routes, keyless: GET /healthz (the process answers),
// GET /readyz (the store answers; 503 otherwise), GET /metrics (Prometheus text; 404 without
// RouterOptions::metrics), and the test controls under /roster/test/ (404 without
// RouterOptions::test_controls): reset, snapshots, clock and faults.
std::string Healthz(const Context& context);
std::string Readyz(const Context& context);
// GET /v1/openapi.json, keyless: the OpenAPI document of what this server serves.
std::string RetrieveOpenApi(const Context& context);
Response ServeMetrics(const Context& context);
std::string ResetState(const Context& context);
std::string SaveSnapshot(const Context& context);
std::string RestoreSnapshot(const Context& context);
std::string GetTestClock(const Context& context);
std::string SetTestClock(const Context& context);
std::string ListFaults(const Context& context);
std::string AddFault(const Context& context);
std::string ClearFaults(const Context& context);

// audit_logs.cpp — /v1/organization/audit_logs
std::string ListAuditLogs(const Context& context);

// admin_api_keys.cpp — /v1/organization/admin_api_keys[/{key_id}]
std::string ListAdminApiKeys(const Context& context);
std::string CreateAdminApiKey(const Context& context);
std::string RetrieveAdminApiKey(const Context& context);
std::string DeleteAdminApiKey(const Context& context);

}  // namespace roster::api::handlers

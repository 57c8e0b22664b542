// The two permission tables of docs/PERMISSIONS.md, rendered from the code's own tables (the
// catalogue in core/permissions.cpp, the routes in api/routes.cpp) so the doc cannot drift: a
// unit test compares them with the file.
#pragma once

#include <string>

namespace roster::api {

// Markdown table: permission, description, Owner, Reader — one row per catalogue entry.
std::string RenderPermissionCatalogue();

// Markdown table: method, path, permission — one row per route, in table order; public routes
// say so instead of naming a permission.
std::string RenderRoutePermissions();

}  // namespace roster::api

// Markdown rendering of the permission catalogue and of the permission each route needs.
#include "api/permissions_doc.hpp"

#include "api/routes.hpp"
#include "core/permissions.hpp"

namespace roster::api {
namespace {

constexpr std::string_view kYes = "yes";
constexpr std::string_view kNo = "no";

}  // namespace

std::string RenderPermissionCatalogue() {
  std::string out = "| permission | description | Owner | Reader |\n|---|---|---|---|\n";
  for (const core::PermissionInfo& info : core::PermissionCatalogue()) {
    out += "| `";
    out += info.name;
    out += "` | ";
    out += info.description;
    out += " | ";
    out += kYes;  // Owner holds every permission
    out += " | ";
    out += info.reader_has ? kYes : kNo;
    out += " |\n";
  }
  return out;
}

std::string RenderRoutePermissions() {
  std::string out = "| method | path | permission |\n|---|---|---|\n";
  for (const Route& route : Routes()) {
    out += "| ";
    out += route.method;
    out += " | `";
    out += route.pattern;
    out += "` | ";
    if (route.access == Access::kPublic) {
      out += "none (public, no key)";
    } else {
      out += '`';
      out += route.permission;
      out += '`';
    }
    out += " |\n";
  }
  return out;
}

}  // namespace roster::api

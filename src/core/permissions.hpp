// The permission catalogue: every string a role may hold (seeded with CONTRACT §8.6), and which
// of them the predefined roles carry. One table, also rendered in docs/PERMISSIONS.md.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace roster::core {

// The permissions Roster's own endpoints check (api/routes.cpp); all are in the catalogue.
namespace permission {
inline constexpr std::string_view kAuditLogsRead = "api.audit_logs.read";
inline constexpr std::string_view kGroupsRead = "api.groups.read";
inline constexpr std::string_view kGroupsWrite = "api.groups.write";
inline constexpr std::string_view kManagementRead = "api.management.read";
inline constexpr std::string_view kManagementWrite = "api.management.write";
inline constexpr std::string_view kRolesRead = "api.roles.read";
inline constexpr std::string_view kRolesWrite = "api.roles.write";
}  // namespace permission

struct PermissionInfo {
  std::string_view name;
  std::string_view description;
  bool reader_has;  // `Reader` holds it; `Owner` holds every permission
};

// The whole catalogue, sorted by name.
std::span<const PermissionInfo> PermissionCatalogue() noexcept;

// True when `name` is in the catalogue.
bool IsKnownPermission(std::string_view name) noexcept;

// True when `name` is syntactically a permission string (lowercase dotted words); used when the
// server accepts permissions outside the catalogue.
bool IsWellFormedPermission(std::string_view name) noexcept;

// Sorted permissions of a predefined role.
std::vector<std::string> PredefinedPermissions(BaseRole role);

}  // namespace roster::core

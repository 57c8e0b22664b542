// The permission catalogue table.
#include "core/permissions.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace roster::core {
namespace {

// Sorted by name (checked by a unit test). Strings marked in CONTRACT §8.6 plus the dashboard's
// permission areas of the RBAC guide.
constexpr std::array kCatalogue = {
    PermissionInfo{"api.all.read", "Read everything", true},
    PermissionInfo{"api.assistants.read", "Read assistants", true},
    PermissionInfo{"api.assistants.write", "Create and change assistants", true},
    PermissionInfo{"api.audit_logs.read", "Read the audit log", true},
    PermissionInfo{"api.batch.read", "Read batches", true},
    PermissionInfo{"api.batch.write", "Create and cancel batches", true},
    PermissionInfo{"api.evals.read", "Read evals", true},
    PermissionInfo{"api.evals.write", "Create and run evals", true},
    PermissionInfo{"api.files.read", "Read files", true},
    PermissionInfo{"api.files.write", "Upload and delete files", true},
    PermissionInfo{"api.fine_tuning.read", "Read fine-tuning jobs", true},
    PermissionInfo{"api.fine_tuning.write", "Create fine-tuning jobs", true},
    PermissionInfo{"api.groups.read", "Read groups and their members and roles", true},
    PermissionInfo{"api.groups.write", "Create, change and delete groups", false},
    PermissionInfo{"api.management.read", "Read organization management (users, invites, keys)",
                   true},
    PermissionInfo{"api.management.write", "Change organization management (users, invites, keys)",
                   false},
    PermissionInfo{"api.model.audio.request", "Make audio model requests", true},
    PermissionInfo{"api.model.image.request", "Make image model requests", true},
    PermissionInfo{"api.model.read", "List models", true},
    PermissionInfo{"api.model.request", "Make model requests", true},
    PermissionInfo{"api.organization.projects.api_keys.read", "Read project API keys", true},
    PermissionInfo{"api.organization.projects.api_keys.write", "Manage project API keys", false},
    PermissionInfo{"api.responses.write", "Create responses", true},
    PermissionInfo{"api.roles.read", "Read roles and role assignments", true},
    PermissionInfo{"api.roles.write", "Create, change, delete and assign roles", false},
    PermissionInfo{"api.threads.read", "Read threads", true},
    PermissionInfo{"api.threads.write", "Create and change threads", true},
    PermissionInfo{"api.usage.read", "Read usage", true},
    PermissionInfo{"api.vector_stores.read", "Read vector stores", true},
    PermissionInfo{"api.vector_stores.write", "Create and change vector stores", true},
    PermissionInfo{"api.videos.write", "Create videos", true},
    PermissionInfo{"api.webhooks.read", "Read webhooks", true},
};

}  // namespace

std::span<const PermissionInfo> PermissionCatalogue() noexcept { return kCatalogue; }

bool IsKnownPermission(std::string_view name) noexcept {
  return std::binary_search(
      kCatalogue.begin(), kCatalogue.end(), name, [](const auto& a, const auto& b) {
        if constexpr (std::is_same_v<std::decay_t<decltype(a)>, PermissionInfo>) {
          if constexpr (std::is_same_v<std::decay_t<decltype(b)>, PermissionInfo>) {
            return a.name < b.name;
          } else {
            return a.name < b;
          }
        } else {
          return a < b.name;
        }
      });
}

bool IsWellFormedPermission(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128 || name.front() == '.' || name.back() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
  });
}

std::vector<std::string> PredefinedPermissions(BaseRole role) {
  std::vector<std::string> out;
  for (const auto& p : kCatalogue) {
    if (role == BaseRole::kOwner || p.reader_has) out.emplace_back(p.name);
  }
  return out;
}

}  // namespace roster::core

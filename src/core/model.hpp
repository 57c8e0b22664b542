// Domain types shared by every layer: organizations, accounts, memberships, roles, holdings,
// admin keys and audit events. Plain values; no behaviour beyond small helpers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace roster::core {

using Timestamp = std::int64_t;  // Unix seconds

// The member's base role: exactly one of the predefined organization roles (CONTRACT N-2).
enum class BaseRole { kOwner, kReader };

std::string_view ToString(BaseRole role) noexcept;             // "owner" / "reader"
std::optional<BaseRole> ParseBaseRole(std::string_view text);  // "owner" / "reader" only
// Names of the predefined organization roles (`Owner`, `Reader`).
std::string_view PredefinedRoleName(BaseRole role) noexcept;

inline constexpr std::string_view kOrgResourceType = "api.organization";
inline constexpr std::string_view kDefaultProjectName = "Default project";

struct Organization {
  std::string id;
  std::string name;
  std::string default_project_id;
  Timestamp created_at = 0;
};

// The nested `user` object: a person's account, shared by all organizations they belong to.
struct Account {
  std::string id;  // `user-…`; also the membership id
  std::string email;
  std::string name;
  std::optional<std::string> picture;
  bool enabled = true;
  Timestamp created_at = 0;
};

// The `organization.user` object: an account's membership in one organization.
struct Member {
  Account account;
  std::string org_id;
  BaseRole base_role = BaseRole::kReader;
  Timestamp added_at = 0;
  std::optional<std::string> technical_level;
  std::optional<std::string> developer_persona;
  std::string default_project_id;  // every member belongs to the org's default project
  std::string default_project_name;
};

// An organization role (predefined or custom). `permissions` is kept sorted and unique.
struct Role {
  std::string id;  // `role_…`, time-ordered
  std::string org_id;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> permissions;
  std::string resource_type{kOrgResourceType};
  bool predefined = false;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<std::string> created_by;  // user id of the creator; null for predefined roles
  std::optional<std::string> created_by_name;
  std::optional<std::string> created_by_email;
};

// Where a holding comes from (`assignment_sources`, CONTRACT §7.9).
struct AssignmentSource {
  std::string principal_id;
  std::string principal_type;  // "user" | "group"
};

// A role as held by a principal: AssignedRoleDetails on the wire.
struct HeldRole {
  Role role;
  std::vector<AssignmentSource> sources;
};

// An admin API key, without its secret (only the SHA-256 hash is stored).
struct AdminKey {
  std::string id;  // `key_…`
  std::string org_id;
  std::optional<std::string> name;
  std::string redacted_value;  // `sk-admin...xyz`
  Timestamp created_at = 0;
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> last_used_at;
  std::string owner_user_id;
  // The owner as shown in the key's `owner` object (CONTRACT §10.2); filled by reads.
  std::string owner_name;
  std::string owner_email;
  Timestamp owner_added_at = 0;
  BaseRole owner_role = BaseRole::kReader;
};

// A group of members; roles assigned to it are held by every member (CONTRACT §9, §7.9).
struct Group {
  std::string id;  // `group_…`, time-ordered
  std::string org_id;
  std::string name;
  Timestamp created_at = 0;
};

// A project an invite grants (CONTRACT §10.1); `role` is "owner" or "member".
struct InviteProject {
  std::string id;
  std::string role;
};

enum class InviteStatus { kPending, kAccepted, kExpired };
std::string_view ToString(InviteStatus status) noexcept;  // "pending" / "accepted" / "expired"

// An invitation to join an organization. The acceptance link's secret token is never stored:
// `token_hash` is its SHA-256 (crypto::InviteTokenHash), like an admin key's hash.
struct Invite {
  std::string id;  // `invite-…`, time-ordered
  std::string org_id;
  std::string email;
  BaseRole role = BaseRole::kReader;
  Timestamp created_at = 0;
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> accepted_at;
  std::vector<InviteProject> projects;
  std::string token_hash;
  std::optional<std::string> accepted_user_id;

  // accepted once accepted_at is set; expired when pending past expires_at.
  InviteStatus StatusAt(Timestamp now) const noexcept;
};

// Who is acting: the authenticated key and its owner. Stored on audit events.
struct Actor {
  std::string org_id;
  std::string key_id;
  std::string user_id;
  std::string user_email;
};

// One audit event. `payload` is the object stored under the key named by `type` (§11.4).
// nlohmann::json is used here as a value type: an event's payload is a JSON document by definition
// and must be written in the same transaction as the change it records.
struct AuditEvent {
  std::string id;  // `audit_log-…`
  std::string org_id;
  std::string type;
  Timestamp effective_at = 0;
  std::string resource_id;
  nlohmann::json payload = nlohmann::json::object();
  std::optional<Actor> actor;  // null for changes made from the shell
};

// A page of a keyset-paginated list.
template <typename T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
};

enum class SortOrder { kAsc, kDesc };

}  // namespace roster::core

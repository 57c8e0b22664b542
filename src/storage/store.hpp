// The storage interface: every operation Roster performs on its state. One implementation per
// backend (sqlite/ now, postgres/ later), held to the same conformance suite (tests/storage).
//
// Rules every implementation follows:
// - Each public method is one transaction: it either commits entirely (including the audit
//   events it writes) or changes nothing.
// - Reads of a single object return std::nullopt when it does not exist in that organization.
//   Writes throw core::Error (kNotFound, kInvalidRequest with a `code`) for refusals.
// - Everything is scoped by `org_id`; ids of another organization behave as missing.
// - Driver failures become core::Error kUnavailable (busy/locked/IO, retry later) or kInternal,
//   with the driver's message in detail() only.
// - Methods are thread-safe: the server calls them from several worker threads at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/model.hpp"

namespace roster::storage {

// Keyset pagination over a list sorted by the list's own order.
struct ListQuery {
  std::optional<std::string> after;  // id of the last item of the previous page
  int limit = 20;                    // already validated by the caller (>= 1)
  core::SortOrder order = core::SortOrder::kAsc;
};

struct ListMembersQuery {
  std::optional<std::string> after;  // user id; deleted members stay valid cursors
  int limit = 20;
  std::vector<std::string> emails;  // any-of, case-insensitive exact match; empty = all
};

struct NewMember {
  std::string email;  // an existing account with this email (case-insensitive) is reused
  std::string name;
  core::BaseRole base_role = core::BaseRole::kReader;
};

// POST /organization/users/{id}. Absent fields leave the member unchanged.
struct MemberPatch {
  std::optional<core::BaseRole> base_role;     // `role`
  std::optional<std::string> role_id;          // `role_id`: predefined → swap base, else assign
  std::optional<std::string> technical_level;  // free-form metadata
  std::optional<std::string> developer_persona;
};

struct NewRole {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> permissions;  // validated, sorted and unique
};

struct RolePatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> permissions;  // replaces the whole set
};

struct Assignment {
  core::Member member;  // after the change
  core::Role role;
};

// What authentication needs to know about a key, found by the SHA-256 of its value.
struct KeyRecord {
  core::AdminKey key;
  std::string key_hash;  // lowercase hex SHA-256 as stored
  core::Actor actor;     // the key and its owner; owner must still be a member
};

// The audit log, newest first (`effective_at` desc, then id desc). Filters come with the audit
// log endpoint; `after` is the id of the last event of the previous page.
struct AuditQuery {
  std::optional<std::string> after;
  int limit = 20;
};

struct NewAdminKey {
  std::string owner_user_id;
  std::optional<std::string> name;
  std::string key_hash;        // lowercase hex SHA-256 of the value
  std::string redacted_value;  // `sk-admin...xyz`
  std::optional<core::Timestamp> expires_at;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- organizations -------------------------------------------------------------------------

  // All organizations, oldest first.
  virtual std::vector<core::Organization> ListOrganizations() = 0;
  // Creates an organization with its predefined `Owner` and `Reader` roles and its default project.
  virtual core::Organization CreateOrganization(std::string_view name) = 0;
  virtual std::optional<core::Organization> GetOrganization(std::string_view org_id) = 0;

  // --- admin keys ----------------------------------------------------------------------------

  // The live key with this hash (not deleted; its owner still a member), or nullopt. Expiry is
  // the caller's decision (it has the clock and the policy).
  virtual std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) = 0;
  // Stores a new key for a member of `org_id`. Throws kNotFound when the owner is not a member.
  virtual core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor,
                                        std::string_view org_id, const NewAdminKey& key) = 0;

  // --- members -------------------------------------------------------------------------------

  // Adds a member (creating the account when no account has the email). Writes `user.added`.
  // Throws kInvalidRequest code `already_member` when the account is already a member.
  virtual core::Member AddMember(const std::optional<core::Actor>& actor, std::string_view org_id,
                                 const NewMember& member) = 0;
  // Adds many members in one transaction, without audit events (synthetic data for demos and
  // benchmarks). Emails must be new. Returns how many were added.
  virtual std::size_t AddMembersBulk(std::string_view org_id,
                                     const std::vector<NewMember>& members) = 0;
  virtual std::optional<core::Member> GetMember(std::string_view org_id,
                                                std::string_view user_id) = 0;
  // Members in join order. Throws InvalidValue("after") when `after` never named a member.
  virtual core::Page<core::Member> ListMembers(std::string_view org_id,
                                               const ListMembersQuery& query) = 0;
  // Applies a patch. `role`/predefined `role_id` swap the base role (last owner → 400
  // `last_owner`); a custom `role_id` is assigned as by AssignUserRole; both given and
  // disagreeing → 400 `conflicting_parameters`. Writes `user.updated` when the base role changes
  // and `role.assignment.created` for a new custom assignment. Throws kNotFound (user or role).
  virtual core::Member UpdateMember(const core::Actor& actor, std::string_view org_id,
                                    std::string_view user_id, const MemberPatch& patch) = 0;
  // Removes the membership, its role assignments and group memberships. Writes `user.deleted`.
  // Throws kNotFound, or 400 `last_owner`.
  virtual void DeleteMember(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id) = 0;

  // --- roles ---------------------------------------------------------------------------------

  // Organization roles (predefined first, as they are created with the org) by creation order.
  // Throws InvalidValue("after") when `after` never named a role of this organization.
  virtual core::Page<core::Role> ListRoles(std::string_view org_id, const ListQuery& query) = 0;
  virtual std::optional<core::Role> GetRole(std::string_view org_id, std::string_view role_id) = 0;
  // Throws 400 `role_name_taken` (param `role_name`) when the name exists (case-insensitive).
  // Writes `role.created`.
  virtual core::Role CreateRole(const core::Actor& actor, std::string_view org_id,
                                const NewRole& role) = 0;
  // Throws kNotFound, 400 `predefined_role_immutable`, 400 `role_name_taken`. Writes
  // `role.updated` with only the changed keys, and nothing when nothing changed.
  virtual core::Role UpdateRole(const core::Actor& actor, std::string_view org_id,
                                std::string_view role_id, const RolePatch& patch) = 0;
  // Deletes a custom role with all its assignments (writes `role.assignment.deleted` for each,
  // then `role.deleted`). Throws kNotFound, 400 `predefined_role_immutable`.
  virtual void DeleteRole(const core::Actor& actor, std::string_view org_id,
                          std::string_view role_id) = 0;

  // --- role holdings -------------------------------------------------------------------------

  // Every organization role the member holds: the base role plus direct assignments (and, later,
  // group-inherited ones), sorted by role creation order, with their sources. Throws kNotFound
  // when the user is not a member; InvalidValue("after") when `after` is not a role id of the org.
  virtual core::Page<core::HeldRole> ListUserRoles(std::string_view org_id,
                                                   std::string_view user_id,
                                                   const ListQuery& query) = 0;
  // The role as held by the member, or nullopt (no such member, role, or holding).
  virtual std::optional<core::HeldRole> GetUserRole(std::string_view org_id,
                                                    std::string_view user_id,
                                                    std::string_view role_id) = 0;
  // Assigns a role. A predefined role swaps the base role (demoting the last owner → 400
  // `last_owner`); holding it already is a no-op returning the same result and writing no event.
  // Throws kNotFound (user or role).
  virtual Assignment AssignUserRole(const core::Actor& actor, std::string_view org_id,
                                    std::string_view user_id, std::string_view role_id) = 0;
  // Removes a direct assignment. Unassigning `Owner` from an owner demotes them to `Reader`
  // (last owner → 400 `last_owner`); unassigning `Reader` → 400 `base_role_required`.
  // Throws kNotFound when the user, the role or the holding does not exist.
  virtual void UnassignUserRole(const core::Actor& actor, std::string_view org_id,
                                std::string_view user_id, std::string_view role_id) = 0;

  // --- audit log -----------------------------------------------------------------------------

  // Events of the organization, newest first. Throws InvalidValue("after") for an unknown cursor.
  virtual core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                                       const AuditQuery& query) = 0;
};

}  // namespace roster::storage

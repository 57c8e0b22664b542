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
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/model.hpp"
#include "storage/export_format.hpp"

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
  // The owner's effective permissions: the union over every role they hold (base role, direct
  // assignments, group roles), sorted and unique. Read in the same transaction as the key.
  std::vector<std::string> permissions;
  // The organization's authentication version (AuthGeneration) read in the same snapshot as the
  // key and permissions; nullopt when the store keeps none (then nothing may be cached).
  std::optional<std::int64_t> auth_generation{};
};

// The audit log, newest first (`effective_at` desc, then id desc). Filters combine with AND,
// values within one list with OR (CONTRACT §11.1). `after` is the id of the last event of the
// previous page (older events follow); `before` the id of the first event of the previous page
// (newer events, returned newest first as well).
struct AuditQuery {
  std::optional<std::string> after;
  int limit = 20;
  std::optional<std::string> before{};
  std::optional<core::Timestamp> effective_gt{}, effective_gte{}, effective_lt{}, effective_lte{};
  std::vector<std::string> event_types{};
  std::vector<std::string> actor_ids{};  // user id or admin key id of the actor
  std::vector<std::string> actor_emails{};
  std::vector<std::string> resource_ids{};
  std::vector<std::string> project_ids{};
};

struct NewInvite {
  std::string email;
  core::BaseRole role = core::BaseRole::kReader;
  // nullopt = the default project (legacy behaviour); empty = no project. Ids must be projects
  // of the organization (only its default project exists today) else 400 param `projects`.
  std::optional<std::vector<core::InviteProject>> projects;
  core::Timestamp expires_at = 0;
  std::string token_hash;  // crypto::InviteTokenHash of the link's secret, made by the caller
};

struct GroupAssignment {
  core::Group group;
  core::Role role;
};

struct NewAdminKey {
  std::string owner_user_id;
  std::optional<std::string> name;
  std::string key_hash;        // lowercase hex SHA-256 of the value
  std::string redacted_value;  // `sk-admin...xyz`
  std::optional<core::Timestamp> expires_at;
};

// An organization created with its first owner and that owner's admin key, in one transaction
// (`roster serve` on an empty store, `roster orgs create`).
struct NewOrganization {
  std::string name;
  NewMember owner;  // joins with owner.base_role (Owner for a bootstrap)
  NewAdminKey key;  // owner_user_id is ignored: the key belongs to the new owner
};

struct CreatedOrganization {
  core::Organization organization;
  core::Member owner;
  core::AdminKey key;
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
  // CreateOrganization + AddMember + CreateAdminKey (no actor: `user.added` and
  // `api_key.created`) as one transaction: a failure leaves no organization without its owner
  // or key behind.
  virtual CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) {
    (void)request;
    throw core::Error(core::ErrorKind::kInternal, "this store cannot create organizations");
  }

  // --- admin keys ----------------------------------------------------------------------------

  // The live key with this hash (not deleted; its owner still a member), or nullopt. Expiry is
  // the caller's decision (it has the clock and the policy).
  virtual std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) = 0;
  // The organization's authentication version: a value that changes, in the same transaction, with
  // every write that can change what a live key of the organization may do (revoked key, removed
  // member, base role, role permissions or deletion, user or group role assignments, group
  // members, deleted group), whichever process or node writes. A KeyRecord read when this had
  // value V is still exact while it has V (api/auth_cache.hpp). Never repeats an older value
  // for a different state. nullopt: this store keeps no version (callers must not cache). One
  // primary-key read.
  virtual std::optional<std::int64_t> AuthGeneration(std::string_view org_id) {
    (void)org_id;
    return std::nullopt;
  }
  // Stores a new key for a member of `org_id`. Throws kNotFound when the owner is not a member.
  // Writes `api_key.created` ({id, data:{scopes:[]}}).
  virtual core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor,
                                        std::string_view org_id, const NewAdminKey& key) = 0;
  // Live keys of the organization by creation order (id). Throws InvalidValue("after") when
  // `after` never named a key of the organization.
  virtual core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                                   const ListQuery& query) = 0;
  virtual std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                                    std::string_view key_id) = 0;
  // Revokes a key (tombstone): it stops authenticating at once. Writes `api_key.deleted`.
  // Throws kNotFound.
  virtual void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                              std::string_view key_id) = 0;
  // Records use of a key (`last_used_at`); the caller rate-limits calls (coarse is fine).
  virtual void TouchAdminKey(std::string_view key_id, core::Timestamp when) = 0;

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

  // Every organization role the member holds: the base role, direct assignments and roles of
  // the groups they belong to, one entry per role sorted by role creation order, with all its
  // sources (user first, then groups by group id; CONTRACT §7.9). Throws kNotFound
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
  // (last owner → 400 `last_owner`); unassigning `Reader` → 400 `base_role_required`; a role held
  // only through groups → 400 `role_inherited_from_group` (message names the group).
  // Throws kNotFound when the user, the role or the holding does not exist.
  virtual void UnassignUserRole(const core::Actor& actor, std::string_view org_id,
                                std::string_view user_id, std::string_view role_id) = 0;

  // --- groups ------------------------------------------------------------------------------

  // Groups by creation order (id). Throws InvalidValue("after") for an unknown cursor.
  virtual core::Page<core::Group> ListGroups(std::string_view org_id, const ListQuery& query) = 0;
  virtual std::optional<core::Group> GetGroup(std::string_view org_id,
                                              std::string_view group_id) = 0;
  // Writes `group.created` ({id, data:{group_name}}).
  virtual core::Group CreateGroup(const core::Actor& actor, std::string_view org_id,
                                  std::string_view name) = 0;
  // Renames; writes `group.updated` ({id, changes_requested:{group_name}}) only when the name
  // changes. Throws kNotFound.
  virtual core::Group UpdateGroup(const core::Actor& actor, std::string_view org_id,
                                  std::string_view group_id, std::string_view name) = 0;
  // Deletes the group with its memberships and role assignments (one `role.assignment.deleted`
  // per role, principal_type "group"), then `group.deleted`. Throws kNotFound.
  virtual void DeleteGroup(const core::Actor& actor, std::string_view org_id,
                           std::string_view group_id) = 0;
  // Members of the group ordered by user id (asc or desc). `after` is a user id. Throws
  // kNotFound for the group.
  virtual core::Page<core::Member> ListGroupUsers(std::string_view org_id,
                                                  std::string_view group_id,
                                                  const ListQuery& query) = 0;
  // Adds a member to the group; already in it → no-op. Throws kNotFound (group or member).
  virtual void AddGroupUser(const core::Actor& actor, std::string_view org_id,
                            std::string_view group_id, std::string_view user_id) = 0;
  virtual std::optional<core::Member> GetGroupUser(std::string_view org_id,
                                                   std::string_view group_id,
                                                   std::string_view user_id) = 0;
  // Throws kNotFound when the group, the member or the membership does not exist.
  virtual void RemoveGroupUser(const core::Actor& actor, std::string_view org_id,
                               std::string_view group_id, std::string_view user_id) = 0;
  // Roles assigned to the group by role creation order; sources = [{group_id, "group"}].
  virtual core::Page<core::HeldRole> ListGroupRoles(std::string_view org_id,
                                                    std::string_view group_id,
                                                    const ListQuery& query) = 0;
  virtual std::optional<core::HeldRole> GetGroupRole(std::string_view org_id,
                                                     std::string_view group_id,
                                                     std::string_view role_id) = 0;
  // Assigns a role to the group (idempotent, no event on replay); writes
  // `role.assignment.created` with principal_type "group". Throws kNotFound.
  virtual GroupAssignment AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                          std::string_view group_id, std::string_view role_id) = 0;
  // Throws kNotFound when the group, the role or the assignment does not exist.
  virtual void UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                                 std::string_view group_id, std::string_view role_id) = 0;

  // --- invites -------------------------------------------------------------------------------

  // Invites (deleted ones excluded) by creation order. Throws InvalidValue("after").
  virtual core::Page<core::Invite> ListInvites(std::string_view org_id, const ListQuery& query) = 0;
  virtual std::optional<core::Invite> GetInvite(std::string_view org_id,
                                                std::string_view invite_id) = 0;
  // Writes `invite.sent` ({id, data:{email, role}}). Refuses (400) an email that is already a
  // member (`already_member`) or has a pending, unexpired invite (`invite_already_exists`), and
  // unknown projects (param `projects`).
  virtual core::Invite CreateInvite(const core::Actor& actor, std::string_view org_id,
                                    const NewInvite& invite) = 0;
  // Revokes an invite (tombstone). Accepted → 400 `invite_already_accepted`. Writes
  // `invite.deleted`. Throws kNotFound.
  virtual void DeleteInvite(const core::Actor& actor, std::string_view org_id,
                            std::string_view invite_id) = 0;
  // The live (not deleted) invite whose acceptance token hashes to `token_hash`, in any
  // organization.
  virtual std::optional<core::Invite> FindInviteByTokenHash(std::string_view token_hash) = 0;
  // Gives a live, not yet accepted invite a new acceptance token (its hash): the previous link
  // stops working. Not audited (the invite itself does not change). Throws kNotFound when the
  // invite is unknown, revoked or accepted meanwhile.
  virtual core::Invite ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                          std::string_view token_hash) = 0;
  // Accepts: the invite's email joins with the invite's role (an existing account keeps its id
  // and name; `name` names a new account). Writes `invite.accepted` and `user.added` with the
  // new member as actor. Refuses with 400: unknown or revoked token `invite_not_found`, expired
  // `invite_expired`, used `invite_already_accepted`, already a member `already_member`.
  virtual core::Member AcceptInvite(std::string_view token_hash, std::string_view name) = 0;

  // --- audit log -----------------------------------------------------------------------------

  // Events of the organization, newest first. Throws InvalidValue("after") for an unknown cursor.
  virtual core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                                       const AuditQuery& query) = 0;

  // --- whole-database export / import (`roster export` / `roster import`) ---------------------

  // Receives the rows of an export: first the header (table "", exchange::Header), then every
  // row of every table in exchange::Tables() order, each table in primary-key order.
  using ExportSink = std::function<void(std::string_view table, const nlohmann::ordered_json& row)>;
  // Calls `sink` with the whole database, read in one consistent snapshot.
  virtual void ExportAll(const ExportSink& sink) {
    (void)sink;
    throw core::Error(core::ErrorKind::kInternal, "this store cannot export");
  }
  // Writes `rows` (checked with exchange::CheckRow first) into this store in one transaction,
  // keeping every id and seq. Refuses (kInvalidRequest, nothing written) when the store holds
  // any row already, when `schema_version` is not the store's, or when a row is malformed or
  // violates the schema.
  virtual void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) {
    (void)schema_version;
    (void)rows;
    throw core::Error(core::ErrorKind::kInternal, "this store cannot import");
  }
};

}  // namespace roster::storage

// SqliteStore: organization roles and the roles members hold (base role, direct assignments and
// the roles of their groups).
#include <algorithm>
#include <iterator>
#include <utility>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/sql_groups.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/store_support.hpp"
#include "storage/sqlite/transaction.hpp"

namespace roster::storage::sqlite {
namespace {

using Mode = Transaction::Mode;

core::Error PredefinedImmutable() {
  return core::BusinessRule(std::string(core::codes::kPredefinedRoleImmutable),
                            "Predefined roles cannot be changed or deleted.");
}

core::Error RoleNameTaken() {
  return core::BusinessRule(std::string(core::codes::kRoleNameTaken),
                            "A role with this name already exists in the organization.",
                            "role_name");
}

core::Error NotHeld(std::string_view role_id) {
  return core::NotFound("The user does not hold role '" + std::string(role_id) + "'.");
}

// Throws role_name_taken when a live role of the organization other than `self_id` has the
// normalized name (predefined names included: "owner" is taken in every organization).
void CheckNameFree(Connection& db, std::string_view org_id, std::string_view name_norm,
                   std::string_view self_id) {
  Statement stmt = db.Prepare(kSelectRoleNameTaken);
  stmt.BindText(1, org_id).BindText(2, name_norm).BindText(3, self_id);
  stmt.Step();
  if (stmt.Int(0) != 0) throw RoleNameTaken();
}

// Throws InvalidValue("after") unless `after` ever named a role of the organization.
void CheckRoleCursor(Connection& db, std::string_view org_id, const std::string& after) {
  Statement stmt = db.Prepare(kSelectRoleCursor);
  stmt.BindText(1, org_id).BindText(2, after);
  stmt.Step();
  if (stmt.Int(0) == 0) {
    throw core::InvalidValue(
        "after", "Invalid 'after': '" + after + "' is not a role of this organization.");
  }
}

core::Role LoadRoleOrThrow(Connection& db, std::string_view org_id, std::string_view role_id) {
  std::optional<RoleRow> row = SelectRole(db, org_id, role_id);
  if (!row) throw RoleNotFound(role_id);
  return std::move(row->role);
}

// The sources of one holding, user first (CONTRACT §7.9); groups are appended by the caller.
std::vector<core::AssignmentSource> DirectSources(bool direct, std::string_view user_id) {
  std::vector<core::AssignmentSource> sources;
  if (direct) sources.push_back(core::AssignmentSource{std::string(user_id), "user"});
  return sources;
}

// A row of kSelectUserRole / kListUserRoles*: the role, then whether it is held directly.
core::HeldRole ReadHeldRole(const Statement& row, std::string_view user_id) {
  constexpr int kDirectColumn = 12;
  core::HeldRole held{std::move(ReadRole(row).role), {}};
  held.sources = DirectSources(row.Int(kDirectColumn) != 0, user_id);
  return held;
}

// Appends the group sources of every holding in `items` (sorted by role id, either direction)
// with one statement over the page's id range.
void AddGroupSources(Connection& db, std::string_view org_id, std::string_view user_id,
                     std::vector<core::HeldRole>& items) {
  if (items.empty()) return;
  const auto [low, high] = std::minmax(items.front().role.id, items.back().role.id);
  Statement stmt = db.Prepare(kSelectInheritedSources);
  stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, low).BindText(4, high);
  while (stmt.Step()) {
    const std::string role_id = stmt.Text(0);
    const auto held = std::find_if(items.begin(), items.end(),
                                   [&](const core::HeldRole& h) { return h.role.id == role_id; });
    // Rows arrive by role then group id, so each holding's groups come out in group-id order.
    if (held != items.end()) held->sources.push_back({stmt.Text(1), "group"});
  }
}

// Refuses to unassign a role the member holds only through groups (NOTES N-5), naming them;
// when no group grants it either, the member simply does not hold it.
[[noreturn]] void ThrowNotDirectlyHeld(Connection& db, std::string_view org_id,
                                       std::string_view user_id, std::string_view role_id) {
  std::string groups;
  {
    Statement stmt = db.Prepare(kSelectGroupsGrantingRole);
    stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, role_id);
    while (stmt.Step()) {
      if (!groups.empty()) groups += ", ";
      groups += "'" + stmt.Text(1) + "' (" + stmt.Text(0) + ")";
    }
  }
  if (groups.empty()) throw NotHeld(role_id);
  throw core::BusinessRule(std::string(core::codes::kRoleInheritedFromGroup),
                           "The user holds role '" + std::string(role_id) +
                               "' only through group " + groups +
                               "; unassign it from the group or remove the user from the group.");
}

std::vector<std::string> Difference(const std::vector<std::string>& a,
                                    const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

// --- roles -----------------------------------------------------------------------------------

core::Page<core::Role> SqliteStore::ListRoles(std::string_view org_id, const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  std::optional<Transaction> txn;  // cursor check and page from one snapshot
  std::vector<core::Role> items;
  {
    if (query.after) {
      txn.emplace(*db, Mode::kRead);
      CheckRoleCursor(*db, org_id, *query.after);
    }
    Statement stmt = db->Prepare(query.after ? (asc ? kListRolesAscAfter : kListRolesDescAfter)
                                             : (asc ? kListRolesAsc : kListRolesDesc));
    stmt.BindText(1, org_id);
    if (query.after) {
      stmt.BindText(2, *query.after).BindInt(3, FetchLimit(limit));
    } else {
      stmt.BindInt(2, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(std::move(ReadRole(stmt).role));
  }
  if (txn) txn->Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::Role> SqliteStore::GetRole(std::string_view org_id, std::string_view role_id) {
  auto db = impl_->pool.Acquire();
  std::optional<RoleRow> row = SelectRole(*db, org_id, role_id);
  if (!row) return std::nullopt;
  return std::move(row->role);
}

core::Role SqliteStore::CreateRole(const core::Actor& actor, std::string_view org_id,
                                   const NewRole& role) {
  const core::Timestamp now = impl_->clock.Now();
  const std::string id = core::NewId(core::id_prefix::kRole);
  const std::string name_norm = Normalize(role.name);
  const std::vector<std::string> permissions = SortedUnique(role.permissions);

  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  if (!OrganizationExists(*db, org_id)) throw OrganizationNotFound(org_id);
  CheckNameFree(*db, org_id, name_norm, id);
  {
    Statement stmt = db->Prepare(kInsertRole);
    stmt.BindText(1, id)
        .BindText(2, org_id)
        .BindText(3, role.name)
        .BindText(4, name_norm)
        .BindOptText(5, role.description)
        .BindText(6, JoinPermissions(permissions))
        .BindInt(7, 0)
        .BindNull(8)
        .BindInt(9, now);
    // The creator is an account when the actor is a key's owner; a synthetic actor has none.
    if (actor.user_id.empty()) {
      stmt.BindNull(10);
    } else {
      stmt.BindText(10, actor.user_id);
    }
    stmt.Run(UniqueMeaning::kRoleNameTaken);
  }
  WriteAuditEvent(*db, now, actor, org_id, "role.created", id,
                  {{"id", id},
                   {"role_name", role.name},
                   {"permissions", permissions},
                   {"resource_type", std::string(core::kOrgResourceType)},
                   {"resource_id", std::string(org_id)}});
  core::Role created = LoadRoleOrThrow(*db, org_id, id);
  txn.Commit();
  return created;
}

core::Role SqliteStore::UpdateRole(const core::Actor& actor, std::string_view org_id,
                                   std::string_view role_id, const RolePatch& patch) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  core::Role role = LoadRoleOrThrow(*db, org_id, role_id);
  if (role.predefined) throw PredefinedImmutable();

  const std::string name = patch.name.value_or(role.name);
  const std::optional<std::string> description =
      patch.description ? patch.description : role.description;
  const std::vector<std::string> permissions =
      patch.permissions ? SortedUnique(*patch.permissions) : role.permissions;

  // Only what actually changes is recorded (CONTRACT §11.4); an update that changes nothing
  // writes nothing, so a retried request leaves one event.
  nlohmann::json changes = nlohmann::json::object();
  if (name != role.name) {
    CheckNameFree(*db, org_id, Normalize(name), role.id);
    changes["role_name"] = name;
  }
  if (description != role.description) changes["description"] = *description;
  const std::vector<std::string> added = Difference(permissions, role.permissions);
  const std::vector<std::string> removed = Difference(role.permissions, permissions);
  if (!added.empty()) changes["permissions_added"] = added;
  if (!removed.empty()) changes["permissions_removed"] = removed;
  if (changes.empty()) {
    txn.Commit();
    return role;
  }
  {
    Statement stmt = db->Prepare(kUpdateRole);
    stmt.BindText(1, org_id)
        .BindText(2, role.id)
        .BindText(3, name)
        .BindText(4, Normalize(name))
        .BindOptText(5, description)
        .BindText(6, JoinPermissions(permissions))
        .BindInt(7, now)
        .Run(UniqueMeaning::kRoleNameTaken);
  }
  WriteAuditEvent(*db, now, actor, org_id, "role.updated", role.id,
                  {{"id", role.id}, {"changes_requested", changes}});
  core::Role updated = LoadRoleOrThrow(*db, org_id, role.id);
  txn.Commit();
  return updated;
}

void SqliteStore::DeleteRole(const core::Actor& actor, std::string_view org_id,
                             std::string_view role_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  const core::Role role = LoadRoleOrThrow(*db, org_id, role_id);
  if (role.predefined) throw PredefinedImmutable();

  std::vector<std::string> holders;
  {
    Statement stmt = db->Prepare(kSelectRoleHolders);
    stmt.BindText(1, role.id);
    while (stmt.Step()) holders.push_back(stmt.Text(0));
  }
  std::vector<std::string> groups;
  {
    Statement stmt = db->Prepare(kSelectGroupsOfRole);
    stmt.BindText(1, role.id);
    while (stmt.Step()) groups.push_back(stmt.Text(0));
  }
  // One event per removed assignment (users, then groups), then the role's own (NOTES N-10).
  for (const std::string& user_id : holders) {
    WriteAuditEvent(*db, now, actor, org_id, "role.assignment.deleted",
                    AssignmentId(user_id, role.id), AssignmentPayload(org_id, user_id, role.id));
  }
  for (const std::string& group_id : groups) {
    WriteAuditEvent(*db, now, actor, org_id, "role.assignment.deleted",
                    AssignmentId(group_id, role.id),
                    GroupAssignmentPayload(org_id, group_id, role.id));
  }
  {
    Statement stmt = db->Prepare(kDeleteRoleAssignments);
    stmt.BindText(1, role.id).Run();
  }
  {
    Statement stmt = db->Prepare(kDeleteGroupAssignmentsOfRole);
    stmt.BindText(1, role.id).Run();
  }
  {
    // A tombstone keeps the id a valid `after` cursor and frees the name for a new role.
    Statement stmt = db->Prepare(kTombstoneRole);
    stmt.BindText(1, org_id).BindText(2, role.id).BindInt(3, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "role.deleted", role.id, {{"id", role.id}});
  txn.Commit();
}

// --- role holdings ---------------------------------------------------------------------------

core::Page<core::HeldRole> SqliteStore::ListUserRoles(std::string_view org_id,
                                                      std::string_view user_id,
                                                      const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);
  if (!IsMember(*db, org_id, user_id)) throw UserNotFound(user_id);
  if (query.after) CheckRoleCursor(*db, org_id, *query.after);

  std::vector<core::HeldRole> items;
  {
    Statement stmt =
        db->Prepare(query.after ? (asc ? kListUserRolesAscAfter : kListUserRolesDescAfter)
                                : (asc ? kListUserRolesAsc : kListUserRolesDesc));
    stmt.BindText(1, org_id).BindText(2, user_id);
    if (query.after) {
      stmt.BindText(3, *query.after).BindInt(4, FetchLimit(limit));
    } else {
      stmt.BindInt(3, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(ReadHeldRole(stmt, user_id));
  }
  core::Page<core::HeldRole> page = FinishPage(std::move(items), limit);
  AddGroupSources(*db, org_id, user_id, page.items);
  txn.Commit();
  return page;
}

std::optional<core::HeldRole> SqliteStore::GetUserRole(std::string_view org_id,
                                                       std::string_view user_id,
                                                       std::string_view role_id) {
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);  // the holding and its groups from one snapshot
  std::vector<core::HeldRole> held;
  {
    Statement stmt = db->Prepare(kSelectUserRole);
    stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, role_id);
    if (stmt.Step()) held.push_back(ReadHeldRole(stmt, user_id));
  }
  AddGroupSources(*db, org_id, user_id, held);
  txn.Commit();
  if (held.empty()) return std::nullopt;
  return std::move(held.front());
}

Assignment SqliteStore::AssignUserRole(const core::Actor& actor, std::string_view org_id,
                                       std::string_view user_id, std::string_view role_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  std::optional<MemberRow> member = SelectMember(*db, org_id, user_id);
  if (!member) throw UserNotFound(user_id);
  std::optional<RoleRow> role = SelectRole(*db, org_id, role_id);
  if (!role) throw RoleNotFound(role_id);

  if (role->base) {
    // A predefined role is the base role: assigning it swaps, it never adds a second one.
    SetBaseRole(*db, now, actor, *member, *role->base, "role_id");
  } else {
    AssignCustomRole(*db, now, actor, org_id, user_id, role->role.id);
  }
  txn.Commit();
  return Assignment{std::move(member->member), std::move(role->role)};
}

void SqliteStore::UnassignUserRole(const core::Actor& actor, std::string_view org_id,
                                   std::string_view user_id, std::string_view role_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  std::optional<MemberRow> member = SelectMember(*db, org_id, user_id);
  if (!member) throw UserNotFound(user_id);
  std::optional<RoleRow> role = SelectRole(*db, org_id, role_id);
  if (!role) throw RoleNotFound(role_id);

  if (role->base) {
    // A predefined role other than the member's base role can only come from a group.
    if (*role->base != member->member.base_role) {
      ThrowNotDirectlyHeld(*db, org_id, user_id, role->role.id);
    }
    if (*role->base == core::BaseRole::kReader) {
      throw core::BusinessRule(
          std::string(core::codes::kBaseRoleRequired),
          "A member always holds Owner or Reader; assign Owner instead of removing Reader.");
    }
    // Removing Owner leaves the member with the other base role.
    SetBaseRole(*db, now, actor, *member, core::BaseRole::kReader, std::nullopt);
  } else {
    {
      Statement stmt = db->Prepare(kDeleteUserRole);
      stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, role->role.id).Run();
      // Held both directly and through a group: only the direct link goes (NOTES N-5).
      if (stmt.Changes() == 0) ThrowNotDirectlyHeld(*db, org_id, user_id, role->role.id);
    }
    WriteAuditEvent(*db, now, actor, org_id, "role.assignment.deleted",
                    AssignmentId(user_id, role->role.id),
                    AssignmentPayload(org_id, user_id, role->role.id));
  }
  txn.Commit();
}

}  // namespace roster::storage::sqlite

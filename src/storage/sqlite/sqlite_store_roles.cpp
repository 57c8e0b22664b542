// SqliteStore: organization roles and the roles members hold (base role + direct assignments).
#include <algorithm>
#include <iterator>
#include <utility>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "storage/sqlite/sql.hpp"
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
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  const std::string id = core::NewId(core::id_prefix::kRole);
  const std::string name_norm = Normalize(role.name);
  const std::vector<std::string> permissions = SortedUnique(role.permissions);

  Transaction txn(*db, Mode::kWrite);
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
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite);
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
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite);
  const core::Role role = LoadRoleOrThrow(*db, org_id, role_id);
  if (role.predefined) throw PredefinedImmutable();

  std::vector<std::string> holders;
  {
    Statement stmt = db->Prepare(kSelectRoleHolders);
    stmt.BindText(1, role.id);
    while (stmt.Step()) holders.push_back(stmt.Text(0));
  }
  // One event per removed assignment, then the role's own (NOTES N-10).
  for (const std::string& user_id : holders) {
    WriteAuditEvent(*db, now, actor, org_id, "role.assignment.deleted",
                    AssignmentId(user_id, role.id), AssignmentPayload(org_id, user_id, role.id));
  }
  {
    Statement stmt = db->Prepare(kDeleteRoleAssignments);
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
    while (stmt.Step()) {
      // Base role and direct assignments are both held by the user directly (no groups yet).
      items.push_back(core::HeldRole{std::move(ReadRole(stmt).role),
                                     {core::AssignmentSource{std::string(user_id), "user"}}});
    }
  }
  txn.Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::HeldRole> SqliteStore::GetUserRole(std::string_view org_id,
                                                       std::string_view user_id,
                                                       std::string_view role_id) {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kSelectUserRole);
  stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, role_id);
  if (!stmt.Step()) return std::nullopt;
  return core::HeldRole{std::move(ReadRole(stmt).role),
                        {core::AssignmentSource{std::string(user_id), "user"}}};
}

Assignment SqliteStore::AssignUserRole(const core::Actor& actor, std::string_view org_id,
                                       std::string_view user_id, std::string_view role_id) {
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite);
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
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite);
  std::optional<MemberRow> member = SelectMember(*db, org_id, user_id);
  if (!member) throw UserNotFound(user_id);
  std::optional<RoleRow> role = SelectRole(*db, org_id, role_id);
  if (!role) throw RoleNotFound(role_id);

  if (role->base) {
    if (*role->base != member->member.base_role) throw NotHeld(role_id);
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
      if (stmt.Changes() == 0) throw NotHeld(role_id);
    }
    WriteAuditEvent(*db, now, actor, org_id, "role.assignment.deleted",
                    AssignmentId(user_id, role->role.id),
                    AssignmentPayload(org_id, user_id, role->role.id));
  }
  txn.Commit();
}

}  // namespace roster::storage::sqlite

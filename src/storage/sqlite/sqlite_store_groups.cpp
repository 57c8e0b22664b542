// SqliteStore: groups, their members and their roles (CONTRACT §9). Roles assigned to a group are
// held by its members; the user-role reads that show them live in sqlite_store_roles.cpp.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

constexpr std::string_view kGroupPrincipal = "group";

core::Group ReadGroup(const Statement& row) {
  core::Group group;
  group.id = row.Text(0);
  group.org_id = row.Text(1);
  group.name = row.Text(2);
  group.created_at = row.Int(3);
  return group;
}

core::Error GroupNotFound(std::string_view group_id) {
  return core::NotFound("No such group: '" + std::string(group_id) + "'.");
}

std::optional<core::Group> SelectGroup(Connection& db, std::string_view org_id,
                                       std::string_view group_id) {
  Statement stmt = db.Prepare(kSelectGroup);
  stmt.BindText(1, org_id).BindText(2, group_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadGroup(stmt);
}

core::Group LoadGroupOrThrow(Connection& db, std::string_view org_id, std::string_view group_id) {
  std::optional<core::Group> group = SelectGroup(db, org_id, group_id);
  if (!group) throw GroupNotFound(group_id);
  return std::move(*group);
}

// Throws InvalidValue("after") unless `statement` (?1 org, ?2 cursor) says the cursor is known.
void CheckCursor(Connection& db, std::string_view statement, std::string_view org_id,
                 const std::string& after, std::string_view what) {
  Statement stmt = db.Prepare(statement);
  stmt.BindText(1, org_id).BindText(2, after);
  stmt.Step();
  if (stmt.Int(0) == 0) {
    throw core::InvalidValue("after", "Invalid 'after': '" + after + "' is not " +
                                          std::string(what) + " of this organization.");
  }
}

core::HeldRole GroupHeld(core::Role role, std::string_view group_id) {
  return core::HeldRole{
      std::move(role),
      {core::AssignmentSource{std::string(group_id), std::string(kGroupPrincipal)}}};
}

void WriteGroupAssignmentEvent(Connection& db, core::Timestamp now, const core::Actor& actor,
                               std::string_view type, std::string_view org_id,
                               std::string_view group_id, std::string_view role_id) {
  WriteAuditEvent(db, now, actor, org_id, type, AssignmentId(group_id, role_id),
                  GroupAssignmentPayload(org_id, group_id, role_id));
}

}  // namespace

// --- groups ----------------------------------------------------------------------------------

core::Page<core::Group> SqliteStore::ListGroups(std::string_view org_id, const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  std::optional<Transaction> txn;  // cursor check and page from one snapshot
  std::vector<core::Group> items;
  {
    if (query.after) {
      txn.emplace(*db, Mode::kRead);
      CheckCursor(*db, kSelectGroupCursor, org_id, *query.after, "a group");
    }
    Statement stmt = db->Prepare(query.after ? (asc ? kListGroupsAscAfter : kListGroupsDescAfter)
                                             : (asc ? kListGroupsAsc : kListGroupsDesc));
    stmt.BindText(1, org_id);
    if (query.after) {
      stmt.BindText(2, *query.after).BindInt(3, FetchLimit(limit));
    } else {
      stmt.BindInt(2, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(ReadGroup(stmt));
  }
  if (txn) txn->Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::Group> SqliteStore::GetGroup(std::string_view org_id,
                                                 std::string_view group_id) {
  auto db = impl_->pool.Acquire();
  return SelectGroup(*db, org_id, group_id);
}

core::Group SqliteStore::CreateGroup(const core::Actor& actor, std::string_view org_id,
                                     std::string_view name) {
  const core::Timestamp now = impl_->clock.Now();
  core::Group group;
  group.id = core::NewId(core::id_prefix::kGroup);
  group.org_id = std::string(org_id);
  group.name = std::string(name);
  group.created_at = now;

  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  if (!OrganizationExists(*db, org_id)) throw OrganizationNotFound(org_id);
  {
    Statement stmt = db->Prepare(kInsertGroup);
    stmt.BindText(1, group.id).BindText(2, org_id).BindText(3, group.name).BindInt(4, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "group.created", group.id,
                  {{"id", group.id}, {"data", {{"group_name", group.name}}}});
  txn.Commit();
  return group;
}

core::Group SqliteStore::UpdateGroup(const core::Actor& actor, std::string_view org_id,
                                     std::string_view group_id, std::string_view name) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  core::Group group = LoadGroupOrThrow(*db, org_id, group_id);
  // A rename to the current name (or a replayed rename) changes nothing and logs nothing.
  if (group.name != name) {
    {
      Statement stmt = db->Prepare(kUpdateGroupName);
      stmt.BindText(1, org_id).BindText(2, group.id).BindText(3, name).Run();
    }
    group.name = std::string(name);
    WriteAuditEvent(*db, now, actor, org_id, "group.updated", group.id,
                    {{"id", group.id}, {"changes_requested", {{"group_name", group.name}}}});
  }
  txn.Commit();
  return group;
}

void SqliteStore::DeleteGroup(const core::Actor& actor, std::string_view org_id,
                              std::string_view group_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  const core::Group group = LoadGroupOrThrow(*db, org_id, group_id);

  std::vector<std::string> role_ids;
  {
    Statement stmt = db->Prepare(kSelectRolesOfGroup);
    stmt.BindText(1, group.id);
    while (stmt.Step()) role_ids.push_back(stmt.Text(0));
  }
  // The members lose the group's roles with it: one event per removed assignment, then the
  // group's own (as DeleteRole does for a role's holders).
  for (const std::string& role_id : role_ids) {
    WriteGroupAssignmentEvent(*db, now, actor, "role.assignment.deleted", org_id, group.id,
                              role_id);
  }
  {
    Statement stmt = db->Prepare(kDeleteRolesOfGroup);
    stmt.BindText(1, group.id).Run();
  }
  {
    Statement stmt = db->Prepare(kDeleteMembersOfGroup);
    stmt.BindText(1, group.id).Run();
  }
  {
    // A tombstone keeps the id a valid `after` cursor.
    Statement stmt = db->Prepare(kTombstoneGroup);
    stmt.BindText(1, org_id).BindText(2, group.id).BindInt(3, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "group.deleted", group.id, {{"id", group.id}});
  txn.Commit();
}

// --- group members ---------------------------------------------------------------------------

core::Page<core::Member> SqliteStore::ListGroupUsers(std::string_view org_id,
                                                     std::string_view group_id,
                                                     const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);  // group, cursor and page from one snapshot
  LoadGroupOrThrow(*db, org_id, group_id);
  if (query.after) CheckCursor(*db, kSelectGroupMemberCursor, org_id, *query.after, "a user");

  std::vector<core::Member> items;
  {
    Statement stmt =
        db->Prepare(query.after ? (asc ? kListGroupMembersAscAfter : kListGroupMembersDescAfter)
                                : (asc ? kListGroupMembersAsc : kListGroupMembersDesc));
    stmt.BindText(1, org_id).BindText(2, group_id);
    if (query.after) {
      stmt.BindText(3, *query.after).BindInt(4, FetchLimit(limit));
    } else {
      stmt.BindInt(3, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(std::move(ReadMember(stmt).member));
  }
  txn.Commit();
  return FinishPage(std::move(items), limit);
}

void SqliteStore::AddGroupUser(const core::Actor& /*actor*/, std::string_view org_id,
                               std::string_view group_id, std::string_view user_id) {
  // No audit event: the only membership event types are tenant-scoped (NOTES N-12).
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  LoadGroupOrThrow(*db, org_id, group_id);
  if (!IsMember(*db, org_id, user_id)) throw UserNotFound(user_id);
  {
    Statement stmt = db->Prepare(kInsertGroupMember);
    stmt.BindText(1, org_id).BindText(2, group_id).BindText(3, user_id).BindInt(4, now).Run();
  }
  txn.Commit();
}

std::optional<core::Member> SqliteStore::GetGroupUser(std::string_view org_id,
                                                      std::string_view group_id,
                                                      std::string_view user_id) {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kSelectGroupMember);
  stmt.BindText(1, org_id).BindText(2, group_id).BindText(3, user_id);
  if (!stmt.Step()) return std::nullopt;
  return std::move(ReadMember(stmt).member);
}

void SqliteStore::RemoveGroupUser(const core::Actor& /*actor*/, std::string_view org_id,
                                  std::string_view group_id, std::string_view user_id) {
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  LoadGroupOrThrow(*db, org_id, group_id);
  if (!IsMember(*db, org_id, user_id)) throw UserNotFound(user_id);
  {
    Statement stmt = db->Prepare(kDeleteGroupMember);
    stmt.BindText(1, org_id).BindText(2, group_id).BindText(3, user_id).Run();
    if (stmt.Changes() == 0) {
      throw core::NotFound("The user '" + std::string(user_id) + "' is not in group '" +
                           std::string(group_id) + "'.");
    }
  }
  txn.Commit();
}

// --- group roles -----------------------------------------------------------------------------

core::Page<core::HeldRole> SqliteStore::ListGroupRoles(std::string_view org_id,
                                                       std::string_view group_id,
                                                       const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);
  LoadGroupOrThrow(*db, org_id, group_id);
  if (query.after) CheckCursor(*db, kSelectRoleCursor, org_id, *query.after, "a role");

  std::vector<core::HeldRole> items;
  {
    Statement stmt =
        db->Prepare(query.after ? (asc ? kListGroupRolesAscAfter : kListGroupRolesDescAfter)
                                : (asc ? kListGroupRolesAsc : kListGroupRolesDesc));
    stmt.BindText(1, org_id).BindText(2, group_id);
    if (query.after) {
      stmt.BindText(3, *query.after).BindInt(4, FetchLimit(limit));
    } else {
      stmt.BindInt(3, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(GroupHeld(std::move(ReadRole(stmt).role), group_id));
  }
  txn.Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::HeldRole> SqliteStore::GetGroupRole(std::string_view org_id,
                                                        std::string_view group_id,
                                                        std::string_view role_id) {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kSelectGroupRole);
  stmt.BindText(1, org_id).BindText(2, group_id).BindText(3, role_id);
  if (!stmt.Step()) return std::nullopt;
  return GroupHeld(std::move(ReadRole(stmt).role), group_id);
}

GroupAssignment SqliteStore::AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                             std::string_view group_id, std::string_view role_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  core::Group group = LoadGroupOrThrow(*db, org_id, group_id);
  // Any organization role, predefined ones included: a group granting Owner gives its members
  // Owner's permissions, while their base role (and the last-owner rule) stays as it is.
  std::optional<RoleRow> role = SelectRole(*db, org_id, role_id);
  if (!role) throw RoleNotFound(role_id);
  bool created = false;
  {
    Statement stmt = db->Prepare(kInsertGroupRole);
    stmt.BindText(1, org_id).BindText(2, group.id).BindText(3, role->role.id).BindInt(4, now).Run();
    created = stmt.Changes() == 1;
  }
  if (created) {
    WriteGroupAssignmentEvent(*db, now, actor, "role.assignment.created", org_id, group.id,
                              role->role.id);
  }
  txn.Commit();
  return GroupAssignment{std::move(group), std::move(role->role)};
}

void SqliteStore::UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                                    std::string_view group_id, std::string_view role_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  const core::Group group = LoadGroupOrThrow(*db, org_id, group_id);
  std::optional<RoleRow> role = SelectRole(*db, org_id, role_id);
  if (!role) throw RoleNotFound(role_id);
  {
    Statement stmt = db->Prepare(kDeleteGroupRole);
    stmt.BindText(1, org_id).BindText(2, group.id).BindText(3, role->role.id).Run();
    if (stmt.Changes() == 0) {
      throw core::NotFound("The group does not hold role '" + std::string(role_id) + "'.");
    }
  }
  WriteGroupAssignmentEvent(*db, now, actor, "role.assignment.deleted", org_id, group.id,
                            role->role.id);
  txn.Commit();
}

}  // namespace roster::storage::sqlite

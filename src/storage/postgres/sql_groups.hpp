// SQL of the PostgreSQL backend for groups, their members and their roles (schema in
// migrations.cpp).
//
// The member and role column lists are the ones of sql.hpp (ROSTER_SQL_MEMBER_COLUMNS,
// ROSTER_SQL_ROLE_COLUMNS), spelled again here because ReadMember / ReadRole decode by position
// and sql.hpp keeps its macros private; the groups conformance tests read every row below through
// those decoders, so the two lists cannot drift apart unnoticed.
#pragma once

#include <string_view>

namespace roster::storage::postgres {

#define ROSTER_SQLG_MEMBER_COLUMNS                                                          \
  "m.user_id, a.email, a.name, a.picture, a.created_at, m.org_id, m.base_role, m.added_at," \
  " m.technical_level, m.developer_persona, o.default_project_id, o.default_project_name,"  \
  " m.seq"
#define ROSTER_SQLG_ROLE_COLUMNS                                                      \
  "r.id, r.org_id, r.name, r.description, r.permissions, r.predefined, r.created_at," \
  " r.updated_at, r.created_by, c.name, c.email, r.base_role"
#define ROSTER_SQLG_ROLE_CREATOR " LEFT JOIN accounts AS c ON c.id = r.created_by"

// --- groups ----------------------------------------------------------------------------------

// Columns: 0 id, 1 org_id, 2 name, 3 created_at.
#define ROSTER_SQLG_GROUP_COLUMNS "g.id, g.org_id, g.name, g.created_at"

inline constexpr std::string_view kInsertGroup =
    "INSERT INTO groups (id, org_id, name, created_at) VALUES ($1, $2, $3, $4)";
inline constexpr std::string_view kSelectGroup =
    "SELECT " ROSTER_SQLG_GROUP_COLUMNS
    " FROM groups AS g WHERE g.org_id = $1 AND g.id = $2 AND g.deleted_at IS NULL";
// Whether $2 ever named a group of the organization (deleted groups stay valid cursors).
inline constexpr std::string_view kSelectGroupCursor =
    "SELECT EXISTS (SELECT 1 FROM groups WHERE org_id = $1 AND id = $2)";
inline constexpr std::string_view kUpdateGroupName =
    "UPDATE groups SET name = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";
inline constexpr std::string_view kTombstoneGroup =
    "UPDATE groups SET deleted_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";

// Group lists by id (= creation order). $1 org; *After: $2 cursor, $3 limit; else $2 limit.
#define ROSTER_SQLG_LIST_GROUPS       \
  "SELECT " ROSTER_SQLG_GROUP_COLUMNS \
  " FROM groups AS g WHERE g.org_id = $1 AND g.deleted_at IS NULL"
inline constexpr std::string_view kListGroupsAsc =
    ROSTER_SQLG_LIST_GROUPS " ORDER BY g.id ASC LIMIT $2";
inline constexpr std::string_view kListGroupsAscAfter =
    ROSTER_SQLG_LIST_GROUPS " AND g.id > $2 ORDER BY g.id ASC LIMIT $3";
inline constexpr std::string_view kListGroupsDesc =
    ROSTER_SQLG_LIST_GROUPS " ORDER BY g.id DESC LIMIT $2";
inline constexpr std::string_view kListGroupsDescAfter =
    ROSTER_SQLG_LIST_GROUPS " AND g.id < $2 ORDER BY g.id DESC LIMIT $3";

// --- group members ---------------------------------------------------------------------------

// ON CONFLICT DO NOTHING: adding a member twice is a no-op (SDK retries, NOTES N-9).
inline constexpr std::string_view kInsertGroupMember =
    "INSERT INTO group_members (org_id, group_id, user_id, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (group_id, user_id) DO NOTHING";
inline constexpr std::string_view kDeleteGroupMember =
    "DELETE FROM group_members WHERE org_id = $1 AND group_id = $2 AND user_id = $3";
inline constexpr std::string_view kDeleteMembersOfGroup =
    "DELETE FROM group_members WHERE group_id = $1";
// Removing a member from the organization takes them out of every group.
inline constexpr std::string_view kDeleteGroupMembershipsOfMember =
    "DELETE FROM group_members WHERE org_id = $1 AND user_id = $2";

// Live members of group $2 of org $1, as organization members (ReadMember). The unary `+` keeps
// the gm.org_id check (a group id of another organization matches nothing) out of index
// selection: as an indexable equality it lets the planner walk group_members_user_idx (every
// membership of every group of the organization) for the user-id order instead of the group's
// own primary-key range.
#define ROSTER_SQLG_GROUP_MEMBERS                                      \
  "SELECT " ROSTER_SQLG_MEMBER_COLUMNS                                 \
  " FROM group_members AS gm"                                          \
  " JOIN memberships AS m ON m.org_id = $1 AND m.user_id = gm.user_id" \
  " AND m.deleted_at IS NULL"                                          \
  " JOIN accounts AS a ON a.id = m.user_id"                            \
  " JOIN organizations AS o ON o.id = m.org_id"                        \
  " WHERE gm.group_id = $2 AND gm.org_id = $1"
// $3 user id.
inline constexpr std::string_view kSelectGroupMember =
    ROSTER_SQLG_GROUP_MEMBERS " AND gm.user_id = $3";
// By user id (the primary key's order). *After: $3 cursor, $4 limit; else $3 limit.
inline constexpr std::string_view kListGroupMembersAsc =
    ROSTER_SQLG_GROUP_MEMBERS " ORDER BY gm.user_id ASC LIMIT $3";
inline constexpr std::string_view kListGroupMembersAscAfter =
    ROSTER_SQLG_GROUP_MEMBERS " AND gm.user_id > $3 ORDER BY gm.user_id ASC LIMIT $4";
inline constexpr std::string_view kListGroupMembersDesc =
    ROSTER_SQLG_GROUP_MEMBERS " ORDER BY gm.user_id DESC LIMIT $3";
inline constexpr std::string_view kListGroupMembersDescAfter =
    ROSTER_SQLG_GROUP_MEMBERS " AND gm.user_id < $3 ORDER BY gm.user_id DESC LIMIT $4";
// Whether $2 was ever a member of the organization: the position of a group-user cursor is its
// id, so a member removed from the group (or from the organization) stays a valid cursor.
inline constexpr std::string_view kSelectGroupMemberCursor =
    "SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2)";

// --- group roles -----------------------------------------------------------------------------

// ON CONFLICT DO NOTHING: a replayed assignment changes no row and logs no second event.
inline constexpr std::string_view kInsertGroupRole =
    "INSERT INTO group_roles (org_id, group_id, role_id, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (group_id, role_id) DO NOTHING";
inline constexpr std::string_view kDeleteGroupRole =
    "DELETE FROM group_roles WHERE org_id = $1 AND group_id = $2 AND role_id = $3";
// The roles of group $1 (one role.assignment.deleted each when the group goes).
inline constexpr std::string_view kSelectRolesOfGroup =
    "SELECT role_id FROM group_roles WHERE group_id = $1 ORDER BY role_id";
inline constexpr std::string_view kDeleteRolesOfGroup =
    "DELETE FROM group_roles WHERE group_id = $1";
// The groups holding role $1 (one role.assignment.deleted each when the role goes).
inline constexpr std::string_view kSelectGroupsOfRole =
    "SELECT group_id FROM group_roles WHERE role_id = $1 ORDER BY group_id";
inline constexpr std::string_view kDeleteGroupAssignmentsOfRole =
    "DELETE FROM group_roles WHERE role_id = $1";

// Live roles assigned to group $2 of org $1 (ReadRole).
#define ROSTER_SQLG_GROUP_ROLES                                                             \
  "SELECT " ROSTER_SQLG_ROLE_COLUMNS                                                        \
  " FROM group_roles AS gr"                                                                 \
  " JOIN roles AS r ON r.id = gr.role_id AND r.deleted_at IS NULL" ROSTER_SQLG_ROLE_CREATOR \
  " WHERE gr.org_id = $1 AND gr.group_id = $2"
// $3 role id.
inline constexpr std::string_view kSelectGroupRole = ROSTER_SQLG_GROUP_ROLES " AND gr.role_id = $3";
// By role id (= role creation order). *After: $3 cursor, $4 limit; else $3 limit.
inline constexpr std::string_view kListGroupRolesAsc =
    ROSTER_SQLG_GROUP_ROLES " ORDER BY gr.role_id ASC LIMIT $3";
inline constexpr std::string_view kListGroupRolesAscAfter =
    ROSTER_SQLG_GROUP_ROLES " AND gr.role_id > $3 ORDER BY gr.role_id ASC LIMIT $4";
inline constexpr std::string_view kListGroupRolesDesc =
    ROSTER_SQLG_GROUP_ROLES " ORDER BY gr.role_id DESC LIMIT $3";
inline constexpr std::string_view kListGroupRolesDescAfter =
    ROSTER_SQLG_GROUP_ROLES " AND gr.role_id < $3 ORDER BY gr.role_id DESC LIMIT $4";

// --- roles held through groups ---------------------------------------------------------------

// (role id, group id) for every role member $2 of org $1 holds through a group, restricted to
// role ids in [$3, $4] (one page of the member's roles), by role then group (CONTRACT §7.9).
inline constexpr std::string_view kSelectInheritedSources =
    "SELECT gr.role_id, gm.group_id FROM group_members AS gm"
    " JOIN group_roles AS gr ON gr.group_id = gm.group_id"
    " WHERE gm.org_id = $1 AND gm.user_id = $2 AND gr.role_id BETWEEN $3 AND $4"
    " ORDER BY gr.role_id, gm.group_id";
// The groups (id, name) through which member $2 of org $1 holds role $3, by group id: named in
// the refusal to unassign an inherited role.
inline constexpr std::string_view kSelectGroupsGrantingRole =
    "SELECT g.id, g.name FROM group_members AS gm"
    " JOIN group_roles AS gr ON gr.group_id = gm.group_id"
    " JOIN groups AS g ON g.id = gm.group_id"
    " WHERE gm.org_id = $1 AND gm.user_id = $2 AND gr.role_id = $3"
    " ORDER BY g.id";

#undef ROSTER_SQLG_MEMBER_COLUMNS
#undef ROSTER_SQLG_ROLE_COLUMNS
#undef ROSTER_SQLG_ROLE_CREATOR
#undef ROSTER_SQLG_GROUP_COLUMNS
#undef ROSTER_SQLG_LIST_GROUPS
#undef ROSTER_SQLG_GROUP_MEMBERS
#undef ROSTER_SQLG_GROUP_ROLES

}  // namespace roster::storage::postgres

// Every SQL statement of the PostgreSQL backend, as named constants (the schema is in
// migrations.cpp).
//
// Column lists shared by several statements are spelled once (ROSTER_SQL_* macros, undefined at
// the end of this file) because the row decoders in store_support.cpp read columns by position.
// Placeholders are $N; the SQL is the SQLite backend's (storage/sqlite/sql*.hpp) with the
// dialect differences marked "PostgreSQL:".
#pragma once

#include <string_view>

namespace roster::storage::postgres {

// --- connection setup and transactions -------------------------------------------------------

// PostgreSQL: writes run SERIALIZABLE (the store retries serialization failures), so the checks a
// write makes (last owner, name taken) hold at commit exactly as under SQLite's single writer.
// Multi-statement reads take one REPEATABLE READ snapshot.
inline constexpr std::string_view kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
inline constexpr std::string_view kBeginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE";
// The per-organization writer lock (see Transaction), keyed by a 64-bit hash of the org id.
// Namespaced by the database's own lock space; a hash collision only makes two organizations
// share a queue.
inline constexpr std::string_view kLockWriter =
    "SELECT pg_advisory_lock(hashtextextended('roster-writer:' || $1, 0))";
inline constexpr std::string_view kUnlockWriter =
    "SELECT pg_advisory_unlock(hashtextextended('roster-writer:' || $1, 0))";
inline constexpr std::string_view kCommit = "COMMIT";
inline constexpr std::string_view kRollback = "ROLLBACK";

// --- migrations ------------------------------------------------------------------------------

inline constexpr std::string_view kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
// PostgreSQL: nodes starting together serialize their migrations on this advisory lock (an
// arbitrary fixed key), held by the session around the migration transaction.
inline constexpr std::string_view kLockMigrations = "SELECT pg_advisory_lock(8245931054212722)";
inline constexpr std::string_view kUnlockMigrations = "SELECT pg_advisory_unlock(8245931054212722)";
inline constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
inline constexpr std::string_view kInsertSchemaMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

// --- organizations ---------------------------------------------------------------------------

// Columns: 0 id, 1 name, 2 default_project_id, 3 created_at.
#define ROSTER_SQL_ORG_COLUMNS "id, name, default_project_id, created_at"

inline constexpr std::string_view kInsertOrganization =
    "INSERT INTO organizations (id, name, default_project_id, default_project_name, created_at)"
    " VALUES ($1, $2, $3, $4, $5)";
inline constexpr std::string_view kSelectOrganization =
    "SELECT " ROSTER_SQL_ORG_COLUMNS " FROM organizations WHERE id = $1";
inline constexpr std::string_view kListOrganizations =
    "SELECT " ROSTER_SQL_ORG_COLUMNS " FROM organizations ORDER BY created_at, id";

// --- accounts --------------------------------------------------------------------------------

inline constexpr std::string_view kSelectAccountIdByEmail =
    "SELECT id FROM accounts WHERE email_norm = $1";
// Bulk loads insert optimistically and look the account up only when the email exists.
inline constexpr std::string_view kInsertAccountIfNew =
    "INSERT INTO accounts (id, email, email_norm, name, created_at) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (email_norm) DO NOTHING";

// --- memberships -----------------------------------------------------------------------------

// Columns: 0 user_id, 1 email, 2 account name, 3 picture, 4 account created_at, 5 org_id,
// 6 base_role, 7 added_at, 8 technical_level, 9 developer_persona, 10 default_project_id,
// 11 default_project_name, 12 seq.
#define ROSTER_SQL_MEMBER_COLUMNS                                                           \
  "m.user_id, a.email, a.name, a.picture, a.created_at, m.org_id, m.base_role, m.added_at," \
  " m.technical_level, m.developer_persona, o.default_project_id, o.default_project_name,"  \
  " m.seq"
#define ROSTER_SQL_MEMBER_JOINS             \
  " JOIN accounts AS a ON a.id = m.user_id" \
  " JOIN organizations AS o ON o.id = m.org_id"

// A live member: one statement, so reading a member is one execution.
inline constexpr std::string_view kSelectMember =
    "SELECT " ROSTER_SQL_MEMBER_COLUMNS " FROM memberships AS m" ROSTER_SQL_MEMBER_JOINS
    " WHERE m.org_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL";
inline constexpr std::string_view kSelectMembershipExists =
    "SELECT EXISTS (SELECT 1 FROM memberships"
    " WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL)";
inline constexpr std::string_view kInsertMembership =
    "INSERT INTO memberships (org_id, user_id, base_role, added_at) VALUES ($1, $2, $3, $4)";
// The position of `after` in the member list: its latest membership, live or removed (NULL when
// the account was never a member).
inline constexpr std::string_view kSelectMemberCursor =
    "SELECT MAX(seq) FROM memberships WHERE org_id = $1 AND user_id = $2";
// $1 org, $2 seq of the cursor (0 for the first page), $3 limit.
inline constexpr std::string_view kListMembers =
    "SELECT " ROSTER_SQL_MEMBER_COLUMNS " FROM memberships AS m" ROSTER_SQL_MEMBER_JOINS
    " WHERE m.org_id = $1 AND m.deleted_at IS NULL AND m.seq > $2"
    " ORDER BY m.seq LIMIT $3";
// As kListMembers, restricted to $4, a JSON array of normalized emails (PostgreSQL: read with
// json_array_elements_text; the planner chooses the join order itself).
inline constexpr std::string_view kListMembersByEmail =
    "SELECT " ROSTER_SQL_MEMBER_COLUMNS
    " FROM json_array_elements_text($4::json) AS e (value)"
    " JOIN accounts AS a ON a.email_norm = e.value"
    " JOIN memberships AS m ON m.user_id = a.id"
    " JOIN organizations AS o ON o.id = m.org_id"
    " WHERE m.org_id = $1"
    " AND m.deleted_at IS NULL AND m.seq > $2"
    " ORDER BY m.seq LIMIT $3";
inline constexpr std::string_view kUpdateMemberBaseRole =
    "UPDATE memberships SET base_role = $3"
    " WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL";
inline constexpr std::string_view kUpdateMemberMetadata =
    "UPDATE memberships SET technical_level = $3, developer_persona = $4"
    " WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL";
// The last-owner invariant: does the organization have a live owner other than $2? The literal
// 'owner' lets the planner use the partial index memberships_owners_idx.
inline constexpr std::string_view kOtherOwnerExists =
    "SELECT EXISTS (SELECT 1 FROM memberships"
    " WHERE org_id = $1 AND base_role = 'owner' AND deleted_at IS NULL AND user_id <> $2)";
inline constexpr std::string_view kTombstoneMembership =
    "UPDATE memberships SET deleted_at = $3"
    " WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL";
inline constexpr std::string_view kDeleteUserRolesOfMember =
    "DELETE FROM user_roles WHERE org_id = $1 AND user_id = $2";

// --- roles -----------------------------------------------------------------------------------

// Columns: 0 id, 1 org_id, 2 name, 3 description, 4 permissions, 5 predefined, 6 created_at,
// 7 updated_at, 8 created_by, 9 creator name, 10 creator email, 11 base_role.
#define ROSTER_SQL_ROLE_COLUMNS                                                       \
  "r.id, r.org_id, r.name, r.description, r.permissions, r.predefined, r.created_at," \
  " r.updated_at, r.created_by, c.name, c.email, r.base_role"
#define ROSTER_SQL_ROLE_CREATOR " LEFT JOIN accounts AS c ON c.id = r.created_by"

inline constexpr std::string_view kInsertRole =
    "INSERT INTO roles (id, org_id, name, name_norm, description, permissions, predefined,"
    " base_role, created_at, updated_at, created_by)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)";
inline constexpr std::string_view kSelectRole =
    "SELECT " ROSTER_SQL_ROLE_COLUMNS " FROM roles AS r" ROSTER_SQL_ROLE_CREATOR
    " WHERE r.org_id = $1 AND r.id = $2 AND r.deleted_at IS NULL";
// The predefined role (never deleted) that base role $2 projects to.
inline constexpr std::string_view kSelectBaseRole =
    "SELECT " ROSTER_SQL_ROLE_COLUMNS " FROM roles AS r" ROSTER_SQL_ROLE_CREATOR
    " WHERE r.org_id = $1 AND r.base_role = $2";
// Whether $2 ever named a role of the organization (deleted roles stay valid cursors).
inline constexpr std::string_view kSelectRoleCursor =
    "SELECT EXISTS (SELECT 1 FROM roles WHERE org_id = $1 AND id = $2)";
// Whether another live role of the organization is called $2 (normalized).
inline constexpr std::string_view kSelectRoleNameTaken =
    "SELECT EXISTS (SELECT 1 FROM roles"
    " WHERE org_id = $1 AND name_norm = $2 AND deleted_at IS NULL AND id <> $3)";
inline constexpr std::string_view kUpdateRole =
    "UPDATE roles SET name = $3, name_norm = $4, description = $5, permissions = $6,"
    " updated_at = $7 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";
inline constexpr std::string_view kTombstoneRole =
    "UPDATE roles SET deleted_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";
inline constexpr std::string_view kSelectRoleHolders =
    "SELECT user_id FROM user_roles WHERE role_id = $1 ORDER BY user_id";
inline constexpr std::string_view kDeleteRoleAssignments =
    "DELETE FROM user_roles WHERE role_id = $1";
// Keeps predefined roles equal to the permission catalogue of the running build.
inline constexpr std::string_view kRefreshBaseRolePermissions =
    "UPDATE roles SET permissions = $2 WHERE base_role = $1 AND permissions <> $2";

// Role lists by id (= creation order). $1 org; *After: $2 cursor, $3 limit; else $2 limit.
#define ROSTER_SQL_LIST_ROLES                                                  \
  "SELECT " ROSTER_SQL_ROLE_COLUMNS " FROM roles AS r" ROSTER_SQL_ROLE_CREATOR \
  " WHERE r.org_id = $1 AND r.deleted_at IS NULL"
inline constexpr std::string_view kListRolesAsc =
    ROSTER_SQL_LIST_ROLES " ORDER BY r.id ASC LIMIT $2";
inline constexpr std::string_view kListRolesAscAfter =
    ROSTER_SQL_LIST_ROLES " AND r.id > $2 ORDER BY r.id ASC LIMIT $3";
inline constexpr std::string_view kListRolesDesc =
    ROSTER_SQL_LIST_ROLES " ORDER BY r.id DESC LIMIT $2";
inline constexpr std::string_view kListRolesDescAfter =
    ROSTER_SQL_LIST_ROLES " AND r.id < $2 ORDER BY r.id DESC LIMIT $3";

// --- role holdings ---------------------------------------------------------------------------

inline constexpr std::string_view kInsertUserRole =
    "INSERT INTO user_roles (org_id, user_id, role_id, created_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (org_id, user_id, role_id) DO NOTHING";
inline constexpr std::string_view kDeleteUserRole =
    "DELETE FROM user_roles WHERE org_id = $1 AND user_id = $2 AND role_id = $3";

// Whether the role row `r` is held directly by member `m` ($1 org, $2 user): it is their base
// role's row, or assigned to them.
#define ROSTER_SQL_HELD_DIRECTLY                                         \
  "(r.base_role = m.base_role OR EXISTS (SELECT 1 FROM user_roles AS ur" \
  " WHERE ur.org_id = $1 AND ur.user_id = $2 AND ur.role_id = r.id))"
// Every role live member $2 of org $1 holds, once each: the base role's row, direct assignments
// and the roles of the groups they belong to (CONTRACT §7.9). Column 12 (after the role columns)
// is 1 when the role is held directly, 0 when only through groups; the groups themselves are read
// by kSelectInheritedSources (sql_groups.hpp). Driven by roles_list_idx in id order, with indexed
// existence checks per role: an organization has few roles, and a page stops at its limit.
// `cond` narrows on r.id.
#define ROSTER_SQL_HELD_ROLES(cond)                                         \
  "SELECT " ROSTER_SQL_ROLE_COLUMNS ", CASE WHEN " ROSTER_SQL_HELD_DIRECTLY \
  " THEN 1 ELSE 0 END"                                                      \
  " FROM memberships AS m"                                                  \
  " JOIN roles AS r ON r.org_id = m.org_id" ROSTER_SQL_ROLE_CREATOR         \
  " WHERE m.org_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL"        \
  " AND r.deleted_at IS NULL" cond " AND (" ROSTER_SQL_HELD_DIRECTLY        \
  " OR EXISTS (SELECT 1 FROM group_members AS gm"                           \
  " JOIN group_roles AS gr ON gr.group_id = gm.group_id"                    \
  " WHERE gm.org_id = $1 AND gm.user_id = $2 AND gr.role_id = r.id))"

// The role $3 as held by member $2 of org $1 (no row when not held).
inline constexpr std::string_view kSelectUserRole = ROSTER_SQL_HELD_ROLES(" AND r.id = $3");
// By role id. *After: $3 cursor, $4 limit; else $3 limit.
inline constexpr std::string_view kListUserRolesAsc =
    ROSTER_SQL_HELD_ROLES("") " ORDER BY r.id ASC LIMIT $3";
inline constexpr std::string_view kListUserRolesAscAfter =
    ROSTER_SQL_HELD_ROLES(" AND r.id > $3") " ORDER BY r.id ASC LIMIT $4";
inline constexpr std::string_view kListUserRolesDesc =
    ROSTER_SQL_HELD_ROLES("") " ORDER BY r.id DESC LIMIT $3";
inline constexpr std::string_view kListUserRolesDescAfter =
    ROSTER_SQL_HELD_ROLES(" AND r.id < $3") " ORDER BY r.id DESC LIMIT $4";

// --- admin keys ------------------------------------------------------------------------------

inline constexpr std::string_view kInsertAdminKey =
    "INSERT INTO admin_keys (id, org_id, owner_user_id, membership_seq, name, key_hash,"
    " redacted_value, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
// The authentication lookup, one execution: a live key whose membership is still live.
// Columns: 0 id, 1 org_id, 2 name, 3 redacted_value, 4 created_at, 5 expires_at,
// 6 last_used_at, 7 owner_user_id, 8 key_hash, 9 owner email.
inline constexpr std::string_view kSelectKeyByHash =
    "SELECT k.id, k.org_id, k.name, k.redacted_value, k.created_at, k.expires_at,"
    " k.last_used_at, k.owner_user_id, k.key_hash, a.email"
    " FROM admin_keys AS k"
    " JOIN memberships AS m ON m.seq = k.membership_seq"
    " JOIN accounts AS a ON a.id = k.owner_user_id"
    " WHERE k.key_hash = $1 AND k.deleted_at IS NULL AND m.deleted_at IS NULL";

// The organization's authentication version (migration 3); no row reads as 0. $1 org.
inline constexpr std::string_view kSelectAuthGeneration =
    "SELECT generation FROM auth_generations WHERE org_id = $1";

// --- audit log -------------------------------------------------------------------------------

// The project is the organization's default project (CONTRACT §11.2), read in the same statement.
// $1 id, $2 org, $3 type, $4 effective_at, $5 resource_id, $6 payload, $7 actor key,
// $8 actor user, $9 actor email.
inline constexpr std::string_view kInsertAuditEvent =
    "INSERT INTO audit_events (id, org_id, type, effective_at, resource_id, payload,"
    " actor_key_id, actor_user_id, actor_user_email, project_id)"
    " SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, default_project_id"
    " FROM organizations WHERE id = $2";
inline constexpr std::string_view kSelectAuditCursor =
    "SELECT effective_at FROM audit_events WHERE org_id = $1 AND id = $2";
// The filtered listing is in sql_audit.hpp.

#undef ROSTER_SQL_ORG_COLUMNS
#undef ROSTER_SQL_MEMBER_COLUMNS
#undef ROSTER_SQL_MEMBER_JOINS
#undef ROSTER_SQL_ROLE_COLUMNS
#undef ROSTER_SQL_ROLE_CREATOR
#undef ROSTER_SQL_LIST_ROLES
#undef ROSTER_SQL_HELD_DIRECTLY
#undef ROSTER_SQL_HELD_ROLES

}  // namespace roster::storage::postgres

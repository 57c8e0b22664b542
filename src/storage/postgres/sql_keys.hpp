// SQL of the PostgreSQL backend for admin keys and effective permissions (schema in
// migrations.cpp).
#pragma once

#include <string_view>

namespace roster::storage::postgres {

// A key is live while it is not deleted and the membership it was issued under is live: only
// such keys authenticate, so only they are listed, retrieved and deletable.
// Columns: 0 id, 1 org_id, 2 name, 3 redacted_value, 4 created_at, 5 expires_at,
// 6 last_used_at, 7 owner_user_id, 8 owner name, 9 owner email, 10 member added_at,
// 11 member base_role.
#define ROSTER_SQL_SELECT_LIVE_KEYS                                              \
  "SELECT k.id, k.org_id, k.name, k.redacted_value, k.created_at, k.expires_at," \
  " k.last_used_at, k.owner_user_id, a.name, a.email, m.added_at, m.base_role"   \
  " FROM admin_keys AS k"                                                        \
  " JOIN memberships AS m ON m.seq = k.membership_seq AND m.deleted_at IS NULL"  \
  " JOIN accounts AS a ON a.id = k.owner_user_id"                                \
  " WHERE k.org_id = $1 AND k.deleted_at IS NULL"

// $1 org, $2 key id.
inline constexpr std::string_view kSelectLiveKey = ROSTER_SQL_SELECT_LIVE_KEYS " AND k.id = $2";

// Key lists by id (= creation order, ids are time-ordered). $1 org; *After: $2 cursor, $3 limit;
// else $2 limit.
inline constexpr std::string_view kListKeysAsc =
    ROSTER_SQL_SELECT_LIVE_KEYS " ORDER BY k.id ASC LIMIT $2";
inline constexpr std::string_view kListKeysAscAfter =
    ROSTER_SQL_SELECT_LIVE_KEYS " AND k.id > $2 ORDER BY k.id ASC LIMIT $3";
inline constexpr std::string_view kListKeysDesc =
    ROSTER_SQL_SELECT_LIVE_KEYS " ORDER BY k.id DESC LIMIT $2";
inline constexpr std::string_view kListKeysDescAfter =
    ROSTER_SQL_SELECT_LIVE_KEYS " AND k.id < $2 ORDER BY k.id DESC LIMIT $3";

#undef ROSTER_SQL_SELECT_LIVE_KEYS

// A cursor is any key the organization ever had, revoked ones included (tombstones).
// $1 org, $2 key id.
inline constexpr std::string_view kSelectKeyCursor =
    "SELECT 1 FROM admin_keys WHERE org_id = $1 AND id = $2";

// $1 org, $2 key id, $3 now.
inline constexpr std::string_view kRevokeKey =
    "UPDATE admin_keys SET deleted_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";

// Only moves forward, so a delayed touch never rewinds a newer one. $1 key id, $2 when.
inline constexpr std::string_view kTouchKey =
    "UPDATE admin_keys SET last_used_at = $2"
    " WHERE id = $1 AND deleted_at IS NULL AND (last_used_at IS NULL OR last_used_at < $2)";

// The stored permissions of every live role a member holds: the predefined role of their base
// role, direct assignments and the roles of the live groups they belong to (one row per role).
// Predefined rows carry the running build's catalogue (refreshed when the store opens).
// $1 org, $2 user id.
inline constexpr std::string_view kSelectHeldRolePermissions =
    "SELECT r.permissions FROM roles AS r"
    " WHERE r.org_id = $1 AND r.deleted_at IS NULL AND ("
    "  r.base_role = (SELECT m.base_role FROM memberships AS m"
    "                 WHERE m.org_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL)"
    "  OR r.id IN (SELECT ur.role_id FROM user_roles AS ur"
    "              WHERE ur.org_id = $1 AND ur.user_id = $2)"
    "  OR r.id IN (SELECT gr.role_id FROM group_members AS gm"
    "              JOIN groups AS g ON g.id = gm.group_id AND g.deleted_at IS NULL"
    "              JOIN group_roles AS gr ON gr.group_id = gm.group_id"
    "              WHERE gm.org_id = $1 AND gm.user_id = $2))";

}  // namespace roster::storage::postgres

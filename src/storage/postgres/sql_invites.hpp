// SQL of the PostgreSQL backend for invites and their acceptance (schema: migration 2).
#pragma once

#include <string_view>

namespace roster::storage::postgres {

// Columns: 0 id, 1 org_id, 2 email, 3 role, 4 created_at, 5 expires_at, 6 accepted_at,
// 7 projects, 8 token_hash, 9 accepted_user_id, 10 the organization's default project id.
#define ROSTER_SQL_INVITE_COLUMNS                                                           \
  "i.id, i.org_id, i.email, i.role, i.created_at, i.expires_at, i.accepted_at, i.projects," \
  " i.token_hash, i.accepted_user_id, o.default_project_id"
#define ROSTER_SQL_INVITE_FROM " FROM invites AS i JOIN organizations AS o ON o.id = i.org_id"

// $1 id, $2 org, $3 email, $4 email_norm, $5 role, $6 projects, $7 token_hash, $8 created_at,
// $9 expires_at, $10 invited_by.
inline constexpr std::string_view kInsertInvite =
    "INSERT INTO invites (id, org_id, email, email_norm, role, projects, token_hash, created_at,"
    " expires_at, invited_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

// A live (not revoked) invite of the organization.
inline constexpr std::string_view kSelectInvite =
    "SELECT " ROSTER_SQL_INVITE_COLUMNS ROSTER_SQL_INVITE_FROM
    " WHERE i.org_id = $1 AND i.id = $2 AND i.deleted_at IS NULL";

// The live invite whose acceptance token hashes to $1, in any organization.
inline constexpr std::string_view kSelectInviteByTokenHash =
    "SELECT " ROSTER_SQL_INVITE_COLUMNS ROSTER_SQL_INVITE_FROM
    " WHERE i.token_hash = $1 AND i.deleted_at IS NULL";

// A new acceptance token hash $3 for the live, unaccepted invite $2 of org $1.
inline constexpr std::string_view kReissueInviteToken =
    "UPDATE invites SET token_hash = $3"
    " WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL AND accepted_at IS NULL";

// Whether email $2 has a pending invite in org $1: not revoked, not accepted, not expired at $3
// (an invite expires at expires_at itself, as core::Invite::StatusAt says).
inline constexpr std::string_view kSelectPendingInviteExists =
    "SELECT EXISTS (SELECT 1 FROM invites"
    " WHERE org_id = $1 AND email_norm = $2 AND deleted_at IS NULL AND accepted_at IS NULL"
    " AND (expires_at IS NULL OR expires_at > $3))";

// Whether $2 ever named an invite of the organization (revoked ones stay valid cursors).
inline constexpr std::string_view kSelectInviteCursor =
    "SELECT EXISTS (SELECT 1 FROM invites WHERE org_id = $1 AND id = $2)";

// Live invites by id (= creation order). $1 org, $2 cursor ('' for the first page: every id is
// greater), $3 limit.
inline constexpr std::string_view kListInvites =
    "SELECT " ROSTER_SQL_INVITE_COLUMNS ROSTER_SQL_INVITE_FROM
    " WHERE i.org_id = $1 AND i.deleted_at IS NULL AND i.id > $2"
    " ORDER BY i.id ASC LIMIT $3";

inline constexpr std::string_view kTombstoneInvite =
    "UPDATE invites SET deleted_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL";

// Marks the invite used; the accepted_at guard makes a second acceptance change nothing.
inline constexpr std::string_view kMarkInviteAccepted =
    "UPDATE invites SET accepted_at = $2, accepted_user_id = $3"
    " WHERE id = $1 AND accepted_at IS NULL AND deleted_at IS NULL";

#undef ROSTER_SQL_INVITE_COLUMNS
#undef ROSTER_SQL_INVITE_FROM

}  // namespace roster::storage::postgres

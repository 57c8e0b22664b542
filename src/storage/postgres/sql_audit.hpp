// SQL of the PostgreSQL backend for listing the audit log with the filters of CONTRACT §11.1.
//
// One statement per direction serves every combination of filters: each filter is a bound
// parameter that is NULL when unused, and list filters are JSON arrays read with
// json_array_elements_text, so no SQL text is ever built from request data. The effective_at bounds
// and both cursors are always present (the caller binds sentinels for "unbounded"), which keeps
// them usable as the range of audit_events_list_idx (org_id, effective_at DESC, id DESC): a page
// reads from its cursor on instead of from the newest event.
#pragma once

#include <string_view>

namespace roster::storage::postgres {

// Parameters: $1 org; $2 lowest and $3 highest effective_at (inclusive); $4, $5 the upper cursor
// (effective_at, id), exclusive: `after`; $6, $7 the lower cursor, exclusive: `before`; $8 event
// types, $9 actor ids (user or key), $10 actor emails (normalized), $11 resource ids, $12 project
// ids — each a JSON array of strings, or NULL for "any"; $13 limit.
// Columns: 0 id, 1 org_id, 2 type, 3 effective_at, 4 resource_id, 5 payload, 6 actor key,
// 7 actor user, 8 actor email.
#define ROSTER_SQL_LIST_AUDIT_FILTERED                                                        \
  "SELECT id, org_id, type, effective_at, resource_id, payload, actor_key_id, actor_user_id," \
  " actor_user_email FROM audit_events"                                                       \
  " WHERE org_id = $1 AND effective_at BETWEEN $2 AND $3"                                     \
  " AND (effective_at, id) < ($4, $5) AND (effective_at, id) > ($6, $7)"                      \
  " AND ($8::json IS NULL OR type IN (SELECT value FROM json_array_elements_text($8::json)))" \
  " AND ($9::json IS NULL OR actor_user_id IN (SELECT value FROM "                            \
  "json_array_elements_text($9::json))"                                                       \
  " OR (actor_key_id <> '' AND actor_key_id IN (SELECT value FROM "                           \
  "json_array_elements_text($9::json))))"                                                     \
  " AND ($10::json IS NULL OR lower(actor_user_email) IN (SELECT value FROM "                 \
  "json_array_elements_text($10::json)))"                                                     \
  " AND ($11::json IS NULL OR resource_id IN (SELECT value FROM "                             \
  "json_array_elements_text($11::json)))"                                                     \
  " AND ($12::json IS NULL OR project_id IN (SELECT value FROM "                              \
  "json_array_elements_text($12::json)))"

// Newest first from the upper cursor down: the first page (sentinel cursors beyond every event)
// and `after` pages.
inline constexpr std::string_view kListAuditEventsOlder =
    ROSTER_SQL_LIST_AUDIT_FILTERED " ORDER BY effective_at DESC, id DESC LIMIT $13";
// Oldest first from the lower cursor up: a `before` page, the events nearest the cursor (the
// caller reverses them to newest first).
inline constexpr std::string_view kListAuditEventsNewer =
    ROSTER_SQL_LIST_AUDIT_FILTERED " ORDER BY effective_at ASC, id ASC LIMIT $13";

#undef ROSTER_SQL_LIST_AUDIT_FILTERED

}  // namespace roster::storage::postgres

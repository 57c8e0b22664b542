// Pieces shared by the SqliteStore operations: normalization, row decoding, the reads and writes
// several operations repeat (member / role lookups, the last-owner check, audit events).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/connection_pool.hpp"
#include "storage/sqlite/group_commit.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace roster::storage::sqlite {

struct SqliteStore::Impl {
  // `writer`: the connection every write of a file database runs on (group_commit.hpp), or
  // nullptr for a private database.
  Impl(const core::Clock& c, std::vector<std::unique_ptr<Connection>> connections,
       std::unique_ptr<Connection> writer)
      : clock(c), pool(std::move(connections)), writes(pool, std::move(writer)) {}

  const core::Clock& clock;
  ConnectionPool pool;    // reads
  GroupCommitter writes;  // every write: WriteTransaction txn(impl_->writes)
};

// --- normalization ---------------------------------------------------------------------------

// Trimmed and ASCII-lowercased: the identity of an email address (accounts.email_norm) and of a
// role name (roles.name_norm). ASCII only, so both backends agree without collation support.
std::string Normalize(std::string_view text);
// Leading and trailing ASCII whitespace removed.
std::string_view Trim(std::string_view text);

// Permissions are stored sorted, unique and space-separated (a permission has no spaces).
std::string JoinPermissions(const std::vector<std::string>& permissions);
std::vector<std::string> SplitPermissions(std::string_view stored);
std::vector<std::string> SortedUnique(std::vector<std::string> values);

std::string_view BaseRoleText(core::BaseRole role) noexcept;  // "owner" / "reader"
// Parses a stored base_role; anything else means the database was changed behind our back.
core::BaseRole ParseStoredBaseRole(std::string_view text);

// --- rows ------------------------------------------------------------------------------------

struct MemberRow {
  core::Member member;
  std::int64_t seq = 0;  // the membership row (admin keys are bound to it)
};

struct RoleRow {
  core::Role role;
  std::optional<core::BaseRole> base;  // set on the predefined Owner / Reader rows
};

// Decoders of the column lists in sql.hpp (ROSTER_SQL_*_COLUMNS), by position.
core::Organization ReadOrganization(const Statement& row);
MemberRow ReadMember(const Statement& row);
RoleRow ReadRole(const Statement& row);

// Keyset pages: rows are fetched with limit + 1; the extra one only says "there is more".
inline std::int64_t FetchLimit(int limit) { return static_cast<std::int64_t>(limit) + 1; }
template <typename T>
core::Page<T> FinishPage(std::vector<T> items, int limit) {
  core::Page<T> page;
  page.has_more = items.size() > static_cast<std::size_t>(limit);
  if (page.has_more) items.resize(static_cast<std::size_t>(limit));
  page.items = std::move(items);
  return page;
}

// --- shared reads ----------------------------------------------------------------------------

std::optional<MemberRow> SelectMember(Connection& db, std::string_view org_id,
                                      std::string_view user_id);
std::optional<RoleRow> SelectRole(Connection& db, std::string_view org_id,
                                  std::string_view role_id);
// The predefined role that `base` projects to (exists for every organization).
RoleRow SelectBaseRole(Connection& db, std::string_view org_id, core::BaseRole base);
bool OrganizationExists(Connection& db, std::string_view org_id);
// Whether the account is a live member of the organization.
bool IsMember(Connection& db, std::string_view org_id, std::string_view user_id);

// The same refusals from every operation.
core::Error UserNotFound(std::string_view user_id);
core::Error RoleNotFound(std::string_view role_id);
core::Error OrganizationNotFound(std::string_view org_id);

// --- shared writes ---------------------------------------------------------------------------

// Appends an audit event to the organization's log (project = its default project).
void WriteAuditEvent(Connection& db, core::Timestamp now, const std::optional<core::Actor>& actor,
                     std::string_view org_id, std::string_view type, std::string_view resource_id,
                     const nlohmann::json& payload);

// Sets the member's base role and writes `user.updated`; does nothing (and writes nothing) when
// they already hold it. Demoting the last live owner throws 400 last_owner with `param`.
// Returns whether the base role changed.
bool SetBaseRole(Connection& db, core::Timestamp now, const core::Actor& actor, MemberRow& member,
                 core::BaseRole target, std::optional<std::string> param);

// Assigns a custom role directly and writes `role.assignment.created`; a replay is a no-op
// without an event. Returns whether a new assignment was made.
bool AssignCustomRole(Connection& db, core::Timestamp now, const core::Actor& actor,
                      std::string_view org_id, std::string_view user_id, std::string_view role_id);

// The `role.assignment.*` payload for a user principal (synthetic assignment id, NOTES N-12).
nlohmann::json AssignmentPayload(std::string_view org_id, std::string_view user_id,
                                 std::string_view role_id);
std::string AssignmentId(std::string_view user_id, std::string_view role_id);
// The same payload for a group principal (`principal_type: "group"`, id `<group_id>:<role_id>`).
nlohmann::json GroupAssignmentPayload(std::string_view org_id, std::string_view group_id,
                                      std::string_view role_id);

}  // namespace roster::storage::sqlite

// Shared pieces of the PgStoreOps operations: normalization, row decoders, common reads/writes.
#include "storage/postgres/store_support.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "storage/postgres/pg_errors.hpp"
#include "storage/postgres/sql.hpp"

namespace roster::storage::postgres {

// --- normalization ---------------------------------------------------------------------------

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::string Normalize(std::string_view text) {
  std::string out(Trim(text));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SortedUnique(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

std::string JoinPermissions(const std::vector<std::string>& permissions) {
  std::string out;
  for (const std::string& permission : SortedUnique(permissions)) {
    if (!out.empty()) out += ' ';
    out += permission;
  }
  return out;
}

std::vector<std::string> SplitPermissions(std::string_view stored) {
  std::vector<std::string> out;
  while (!stored.empty()) {
    const auto space = stored.find(' ');
    const std::string_view word = stored.substr(0, space);
    if (!word.empty()) out.emplace_back(word);
    if (space == std::string_view::npos) break;
    stored.remove_prefix(space + 1);
  }
  return out;
}

std::string_view BaseRoleText(core::BaseRole role) noexcept { return core::ToString(role); }

core::BaseRole ParseStoredBaseRole(std::string_view text) {
  if (auto role = core::ParseBaseRole(text)) return *role;
  throw InternalError("unexpected stored base_role '" + std::string(text) + "'");
}

// --- rows ------------------------------------------------------------------------------------

core::Organization ReadOrganization(const Statement& row) {
  core::Organization org;
  org.id = row.Text(0);
  org.name = row.Text(1);
  org.default_project_id = row.Text(2);
  org.created_at = row.Int(3);
  return org;
}

MemberRow ReadMember(const Statement& row) {
  MemberRow out;
  core::Member& m = out.member;
  m.account.id = row.Text(0);
  m.account.email = row.Text(1);
  m.account.name = row.Text(2);
  m.account.picture = row.OptText(3);
  m.account.created_at = row.Int(4);
  m.org_id = row.Text(5);
  m.base_role = ParseStoredBaseRole(row.Text(6));
  m.added_at = row.Int(7);
  m.technical_level = row.OptText(8);
  m.developer_persona = row.OptText(9);
  m.default_project_id = row.Text(10);
  m.default_project_name = row.Text(11);
  out.seq = row.Int(12);
  return out;
}

RoleRow ReadRole(const Statement& row) {
  RoleRow out;
  core::Role& r = out.role;
  r.id = row.Text(0);
  r.org_id = row.Text(1);
  r.name = row.Text(2);
  r.description = row.OptText(3);
  r.permissions = SplitPermissions(row.Text(4));
  r.predefined = row.Int(5) != 0;
  r.created_at = row.Int(6);
  r.updated_at = row.Int(7);
  r.created_by = row.OptText(8);
  r.created_by_name = row.OptText(9);
  r.created_by_email = row.OptText(10);
  if (auto base = row.OptText(11)) out.base = ParseStoredBaseRole(*base);
  return out;
}

// --- shared reads ----------------------------------------------------------------------------

std::optional<MemberRow> SelectMember(Connection& db, std::string_view org_id,
                                      std::string_view user_id) {
  Statement stmt = db.Prepare(kSelectMember);
  stmt.BindText(1, org_id).BindText(2, user_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadMember(stmt);
}

std::optional<RoleRow> SelectRole(Connection& db, std::string_view org_id,
                                  std::string_view role_id) {
  Statement stmt = db.Prepare(kSelectRole);
  stmt.BindText(1, org_id).BindText(2, role_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadRole(stmt);
}

RoleRow SelectBaseRole(Connection& db, std::string_view org_id, core::BaseRole base) {
  Statement stmt = db.Prepare(kSelectBaseRole);
  stmt.BindText(1, org_id).BindText(2, BaseRoleText(base));
  if (!stmt.Step()) {
    throw InternalError("organization " + std::string(org_id) + " has no predefined " +
                        std::string(BaseRoleText(base)) + " role");
  }
  return ReadRole(stmt);
}

bool OrganizationExists(Connection& db, std::string_view org_id) {
  Statement stmt = db.Prepare(kSelectOrganization);
  stmt.BindText(1, org_id);
  return stmt.Step();
}

bool IsMember(Connection& db, std::string_view org_id, std::string_view user_id) {
  Statement stmt = db.Prepare(kSelectMembershipExists);
  stmt.BindText(1, org_id).BindText(2, user_id);
  stmt.Step();
  return stmt.Int(0) != 0;
}

core::Error UserNotFound(std::string_view user_id) {
  return core::NotFound("No such user: '" + std::string(user_id) + "'.");
}

core::Error RoleNotFound(std::string_view role_id) {
  return core::NotFound("No such role: '" + std::string(role_id) + "'.");
}

core::Error OrganizationNotFound(std::string_view org_id) {
  return core::NotFound("No such organization: '" + std::string(org_id) + "'.");
}

// --- shared writes ---------------------------------------------------------------------------

void WriteAuditEvent(Connection& db, core::Timestamp now, const std::optional<core::Actor>& actor,
                     std::string_view org_id, std::string_view type, std::string_view resource_id,
                     const nlohmann::json& payload) {
  Statement stmt = db.Prepare(kInsertAuditEvent);
  // Invalid UTF-8 cannot reach here through the JSON API, but a dump must never throw mid-write.
  const std::string text = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  stmt.BindText(1, core::NewId(core::id_prefix::kAuditLog))
      .BindText(2, org_id)
      .BindText(3, type)
      .BindInt(4, now)
      .BindText(5, resource_id)
      .BindText(6, text);
  if (actor) {
    stmt.BindText(7, actor->key_id).BindText(8, actor->user_id).BindText(9, actor->user_email);
  } else {
    stmt.BindNull(7).BindNull(8).BindNull(9);
  }
  stmt.Run();
  if (stmt.Changes() != 1) {
    throw InternalError("audit event for unknown organization " + std::string(org_id));
  }
}

bool SetBaseRole(Connection& db, core::Timestamp now, const core::Actor& actor, MemberRow& member,
                 core::BaseRole target, std::optional<std::string> param) {
  core::Member& m = member.member;
  if (m.base_role == target) return false;
  if (m.base_role == core::BaseRole::kOwner) {
    // Checked inside the write transaction (BEGIN IMMEDIATE holds the write lock), so two
    // concurrent demotions cannot both see the other as the remaining owner.
    Statement other = db.Prepare(kOtherOwnerExists);
    other.BindText(1, m.org_id).BindText(2, m.account.id);
    other.Step();
    if (other.Int(0) == 0) {
      throw core::BusinessRule(std::string(core::codes::kLastOwner),
                               "The organization must keep at least one owner.", std::move(param));
    }
  }
  {
    Statement update = db.Prepare(kUpdateMemberBaseRole);
    update.BindText(1, m.org_id).BindText(2, m.account.id).BindText(3, BaseRoleText(target)).Run();
  }
  m.base_role = target;
  WriteAuditEvent(
      db, now, actor, m.org_id, "user.updated", m.account.id,
      {{"id", m.account.id}, {"changes_requested", {{"role", std::string(BaseRoleText(target))}}}});
  return true;
}

std::string AssignmentId(std::string_view user_id, std::string_view role_id) {
  return std::string(user_id) + ":" + std::string(role_id);
}

nlohmann::json AssignmentPayload(std::string_view org_id, std::string_view user_id,
                                 std::string_view role_id) {
  return {{"id", AssignmentId(user_id, role_id)},
          {"principal_id", std::string(user_id)},
          {"principal_type", "user"},
          {"resource_id", std::string(org_id)},
          {"resource_type", std::string(core::kOrgResourceType)}};
}

nlohmann::json GroupAssignmentPayload(std::string_view org_id, std::string_view group_id,
                                      std::string_view role_id) {
  return {{"id", AssignmentId(group_id, role_id)},
          {"principal_id", std::string(group_id)},
          {"principal_type", "group"},
          {"resource_id", std::string(org_id)},
          {"resource_type", std::string(core::kOrgResourceType)}};
}

bool AssignCustomRole(Connection& db, core::Timestamp now, const core::Actor& actor,
                      std::string_view org_id, std::string_view user_id, std::string_view role_id) {
  {
    Statement insert = db.Prepare(kInsertUserRole);
    insert.BindText(1, org_id).BindText(2, user_id).BindText(3, role_id).BindInt(4, now).Run();
    // ON CONFLICT DO NOTHING: a replay changes no row and must not log a second event.
    if (insert.Changes() == 0) return false;
  }
  WriteAuditEvent(db, now, actor, org_id, "role.assignment.created", AssignmentId(user_id, role_id),
                  AssignmentPayload(org_id, user_id, role_id));
  return true;
}

}  // namespace roster::storage::postgres

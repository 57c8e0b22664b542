// PgStoreOps: invites and their acceptance.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "storage/postgres/sql.hpp"
#include "storage/postgres/sql_invites.hpp"
#include "storage/postgres/store_ops.hpp"
#include "storage/postgres/store_support.hpp"
#include "storage/postgres/transaction.hpp"

namespace roster::storage::postgres {
namespace {

using Mode = Transaction::Mode;

// The project roles an invite may grant (CONTRACT §10.1).
constexpr std::string_view kProjectOwner = "owner";
constexpr std::string_view kProjectMember = "member";

// The role an invitee gets in the default project when the invite names no projects: the same
// projection of the base role that a member's `projects` shows.
std::string_view DefaultProjectRole(core::BaseRole role) noexcept {
  return role == core::BaseRole::kOwner ? kProjectOwner : kProjectMember;
}

// invites.projects: NULL = the default project, '' = none, else `project_id:role` pairs joined
// by spaces (project ids contain neither).
std::optional<std::string> EncodeProjects(
    const std::optional<std::vector<core::InviteProject>>& projects) {
  if (!projects) return std::nullopt;
  std::string out;
  for (const core::InviteProject& project : *projects) {
    if (!out.empty()) out += ' ';
    out += project.id;
    out += ':';
    out += project.role;
  }
  return out;
}

std::vector<core::InviteProject> DecodeProjects(const std::optional<std::string>& stored,
                                                core::BaseRole role,
                                                const std::string& default_project_id) {
  // The invite shows what acceptance grants, so "the default project" is spelled out.
  if (!stored)
    return {core::InviteProject{default_project_id, std::string(DefaultProjectRole(role))}};
  std::vector<core::InviteProject> out;
  std::string_view rest = *stored;
  while (!rest.empty()) {
    const std::string_view pair = rest.substr(0, rest.find(' '));
    rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
    const auto colon = pair.rfind(':');
    if (colon == std::string_view::npos) {
      throw InternalError("unexpected stored invite project '" + std::string(pair) + "'");
    }
    out.push_back(core::InviteProject{std::string(pair.substr(0, colon)),
                                      std::string(pair.substr(colon + 1))});
  }
  return out;
}

// Decodes the columns of sql_invites.hpp (ROSTER_SQL_INVITE_COLUMNS).
core::Invite ReadInvite(const Statement& row) {
  core::Invite invite;
  invite.id = row.Text(0);
  invite.org_id = row.Text(1);
  invite.email = row.Text(2);
  invite.role = ParseStoredBaseRole(row.Text(3));
  invite.created_at = row.Int(4);
  invite.expires_at = row.OptInt(5);
  invite.accepted_at = row.OptInt(6);
  invite.projects = DecodeProjects(row.OptText(7), invite.role, row.Text(10));
  invite.token_hash = row.Text(8);
  invite.accepted_user_id = row.OptText(9);
  return invite;
}

std::optional<core::Invite> SelectInvite(Connection& db, std::string_view org_id,
                                         std::string_view invite_id) {
  Statement stmt = db.Prepare(kSelectInvite);
  stmt.BindText(1, org_id).BindText(2, invite_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadInvite(stmt);
}

std::optional<core::Invite> SelectInviteByTokenHash(Connection& db, std::string_view token_hash) {
  Statement stmt = db.Prepare(kSelectInviteByTokenHash);
  stmt.BindText(1, token_hash);
  if (!stmt.Step()) return std::nullopt;
  return ReadInvite(stmt);
}

core::Error InviteNotFound(std::string_view invite_id) {
  return core::NotFound("No such invite: '" + std::string(invite_id) + "'.");
}

// Only the organization's projects may be granted, and only its default project exists; each
// once, with a project role.
void CheckProjects(const std::vector<core::InviteProject>& projects,
                   const std::string& default_project_id) {
  std::set<std::string> seen;
  for (const core::InviteProject& project : projects) {
    if (project.id != default_project_id) {
      throw core::InvalidValue("projects", "Invalid 'projects': '" + project.id +
                                               "' is not a project of this organization.");
    }
    if (project.role != kProjectOwner && project.role != kProjectMember) {
      throw core::InvalidValue("projects", "Invalid project role '" + project.role +
                                               "'. Supported values are: 'member' and 'owner'.");
    }
    if (!seen.insert(project.id).second) {
      throw core::InvalidValue("projects",
                               "Invalid 'projects': '" + project.id + "' is listed twice.");
    }
  }
}

// The id of the account with this normalized email, if any.
std::optional<std::string> AccountIdByEmail(Connection& db, std::string_view email_norm) {
  Statement stmt = db.Prepare(kSelectAccountIdByEmail);
  stmt.BindText(1, email_norm);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Text(0);
}

// The name of a new account: the one given, else the local part of the email (an account always
// has a name, and the invitee can be renamed later).
std::string AccountName(std::string_view name, std::string_view email) {
  const std::string_view trimmed = Trim(name);
  if (!trimmed.empty()) return std::string(trimmed);
  return std::string(email.substr(0, email.find('@')));
}

core::Error AcceptRefused(std::string_view code, std::string message) {
  return core::BusinessRule(std::string(code), std::move(message));
}

}  // namespace

core::Page<core::Invite> PgStoreOps::ListInvites(std::string_view org_id, const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);  // cursor check and page from one snapshot
  if (query.after) {
    Statement cursor = db->Prepare(kSelectInviteCursor);
    cursor.BindText(1, org_id).BindText(2, *query.after);
    cursor.Step();
    if (cursor.Int(0) == 0) {
      throw core::InvalidValue("after", "Invalid 'after': '" + *query.after +
                                            "' is not an invite of this organization.");
    }
  }
  std::vector<core::Invite> items;
  {
    Statement stmt = db->Prepare(kListInvites);
    stmt.BindText(1, org_id).BindText(2, query.after.value_or("")).BindInt(3, FetchLimit(limit));
    while (stmt.Step()) items.push_back(ReadInvite(stmt));
  }
  txn.Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::Invite> PgStoreOps::GetInvite(std::string_view org_id,
                                                  std::string_view invite_id) {
  auto db = impl_->pool.Acquire();
  return SelectInvite(*db, org_id, invite_id);
}

core::Invite PgStoreOps::CreateInvite(const core::Actor& actor, std::string_view org_id,
                                      const NewInvite& invite) {
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  const std::string email(Trim(invite.email));
  const std::string email_norm = Normalize(invite.email);
  const std::string id = core::NewId(core::id_prefix::kInvite);

  Transaction txn(*db, Mode::kWrite, org_id);
  std::optional<core::Organization> org;
  {
    Statement stmt = db->Prepare(kSelectOrganization);
    stmt.BindText(1, org_id);
    if (!stmt.Step()) throw OrganizationNotFound(org_id);
    org = ReadOrganization(stmt);
  }
  if (invite.projects) CheckProjects(*invite.projects, org->default_project_id);
  if (const auto account_id = AccountIdByEmail(*db, email_norm);
      account_id && IsMember(*db, org_id, *account_id)) {
    throw core::BusinessRule(std::string(core::codes::kAlreadyMember),
                             "'" + email + "' is already a member of the organization.", "email");
  }
  {
    // Checked under the write lock (BEGIN IMMEDIATE), so two concurrent invites of one address
    // cannot both pass.
    Statement pending = db->Prepare(kSelectPendingInviteExists);
    pending.BindText(1, org_id).BindText(2, email_norm).BindInt(3, now);
    pending.Step();
    if (pending.Int(0) != 0) {
      throw core::BusinessRule(std::string(core::codes::kInviteAlreadyExists),
                               "'" + email + "' already has a pending invite; delete it first.",
                               "email");
    }
  }
  {
    Statement stmt = db->Prepare(kInsertInvite);
    stmt.BindText(1, id)
        .BindText(2, org_id)
        .BindText(3, email)
        .BindText(4, email_norm)
        .BindText(5, BaseRoleText(invite.role))
        .BindOptText(6, EncodeProjects(invite.projects))
        .BindText(7, invite.token_hash)
        .BindInt(8, now)
        .BindInt(9, invite.expires_at);
    // The inviter is an account when the actor is a key's owner; a synthetic actor has none.
    if (actor.user_id.empty()) {
      stmt.BindNull(10);
    } else {
      stmt.BindText(10, actor.user_id);
    }
    stmt.Run();
  }
  WriteAuditEvent(
      *db, now, actor, org_id, "invite.sent", id,
      {{"id", id}, {"data", {{"email", email}, {"role", std::string(BaseRoleText(invite.role))}}}});
  std::optional<core::Invite> created = SelectInvite(*db, org_id, id);
  if (!created) throw InternalError("invite vanished after insert");
  txn.Commit();
  return std::move(*created);
}

void PgStoreOps::DeleteInvite(const core::Actor& actor, std::string_view org_id,
                              std::string_view invite_id) {
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite, org_id);
  const std::optional<core::Invite> invite = SelectInvite(*db, org_id, invite_id);
  if (!invite) throw InviteNotFound(invite_id);
  if (invite->accepted_at) {
    throw core::BusinessRule(
        std::string(core::codes::kInviteAlreadyAccepted),
        "Invite '" + invite->id + "' has already been accepted and cannot be deleted.");
  }
  {
    // A tombstone: the id stays a valid `after` cursor and the token stops working.
    Statement stmt = db->Prepare(kTombstoneInvite);
    stmt.BindText(1, org_id).BindText(2, invite->id).BindInt(3, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "invite.deleted", invite->id, {{"id", invite->id}});
  txn.Commit();
}

std::optional<core::Invite> PgStoreOps::FindInviteByTokenHash(std::string_view token_hash) {
  auto db = impl_->pool.Acquire();
  return SelectInviteByTokenHash(*db, token_hash);
}

core::Invite PgStoreOps::ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                            std::string_view token_hash) {
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kWrite, org_id);
  {
    Statement stmt = db->Prepare(kReissueInviteToken);
    stmt.BindText(1, org_id).BindText(2, invite_id).BindText(3, token_hash).Run();
    if (stmt.Changes() == 0) throw InviteNotFound(invite_id);
  }
  std::optional<core::Invite> invite = SelectInvite(*db, org_id, invite_id);
  if (!invite) throw InternalError("invite vanished after its token was reissued");
  txn.Commit();
  return std::move(*invite);
}

core::Member PgStoreOps::AcceptInvite(std::string_view token_hash, std::string_view name) {
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  // The organization is known only from the invite: no writer lock, SERIALIZABLE alone keeps
  // this consistent with concurrent writers of the organization (they may make it retry).
  Transaction txn(*db, Mode::kWrite);
  const std::optional<core::Invite> invite = SelectInviteByTokenHash(*db, token_hash);
  if (!invite) {
    throw AcceptRefused(core::codes::kInviteNotFound,
                        "This invite link is not valid: the invite does not exist or was revoked.");
  }
  switch (invite->StatusAt(now)) {
    case core::InviteStatus::kAccepted:
      throw AcceptRefused(core::codes::kInviteAlreadyAccepted,
                          "This invite has already been accepted.");
    case core::InviteStatus::kExpired:
      throw AcceptRefused(core::codes::kInviteExpired,
                          "This invite has expired; ask an owner of the organization for a new "
                          "one.");
    case core::InviteStatus::kPending:
      break;
  }

  const std::string email_norm = Normalize(invite->email);
  std::optional<std::string> user_id = AccountIdByEmail(*db, email_norm);
  if (user_id && IsMember(*db, invite->org_id, *user_id)) {
    throw AcceptRefused(core::codes::kAlreadyMember,
                        "'" + invite->email + "' is already a member of the organization.");
  }
  if (!user_id) {
    // An existing account joins with its identity; only a new one takes the given name.
    user_id = core::NewId(core::id_prefix::kUser);
    Statement insert = db->Prepare(kInsertAccountIfNew);
    insert.BindText(1, *user_id)
        .BindText(2, invite->email)
        .BindText(3, email_norm)
        .BindText(4, AccountName(name, invite->email))
        .BindInt(5, now)
        .Run();
  }
  {
    Statement stmt = db->Prepare(kInsertMembership);
    stmt.BindText(1, invite->org_id)
        .BindText(2, *user_id)
        .BindText(3, BaseRoleText(invite->role))
        .BindInt(4, now)
        .Run();
  }
  {
    Statement stmt = db->Prepare(kMarkInviteAccepted);
    stmt.BindText(1, invite->id).BindInt(2, now).BindText(3, *user_id).Run();
    if (stmt.Changes() != 1)
      throw InternalError("invite " + invite->id + " changed under the lock");
  }
  std::optional<MemberRow> member = SelectMember(*db, invite->org_id, *user_id);
  if (!member) throw InternalError("member vanished after insert");
  // The person accepting acts for themselves, without a key (an empty key id).
  const core::Actor actor{invite->org_id, "", *user_id, member->member.account.email};
  WriteAuditEvent(*db, now, actor, invite->org_id, "invite.accepted", invite->id,
                  {{"id", invite->id}});
  WriteAuditEvent(
      *db, now, actor, invite->org_id, "user.added", *user_id,
      {{"id", *user_id}, {"data", {{"role", std::string(BaseRoleText(invite->role))}}}});
  txn.Commit();
  return std::move(member->member);
}

}  // namespace roster::storage::postgres

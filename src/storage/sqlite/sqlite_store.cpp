// SqliteStore: opening, organizations, admin keys, members and the audit log.
#include "storage/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/permissions.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/sql_audit.hpp"
#include "storage/sqlite/sql_groups.hpp"
#include "storage/sqlite/store_keys.hpp"
#include "storage/sqlite/store_support.hpp"
#include "storage/sqlite/transaction.hpp"

namespace roster::storage::sqlite {
namespace {

using Mode = Transaction::Mode;

// Predefined roles carry exactly the catalogue of the running build, so a permission added to
// the catalogue reaches every Owner (who holds everything) without a data migration.
void RefreshBaseRolePermissions(Connection& db) {
  Transaction txn(db, Mode::kWrite);
  for (core::BaseRole base : {core::BaseRole::kOwner, core::BaseRole::kReader}) {
    Statement stmt = db.Prepare(kRefreshBaseRolePermissions);
    stmt.BindText(1, BaseRoleText(base))
        .BindText(2, JoinPermissions(core::PredefinedPermissions(base)))
        .Run();
  }
  txn.Commit();
}

void InsertPredefinedRole(Connection& db, std::string_view org_id, core::BaseRole base,
                          std::string_view id, core::Timestamp now) {
  const std::string_view name = core::PredefinedRoleName(base);
  Statement stmt = db.Prepare(kInsertRole);
  stmt.BindText(1, id)
      .BindText(2, org_id)
      .BindText(3, name)
      .BindText(4, Normalize(name))
      .BindNull(5)
      .BindText(6, JoinPermissions(core::PredefinedPermissions(base)))
      .BindInt(7, 1)
      .BindText(8, BaseRoleText(base))
      .BindInt(9, now)
      .BindNull(10)
      .Run();
}

// The account with this email, created when none exists. Returns its id.
std::string EnsureAccount(Connection& db, const NewMember& member, std::string_view email_norm,
                          core::Timestamp now) {
  {
    Statement select = db.Prepare(kSelectAccountIdByEmail);
    select.BindText(1, email_norm);
    if (select.Step()) return select.Text(0);
  }
  std::string id = core::NewId(core::id_prefix::kUser);
  Statement insert = db.Prepare(kInsertAccountIfNew);
  insert.BindText(1, id)
      .BindText(2, Trim(member.email))
      .BindText(3, email_norm)
      .BindText(4, member.name)
      .BindInt(5, now)
      .Run();
  return id;
}

core::Error AlreadyMember() {
  return core::BusinessRule(std::string(core::codes::kAlreadyMember),
                            "This user is already a member of the organization.", "email");
}

void InsertMembership(Connection& db, std::string_view org_id, std::string_view user_id,
                      core::BaseRole base, core::Timestamp now) {
  Statement stmt = db.Prepare(kInsertMembership);
  stmt.BindText(1, org_id).BindText(2, user_id).BindText(3, BaseRoleText(base)).BindInt(4, now);
  stmt.Run();
}

// --- the bodies of the organization, member and key writes, run inside the caller's transaction

core::Organization InsertOrganization(Connection& db, std::string_view name, core::Timestamp now) {
  core::Organization org;
  org.id = core::NewId(core::id_prefix::kOrganization);
  org.name = std::string(name);
  org.default_project_id = core::NewId(core::id_prefix::kProject);
  org.created_at = now;
  {
    Statement stmt = db.Prepare(kInsertOrganization);
    stmt.BindText(1, org.id)
        .BindText(2, org.name)
        .BindText(3, org.default_project_id)
        .BindText(4, core::kDefaultProjectName)
        .BindInt(5, now)
        .Run();
  }
  // Owner first, then Reader: role ids are time-ordered, so they list first, in this order. Two
  // ids of the same millisecond are ordered by a counter that wraps; redraw in that rare case.
  const std::string owner_role_id = core::NewId(core::id_prefix::kRole);
  std::string reader_role_id = core::NewId(core::id_prefix::kRole);
  while (reader_role_id <= owner_role_id) reader_role_id = core::NewId(core::id_prefix::kRole);
  InsertPredefinedRole(db, org.id, core::BaseRole::kOwner, owner_role_id, now);
  InsertPredefinedRole(db, org.id, core::BaseRole::kReader, reader_role_id, now);
  return org;
}

core::Member InsertMember(Connection& db, core::Timestamp now,
                          const std::optional<core::Actor>& actor, std::string_view org_id,
                          const NewMember& member) {
  if (!OrganizationExists(db, org_id)) throw OrganizationNotFound(org_id);
  const std::string user_id = EnsureAccount(db, member, Normalize(member.email), now);
  if (IsMember(db, org_id, user_id)) throw AlreadyMember();
  InsertMembership(db, org_id, user_id, member.base_role, now);
  WriteAuditEvent(
      db, now, actor, org_id, "user.added", user_id,
      {{"id", user_id}, {"data", {{"role", std::string(BaseRoleText(member.base_role))}}}});
  std::optional<MemberRow> added = SelectMember(db, org_id, user_id);
  if (!added) throw InternalError("member vanished after insert");
  return std::move(added->member);
}

core::AdminKey InsertAdminKey(Connection& db, core::Timestamp now,
                              const std::optional<core::Actor>& actor, std::string_view org_id,
                              const NewAdminKey& key) {
  const std::optional<MemberRow> owner = SelectMember(db, org_id, key.owner_user_id);
  if (!owner) throw UserNotFound(key.owner_user_id);

  core::AdminKey out;
  out.id = core::NewId(core::id_prefix::kAdminKey);
  out.org_id = std::string(org_id);
  out.name = key.name;
  out.redacted_value = key.redacted_value;
  out.created_at = now;
  out.expires_at = key.expires_at;
  out.owner_user_id = key.owner_user_id;
  {
    Statement stmt = db.Prepare(kInsertAdminKey);
    stmt.BindText(1, out.id)
        .BindText(2, out.org_id)
        .BindText(3, out.owner_user_id)
        .BindInt(4, owner->seq)
        .BindOptText(5, out.name)
        .BindText(6, key.key_hash)
        .BindText(7, out.redacted_value)
        .BindInt(8, now)
        .BindOptInt(9, out.expires_at)
        .Run();
  }
  out.owner_name = owner->member.account.name;
  out.owner_email = owner->member.account.email;
  out.owner_added_at = owner->member.added_at;
  out.owner_role = owner->member.base_role;
  // `api_key.created` is a non-tenant event type (CONTRACT §11.3); admin keys carry no scopes.
  WriteAuditEvent(db, now, actor, org_id, "api_key.created", out.id,
                  {{"id", out.id}, {"data", {{"scopes", nlohmann::json::array()}}}});
  return out;
}

// --- audit log helpers ------------------------------------------------------------------------

// The effective_at filters folded into one inclusive range (empty when lowest > highest).
struct AuditBounds {
  core::Timestamp lowest = std::numeric_limits<core::Timestamp>::min();
  core::Timestamp highest = std::numeric_limits<core::Timestamp>::max();
};

AuditBounds EffectiveBounds(const AuditQuery& query) {
  constexpr core::Timestamp kMin = std::numeric_limits<core::Timestamp>::min();
  constexpr core::Timestamp kMax = std::numeric_limits<core::Timestamp>::max();
  AuditBounds bounds;
  // gt x is gte x+1 and lt x is lte x-1 on integers; at the type's edge nothing can match.
  if (query.effective_gt) {
    if (*query.effective_gt == kMax) return {kMax, kMin};
    bounds.lowest = std::max(bounds.lowest, *query.effective_gt + 1);
  }
  if (query.effective_gte) bounds.lowest = std::max(bounds.lowest, *query.effective_gte);
  if (query.effective_lt) {
    if (*query.effective_lt == kMin) return {kMax, kMin};
    bounds.highest = std::min(bounds.highest, *query.effective_lt - 1);
  }
  if (query.effective_lte) bounds.highest = std::min(bounds.highest, *query.effective_lte);
  return bounds;
}

// A position in the log's order (effective_at, id).
struct AuditPosition {
  core::Timestamp effective_at = 0;
  std::string id;
};

// The position of the event named by cursor `param` (`after` / `before`); an id that never named
// an event of the organization → 400 invalid_value.
AuditPosition AuditCursor(Connection& db, std::string_view org_id, const char* param,
                          const std::string& id) {
  Statement cursor = db.Prepare(kSelectAuditCursor);
  cursor.BindText(1, org_id).BindText(2, id);
  if (!cursor.Step()) {
    throw core::InvalidValue(param, "Invalid '" + std::string(param) + "': '" + id +
                                        "' is not an audit log event of this organization.");
  }
  return AuditPosition{cursor.Int(0), id};
}

// An any-of filter: the values as a JSON array, or NULL (no filter) when there are none.
void BindAnyOf(Statement& stmt, int index, const std::vector<std::string>& values) {
  if (values.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.BindText(index, nlohmann::json(values).dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace));
  }
}

// Decodes a row of kListAuditEventsOlder / kListAuditEventsNewer.
core::AuditEvent ReadAuditEvent(const Statement& stmt) {
  core::AuditEvent event;
  event.id = stmt.Text(0);
  event.org_id = stmt.Text(1);
  event.type = stmt.Text(2);
  event.effective_at = stmt.Int(3);
  event.resource_id = stmt.Text(4);
  event.payload = nlohmann::json::parse(stmt.Text(5), nullptr, /*allow_exceptions=*/false);
  if (event.payload.is_discarded()) {
    throw InternalError("audit event " + event.id + " has a payload that is not JSON");
  }
  // An empty key id is a person acting without a key (invite acceptance); no actor at all is a
  // change made from the shell.
  if (!stmt.IsNull(6) || !stmt.IsNull(7)) {
    event.actor = core::Actor{event.org_id, stmt.OptText(6).value_or(""),
                              stmt.OptText(7).value_or(""), stmt.OptText(8).value_or("")};
  }
  return event;
}

}  // namespace

// --- lifecycle -------------------------------------------------------------------------------

SqliteStore::SqliteStore(const std::string& path, const core::Clock& clock, SqliteOptions options) {
  // Each connection to ":memory:" (or "", a private temporary file) is its own database, so
  // those get exactly one connection.
  const bool private_db = path == ":memory:" || path.empty();
  const int size = private_db ? 1 : std::max(1, options.pool_size);
  std::vector<std::unique_ptr<Connection>> connections;
  connections.push_back(std::make_unique<Connection>(path, options.busy_timeout_ms));
  ApplyMigrations(*connections.front(), clock.Now());
  RefreshBaseRolePermissions(*connections.front());
  for (int i = 1; i < size; ++i) {
    connections.push_back(std::make_unique<Connection>(path, options.busy_timeout_ms));
  }
  std::unique_ptr<Connection> writer;
  if (!private_db) writer = std::make_unique<Connection>(path, options.busy_timeout_ms);
  impl_ = std::make_unique<Impl>(clock, std::move(connections), std::move(writer));
}

SqliteStore::~SqliteStore() = default;

void SqliteStore::ExecuteOnWriter(std::string_view sql) { impl_->writes.ExecuteOnWriter(sql); }

int SqliteStore::SchemaVersion() {
  auto db = impl_->pool.Acquire();
  return CurrentSchemaVersion(*db);
}

// --- organizations ---------------------------------------------------------------------------

std::vector<core::Organization> SqliteStore::ListOrganizations() {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kListOrganizations);
  std::vector<core::Organization> out;
  while (stmt.Step()) out.push_back(ReadOrganization(stmt));
  return out;
}

core::Organization SqliteStore::CreateOrganization(std::string_view name) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  core::Organization org = InsertOrganization(txn.connection(), name, now);
  txn.Commit();
  return org;
}

std::optional<core::Organization> SqliteStore::GetOrganization(std::string_view org_id) {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kSelectOrganization);
  stmt.BindText(1, org_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadOrganization(stmt);
}

// --- admin keys ------------------------------------------------------------------------------

std::optional<KeyRecord> SqliteStore::FindKeyByHash(std::string_view key_hash) {
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);  // the key and its owner's permissions from one snapshot
  KeyRecord record;
  {
    Statement stmt = db->Prepare(kSelectKeyByHash);
    stmt.BindText(1, key_hash);
    if (!stmt.Step()) return std::nullopt;
    record.key.id = stmt.Text(0);
    record.key.org_id = stmt.Text(1);
    record.key.name = stmt.OptText(2);
    record.key.redacted_value = stmt.Text(3);
    record.key.created_at = stmt.Int(4);
    record.key.expires_at = stmt.OptInt(5);
    record.key.last_used_at = stmt.OptInt(6);
    record.key.owner_user_id = stmt.Text(7);
    record.key_hash = stmt.Text(8);
    record.actor =
        core::Actor{record.key.org_id, record.key.id, record.key.owner_user_id, stmt.Text(9)};
  }
  record.permissions = SelectEffectivePermissions(*db, record.key.org_id, record.key.owner_user_id);
  record.auth_generation = SelectAuthGeneration(*db, record.key.org_id);
  txn.Commit();
  return record;
}

core::AdminKey SqliteStore::CreateAdminKey(const std::optional<core::Actor>& actor,
                                           std::string_view org_id, const NewAdminKey& key) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  core::AdminKey out = InsertAdminKey(txn.connection(), now, actor, org_id, key);
  txn.Commit();
  return out;
}

// --- members ---------------------------------------------------------------------------------

core::Member SqliteStore::AddMember(const std::optional<core::Actor>& actor,
                                    std::string_view org_id, const NewMember& member) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  core::Member added = InsertMember(txn.connection(), now, actor, org_id, member);
  txn.Commit();
  return added;
}

CreatedOrganization SqliteStore::CreateOrganizationWithOwner(const NewOrganization& request) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection& db = txn.connection();
  CreatedOrganization out;
  out.organization = InsertOrganization(db, request.name, now);
  out.owner = InsertMember(db, now, std::nullopt, out.organization.id, request.owner);
  NewAdminKey key = request.key;
  key.owner_user_id = out.owner.account.id;
  out.key = InsertAdminKey(db, now, std::nullopt, out.organization.id, key);
  txn.Commit();
  return out;
}

std::size_t SqliteStore::AddMembersBulk(std::string_view org_id,
                                        const std::vector<NewMember>& members) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  if (!OrganizationExists(*db, org_id)) throw OrganizationNotFound(org_id);
  // One lease per statement for the whole loop: no cache lookups per row.
  Statement insert_account = db->Prepare(kInsertAccountIfNew);
  Statement insert_membership = db->Prepare(kInsertMembership);
  std::string user_id;
  std::string email_norm;
  for (const NewMember& member : members) {
    email_norm = Normalize(member.email);
    user_id = core::NewId(core::id_prefix::kUser);
    insert_account.BindText(1, user_id)
        .BindText(2, Trim(member.email))
        .BindText(3, email_norm)
        .BindText(4, member.name)
        .BindInt(5, now)
        .Run();
    const bool created = insert_account.Changes() == 1;
    insert_account.Reset();
    if (!created) {
      // Rare path (the emails are meant to be new): reuse the account unless already a member.
      Statement select = db->Prepare(kSelectAccountIdByEmail);
      select.BindText(1, email_norm);
      if (!select.Step()) throw InternalError("account vanished during bulk insert");
      user_id = select.Text(0);
      if (IsMember(*db, org_id, user_id)) throw AlreadyMember();
    }
    insert_membership.BindText(1, org_id)
        .BindText(2, user_id)
        .BindText(3, BaseRoleText(member.base_role))
        .BindInt(4, now)
        .Run();
    insert_membership.Reset();
  }
  txn.Commit();
  return members.size();
}

std::optional<core::Member> SqliteStore::GetMember(std::string_view org_id,
                                                   std::string_view user_id) {
  auto db = impl_->pool.Acquire();
  std::optional<MemberRow> row = SelectMember(*db, org_id, user_id);
  if (!row) return std::nullopt;
  return std::move(row->member);
}

core::Page<core::Member> SqliteStore::ListMembers(std::string_view org_id,
                                                  const ListMembersQuery& query) {
  const int limit = std::max(1, query.limit);
  std::vector<std::string> emails;
  emails.reserve(query.emails.size());
  for (const std::string& email : query.emails) emails.push_back(Normalize(email));
  emails = SortedUnique(std::move(emails));

  auto db = impl_->pool.Acquire();
  // The cursor lookup and the page must see the same snapshot.
  std::optional<Transaction> txn;
  std::int64_t after_seq = 0;  // seq starts at 1
  if (query.after) {
    txn.emplace(*db, Mode::kRead);
    Statement cursor = db->Prepare(kSelectMemberCursor);
    cursor.BindText(1, org_id).BindText(2, *query.after);
    cursor.Step();
    if (cursor.IsNull(0)) {
      throw core::InvalidValue(
          "after", "Invalid 'after': '" + *query.after + "' is not a user of this organization.");
    }
    after_seq = cursor.Int(0);
  }
  std::vector<core::Member> items;
  {
    Statement stmt = db->Prepare(emails.empty() ? kListMembers : kListMembersByEmail);
    stmt.BindText(1, org_id).BindInt(2, after_seq).BindInt(3, FetchLimit(limit));
    if (!emails.empty()) stmt.BindText(4, nlohmann::json(emails).dump());
    while (stmt.Step()) items.push_back(std::move(ReadMember(stmt).member));
  }
  if (txn) txn->Commit();
  return FinishPage(std::move(items), limit);
}

core::Member SqliteStore::UpdateMember(const core::Actor& actor, std::string_view org_id,
                                       std::string_view user_id, const MemberPatch& patch) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  std::optional<MemberRow> member = SelectMember(*db, org_id, user_id);
  if (!member) throw UserNotFound(user_id);

  std::optional<RoleRow> role;
  if (patch.role_id) {
    role = SelectRole(*db, org_id, *patch.role_id);
    if (!role) throw RoleNotFound(*patch.role_id);
  }
  if (patch.base_role && role && role->base != patch.base_role) {
    throw core::BusinessRule(std::string(core::codes::kConflictingParameters),
                             "'role' and 'role_id' name different roles; give one of them.",
                             "role_id");
  }

  // Metadata first, role changes after: a refused role change must roll this back too (the
  // whole call is one transaction), which the conformance suite checks.
  core::Member& m = member->member;
  const auto technical_level = patch.technical_level ? patch.technical_level : m.technical_level;
  const auto developer_persona =
      patch.developer_persona ? patch.developer_persona : m.developer_persona;
  if (technical_level != m.technical_level || developer_persona != m.developer_persona) {
    Statement stmt = db->Prepare(kUpdateMemberMetadata);
    stmt.BindText(1, org_id)
        .BindText(2, user_id)
        .BindOptText(3, technical_level)
        .BindOptText(4, developer_persona)
        .Run();
    m.technical_level = technical_level;
    m.developer_persona = developer_persona;
  }

  if (patch.base_role) {
    SetBaseRole(*db, now, actor, *member, *patch.base_role, "role");
  } else if (role && role->base) {
    SetBaseRole(*db, now, actor, *member, *role->base, "role_id");
  } else if (role) {
    AssignCustomRole(*db, now, actor, org_id, user_id, role->role.id);
  }
  txn.Commit();
  return std::move(member->member);
}

void SqliteStore::DeleteMember(const core::Actor& actor, std::string_view org_id,
                               std::string_view user_id) {
  const core::Timestamp now = impl_->clock.Now();
  WriteTransaction txn(impl_->writes);
  Connection* const db = &txn.connection();
  std::optional<MemberRow> member = SelectMember(*db, org_id, user_id);
  if (!member) throw UserNotFound(user_id);
  if (member->member.base_role == core::BaseRole::kOwner) {
    Statement other = db->Prepare(kOtherOwnerExists);
    other.BindText(1, org_id).BindText(2, user_id);
    other.Step();
    if (other.Int(0) == 0) {
      throw core::BusinessRule(std::string(core::codes::kLastOwner),
                               "The organization must keep at least one owner.");
    }
  }
  {
    Statement stmt = db->Prepare(kDeleteUserRolesOfMember);
    stmt.BindText(1, org_id).BindText(2, user_id).Run();
  }
  {
    // Out of every group too (no event: membership changes have none, NOTES N-12), so the roles
    // of those groups stop applying and a re-added account starts in no group.
    Statement stmt = db->Prepare(kDeleteGroupMembershipsOfMember);
    stmt.BindText(1, org_id).BindText(2, user_id).Run();
  }
  {
    // A tombstone, not a delete: `after=<this user>` must keep its position in the list. Admin
    // keys stay but stop authenticating (they are bound to this membership row).
    Statement stmt = db->Prepare(kTombstoneMembership);
    stmt.BindText(1, org_id).BindText(2, user_id).BindInt(3, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "user.deleted", user_id, {{"id", std::string(user_id)}});
  txn.Commit();
}

// --- audit log -------------------------------------------------------------------------------

core::Page<core::AuditEvent> SqliteStore::ListAuditEvents(std::string_view org_id,
                                                          const AuditQuery& query) {
  const int limit = std::max(1, query.limit);
  const AuditBounds bounds = EffectiveBounds(query);
  std::vector<std::string> emails;
  emails.reserve(query.actor_emails.size());
  for (const std::string& email : query.actor_emails) emails.push_back(Normalize(email));

  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Mode::kRead);  // cursor lookups and page from one snapshot
  // Sentinels beyond every event: ids are ASCII below '~' and never empty.
  AuditPosition upper{std::numeric_limits<core::Timestamp>::max(), "~"};
  AuditPosition lower{std::numeric_limits<core::Timestamp>::min(), ""};
  if (query.after) upper = AuditCursor(*db, org_id, "after", *query.after);
  if (query.before) lower = AuditCursor(*db, org_id, "before", *query.before);
  // A `before` page holds the events just newer than its cursor; with `after` as well, paging
  // continues downwards from `after` (the SDKs only ever send `after`).
  const bool newer = query.before && !query.after;

  std::vector<core::AuditEvent> items;
  {
    Statement stmt = db->Prepare(newer ? kListAuditEventsNewer : kListAuditEventsOlder);
    stmt.BindText(1, org_id)
        .BindInt(2, bounds.lowest)
        .BindInt(3, bounds.highest)
        .BindInt(4, upper.effective_at)
        .BindText(5, upper.id)
        .BindInt(6, lower.effective_at)
        .BindText(7, lower.id);
    BindAnyOf(stmt, 8, query.event_types);
    BindAnyOf(stmt, 9, query.actor_ids);
    BindAnyOf(stmt, 10, emails);
    BindAnyOf(stmt, 11, query.resource_ids);
    BindAnyOf(stmt, 12, query.project_ids);
    stmt.BindInt(13, FetchLimit(limit));
    while (stmt.Step()) items.push_back(ReadAuditEvent(stmt));
  }
  txn.Commit();
  core::Page<core::AuditEvent> page = FinishPage(std::move(items), limit);
  if (newer) std::reverse(page.items.begin(), page.items.end());
  return page;
}

}  // namespace roster::storage::sqlite

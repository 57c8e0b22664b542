// PgStoreOps: admin key listing, retrieval, revocation and use, and the effective permissions
// authentication hands to the router.
#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "storage/postgres/sql.hpp"
#include "storage/postgres/sql_keys.hpp"
#include "storage/postgres/store_keys.hpp"
#include "storage/postgres/store_ops.hpp"
#include "storage/postgres/store_support.hpp"
#include "storage/postgres/transaction.hpp"

namespace roster::storage::postgres {
namespace {

using Mode = Transaction::Mode;

// Decodes the columns of the live-key selects in sql_keys.hpp.
core::AdminKey ReadAdminKey(const Statement& row) {
  core::AdminKey key;
  key.id = row.Text(0);
  key.org_id = row.Text(1);
  key.name = row.OptText(2);
  key.redacted_value = row.Text(3);
  key.created_at = row.Int(4);
  key.expires_at = row.OptInt(5);
  key.last_used_at = row.OptInt(6);
  key.owner_user_id = row.Text(7);
  key.owner_name = row.Text(8);
  key.owner_email = row.Text(9);
  key.owner_added_at = row.Int(10);
  key.owner_role = ParseStoredBaseRole(row.Text(11));
  return key;
}

std::optional<core::AdminKey> SelectLiveKey(Connection& db, std::string_view org_id,
                                            std::string_view key_id) {
  Statement stmt = db.Prepare(kSelectLiveKey);
  stmt.BindText(1, org_id).BindText(2, key_id);
  if (!stmt.Step()) return std::nullopt;
  return ReadAdminKey(stmt);
}

void CheckKeyCursor(Connection& db, std::string_view org_id, const std::string& after) {
  Statement stmt = db.Prepare(kSelectKeyCursor);
  stmt.BindText(1, org_id).BindText(2, after);
  if (!stmt.Step()) {
    throw core::InvalidValue(
        "after", "Invalid 'after': '" + after + "' is not an admin API key of this organization.");
  }
}

core::Error KeyNotFound(std::string_view key_id) {
  return core::NotFound("No such admin API key: '" + std::string(key_id) + "'.");
}

}  // namespace

std::vector<std::string> SelectEffectivePermissions(Connection& db, std::string_view org_id,
                                                    std::string_view user_id) {
  Statement stmt = db.Prepare(kSelectHeldRolePermissions);
  stmt.BindText(1, org_id).BindText(2, user_id);
  std::vector<std::string> out;
  while (stmt.Step()) {
    std::vector<std::string> role = SplitPermissions(stmt.Text(0));
    out.insert(out.end(), std::make_move_iterator(role.begin()),
               std::make_move_iterator(role.end()));
  }
  return SortedUnique(std::move(out));
}

std::int64_t SelectAuthGeneration(Connection& db, std::string_view org_id) {
  Statement stmt = db.Prepare(kSelectAuthGeneration);
  stmt.BindText(1, org_id);
  return stmt.Step() ? stmt.Int(0) : 0;
}

std::optional<std::int64_t> PgStoreOps::AuthGeneration(std::string_view org_id) {
  auto db = impl_->pool.Acquire();
  return SelectAuthGeneration(*db, org_id);
}

core::Page<core::AdminKey> PgStoreOps::ListAdminKeys(std::string_view org_id,
                                                     const ListQuery& query) {
  const int limit = std::max(1, query.limit);
  const bool asc = query.order == core::SortOrder::kAsc;
  auto db = impl_->pool.Acquire();
  std::optional<Transaction> txn;  // cursor check and page from one snapshot
  std::vector<core::AdminKey> items;
  {
    if (query.after) {
      txn.emplace(*db, Mode::kRead);
      CheckKeyCursor(*db, org_id, *query.after);
    }
    Statement stmt = db->Prepare(query.after ? (asc ? kListKeysAscAfter : kListKeysDescAfter)
                                             : (asc ? kListKeysAsc : kListKeysDesc));
    stmt.BindText(1, org_id);
    if (query.after) {
      stmt.BindText(2, *query.after).BindInt(3, FetchLimit(limit));
    } else {
      stmt.BindInt(2, FetchLimit(limit));
    }
    while (stmt.Step()) items.push_back(ReadAdminKey(stmt));
  }
  if (txn) txn->Commit();
  return FinishPage(std::move(items), limit);
}

std::optional<core::AdminKey> PgStoreOps::GetAdminKey(std::string_view org_id,
                                                      std::string_view key_id) {
  auto db = impl_->pool.Acquire();
  return SelectLiveKey(*db, org_id, key_id);
}

void PgStoreOps::DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                                std::string_view key_id) {
  auto db = impl_->pool.Acquire();
  const core::Timestamp now = impl_->clock.Now();
  Transaction txn(*db, Mode::kWrite, org_id);
  // A key of a removed member is already dead and not listed: deleting it is a 404 as well.
  if (!SelectLiveKey(*db, org_id, key_id)) throw KeyNotFound(key_id);
  {
    Statement stmt = db->Prepare(kRevokeKey);
    stmt.BindText(1, org_id).BindText(2, key_id).BindInt(3, now).Run();
  }
  WriteAuditEvent(*db, now, actor, org_id, "api_key.deleted", key_id, {{"id", key_id}});
  txn.Commit();
}

void PgStoreOps::TouchAdminKey(std::string_view key_id, core::Timestamp when) {
  auto db = impl_->pool.Acquire();
  Statement stmt = db->Prepare(kTouchKey);
  stmt.BindText(1, key_id).BindInt(2, when).Run();
}

}  // namespace roster::storage::postgres

// PostgresStore: the retry policy around PgStoreOps, and the URL check.
#include "storage/postgres/postgres_store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "storage/postgres/pg_errors.hpp"
#include "storage/postgres/store_ops.hpp"

namespace roster::storage::postgres {

bool IsPostgresUrl(std::string_view url) noexcept {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

struct PostgresStore::Stats {
  std::atomic<long> retried{0};
};

PostgresStore::PostgresStore(const std::string& url, const core::Clock& clock,
                             PostgresOptions options)
    : options_(options),
      ops_(std::make_unique<PgStoreOps>(url, clock, options)),
      stats_(std::make_unique<Stats>()) {}

PostgresStore::~PostgresStore() = default;

int PostgresStore::SchemaVersion() { return ops_->SchemaVersion(); }

long PostgresStore::RetriedAttempts() const noexcept { return stats_->retried.load(); }

// Runs the operation; a serialization failure or deadlock rolled it back entirely (one
// transaction per operation), so it runs again, after a short random pause that grows with each
// attempt so that the transactions that collided do not collide again in lockstep.
template <typename F>
auto PostgresStore::Retrying(F&& operation) -> decltype(operation()) {
  const int attempts = std::max(1, options_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    try {
      return operation();
    } catch (const RetryableError& e) {
      if (attempt >= attempts) {
        throw core::Error(core::ErrorKind::kUnavailable, std::string(kUnavailableMessage),
                          std::nullopt, std::nullopt,
                          "gave up after " + std::to_string(attempts) + " attempts: " + e.what());
      }
      stats_->retried.fetch_add(1);
      thread_local std::minstd_rand random(std::random_device{}());
      const int ceiling_ms = std::min(50, 1 << std::min(attempt, 5));
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, ceiling_ms)(random)));
    }
  }
}

std::vector<core::Organization> PostgresStore::ListOrganizations() {
  return Retrying([&] { return ops_->ListOrganizations(); });
}

core::Organization PostgresStore::CreateOrganization(std::string_view name) {
  return Retrying([&] { return ops_->CreateOrganization(name); });
}

std::optional<core::Organization> PostgresStore::GetOrganization(std::string_view org_id) {
  return Retrying([&] { return ops_->GetOrganization(org_id); });
}

CreatedOrganization PostgresStore::CreateOrganizationWithOwner(const NewOrganization& request) {
  return Retrying([&] { return ops_->CreateOrganizationWithOwner(request); });
}

std::optional<KeyRecord> PostgresStore::FindKeyByHash(std::string_view key_hash) {
  return Retrying([&] { return ops_->FindKeyByHash(key_hash); });
}

std::optional<std::int64_t> PostgresStore::AuthGeneration(std::string_view org_id) {
  return Retrying([&] { return ops_->AuthGeneration(org_id); });
}

core::AdminKey PostgresStore::CreateAdminKey(const std::optional<core::Actor>& actor,
                                             std::string_view org_id, const NewAdminKey& key) {
  return Retrying([&] { return ops_->CreateAdminKey(actor, org_id, key); });
}

core::Page<core::AdminKey> PostgresStore::ListAdminKeys(std::string_view org_id,
                                                        const ListQuery& query) {
  return Retrying([&] { return ops_->ListAdminKeys(org_id, query); });
}

std::optional<core::AdminKey> PostgresStore::GetAdminKey(std::string_view org_id,
                                                         std::string_view key_id) {
  return Retrying([&] { return ops_->GetAdminKey(org_id, key_id); });
}

void PostgresStore::DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                                   std::string_view key_id) {
  return Retrying([&] { return ops_->DeleteAdminKey(actor, org_id, key_id); });
}

void PostgresStore::TouchAdminKey(std::string_view key_id, core::Timestamp when) {
  return Retrying([&] { return ops_->TouchAdminKey(key_id, when); });
}

core::Member PostgresStore::AddMember(const std::optional<core::Actor>& actor,
                                      std::string_view org_id, const NewMember& member) {
  return Retrying([&] { return ops_->AddMember(actor, org_id, member); });
}

std::size_t PostgresStore::AddMembersBulk(std::string_view org_id,
                                          const std::vector<NewMember>& members) {
  return Retrying([&] { return ops_->AddMembersBulk(org_id, members); });
}

std::optional<core::Member> PostgresStore::GetMember(std::string_view org_id,
                                                     std::string_view user_id) {
  return Retrying([&] { return ops_->GetMember(org_id, user_id); });
}

core::Page<core::Member> PostgresStore::ListMembers(std::string_view org_id,
                                                    const ListMembersQuery& query) {
  return Retrying([&] { return ops_->ListMembers(org_id, query); });
}

core::Member PostgresStore::UpdateMember(const core::Actor& actor, std::string_view org_id,
                                         std::string_view user_id, const MemberPatch& patch) {
  return Retrying([&] { return ops_->UpdateMember(actor, org_id, user_id, patch); });
}

void PostgresStore::DeleteMember(const core::Actor& actor, std::string_view org_id,
                                 std::string_view user_id) {
  return Retrying([&] { return ops_->DeleteMember(actor, org_id, user_id); });
}

core::Page<core::Role> PostgresStore::ListRoles(std::string_view org_id, const ListQuery& query) {
  return Retrying([&] { return ops_->ListRoles(org_id, query); });
}

std::optional<core::Role> PostgresStore::GetRole(std::string_view org_id,
                                                 std::string_view role_id) {
  return Retrying([&] { return ops_->GetRole(org_id, role_id); });
}

core::Role PostgresStore::CreateRole(const core::Actor& actor, std::string_view org_id,
                                     const NewRole& role) {
  return Retrying([&] { return ops_->CreateRole(actor, org_id, role); });
}

core::Role PostgresStore::UpdateRole(const core::Actor& actor, std::string_view org_id,
                                     std::string_view role_id, const RolePatch& patch) {
  return Retrying([&] { return ops_->UpdateRole(actor, org_id, role_id, patch); });
}

void PostgresStore::DeleteRole(const core::Actor& actor, std::string_view org_id,
                               std::string_view role_id) {
  return Retrying([&] { return ops_->DeleteRole(actor, org_id, role_id); });
}

core::Page<core::HeldRole> PostgresStore::ListUserRoles(std::string_view org_id,
                                                        std::string_view user_id,
                                                        const ListQuery& query) {
  return Retrying([&] { return ops_->ListUserRoles(org_id, user_id, query); });
}

std::optional<core::HeldRole> PostgresStore::GetUserRole(std::string_view org_id,
                                                         std::string_view user_id,
                                                         std::string_view role_id) {
  return Retrying([&] { return ops_->GetUserRole(org_id, user_id, role_id); });
}

Assignment PostgresStore::AssignUserRole(const core::Actor& actor, std::string_view org_id,
                                         std::string_view user_id, std::string_view role_id) {
  return Retrying([&] { return ops_->AssignUserRole(actor, org_id, user_id, role_id); });
}

void PostgresStore::UnassignUserRole(const core::Actor& actor, std::string_view org_id,
                                     std::string_view user_id, std::string_view role_id) {
  return Retrying([&] { return ops_->UnassignUserRole(actor, org_id, user_id, role_id); });
}

core::Page<core::Group> PostgresStore::ListGroups(std::string_view org_id, const ListQuery& query) {
  return Retrying([&] { return ops_->ListGroups(org_id, query); });
}

std::optional<core::Group> PostgresStore::GetGroup(std::string_view org_id,
                                                   std::string_view group_id) {
  return Retrying([&] { return ops_->GetGroup(org_id, group_id); });
}

core::Group PostgresStore::CreateGroup(const core::Actor& actor, std::string_view org_id,
                                       std::string_view name) {
  return Retrying([&] { return ops_->CreateGroup(actor, org_id, name); });
}

core::Group PostgresStore::UpdateGroup(const core::Actor& actor, std::string_view org_id,
                                       std::string_view group_id, std::string_view name) {
  return Retrying([&] { return ops_->UpdateGroup(actor, org_id, group_id, name); });
}

void PostgresStore::DeleteGroup(const core::Actor& actor, std::string_view org_id,
                                std::string_view group_id) {
  return Retrying([&] { return ops_->DeleteGroup(actor, org_id, group_id); });
}

core::Page<core::Member> PostgresStore::ListGroupUsers(std::string_view org_id,
                                                       std::string_view group_id,
                                                       const ListQuery& query) {
  return Retrying([&] { return ops_->ListGroupUsers(org_id, group_id, query); });
}

void PostgresStore::AddGroupUser(const core::Actor& actor, std::string_view org_id,
                                 std::string_view group_id, std::string_view user_id) {
  return Retrying([&] { return ops_->AddGroupUser(actor, org_id, group_id, user_id); });
}

std::optional<core::Member> PostgresStore::GetGroupUser(std::string_view org_id,
                                                        std::string_view group_id,
                                                        std::string_view user_id) {
  return Retrying([&] { return ops_->GetGroupUser(org_id, group_id, user_id); });
}

void PostgresStore::RemoveGroupUser(const core::Actor& actor, std::string_view org_id,
                                    std::string_view group_id, std::string_view user_id) {
  return Retrying([&] { return ops_->RemoveGroupUser(actor, org_id, group_id, user_id); });
}

core::Page<core::HeldRole> PostgresStore::ListGroupRoles(std::string_view org_id,
                                                         std::string_view group_id,
                                                         const ListQuery& query) {
  return Retrying([&] { return ops_->ListGroupRoles(org_id, group_id, query); });
}

std::optional<core::HeldRole> PostgresStore::GetGroupRole(std::string_view org_id,
                                                          std::string_view group_id,
                                                          std::string_view role_id) {
  return Retrying([&] { return ops_->GetGroupRole(org_id, group_id, role_id); });
}

GroupAssignment PostgresStore::AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                               std::string_view group_id,
                                               std::string_view role_id) {
  return Retrying([&] { return ops_->AssignGroupRole(actor, org_id, group_id, role_id); });
}

void PostgresStore::UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                                      std::string_view group_id, std::string_view role_id) {
  return Retrying([&] { return ops_->UnassignGroupRole(actor, org_id, group_id, role_id); });
}

core::Page<core::Invite> PostgresStore::ListInvites(std::string_view org_id,
                                                    const ListQuery& query) {
  return Retrying([&] { return ops_->ListInvites(org_id, query); });
}

std::optional<core::Invite> PostgresStore::GetInvite(std::string_view org_id,
                                                     std::string_view invite_id) {
  return Retrying([&] { return ops_->GetInvite(org_id, invite_id); });
}

core::Invite PostgresStore::CreateInvite(const core::Actor& actor, std::string_view org_id,
                                         const NewInvite& invite) {
  return Retrying([&] { return ops_->CreateInvite(actor, org_id, invite); });
}

void PostgresStore::DeleteInvite(const core::Actor& actor, std::string_view org_id,
                                 std::string_view invite_id) {
  return Retrying([&] { return ops_->DeleteInvite(actor, org_id, invite_id); });
}

std::optional<core::Invite> PostgresStore::FindInviteByTokenHash(std::string_view token_hash) {
  return Retrying([&] { return ops_->FindInviteByTokenHash(token_hash); });
}

core::Invite PostgresStore::ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                               std::string_view token_hash) {
  return Retrying([&] { return ops_->ReissueInviteToken(org_id, invite_id, token_hash); });
}

core::Member PostgresStore::AcceptInvite(std::string_view token_hash, std::string_view name) {
  return Retrying([&] { return ops_->AcceptInvite(token_hash, name); });
}

core::Page<core::AuditEvent> PostgresStore::ListAuditEvents(std::string_view org_id,
                                                            const AuditQuery& query) {
  return Retrying([&] { return ops_->ListAuditEvents(org_id, query); });
}

// Not retried: a read-only snapshot does not fail serialization, and the sink has seen rows.
void PostgresStore::ExportAll(const ExportSink& sink) { ops_->ExportAll(sink); }

void PostgresStore::ImportAll(int schema_version, const std::vector<exchange::Row>& rows) {
  Retrying([&] { ops_->ImportAll(schema_version, rows); });
}

}  // namespace roster::storage::postgres

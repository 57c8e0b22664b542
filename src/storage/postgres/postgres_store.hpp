// The PostgreSQL implementation of storage::Store (libpq): a pool of connections, prepared
// statements, the same versioned migrations, semantics and errors as the SQLite backend. Several
// Roster nodes may share one database: nothing is cached in the process, every read goes to the
// database.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::storage::postgres {

struct PostgresOptions {
  // Connections at most (opened on demand, each caching its prepared statements). Every worker
  // thread of the server can then run an operation at once; more gains nothing.
  int pool_size = 4;
  // How long opening a connection may take before the operation fails with kUnavailable (503).
  int connect_timeout_s = 5;
  // Attempts of an operation that failed with a serialization failure (40001) or a deadlock
  // (40P01) before it fails with kUnavailable.
  int max_attempts = 10;
};

// True for the URLs this backend serves: `postgres://…` and `postgresql://…`.
bool IsPostgresUrl(std::string_view url) noexcept;

class PgStoreOps;

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgres://USER@HOST:PORT/DB, any libpq URL) and applies pending
  // migrations. Throws core::Error kUnavailable when the server cannot be reached.
  PostgresStore(const std::string& url, const core::Clock& clock, PostgresOptions options = {});
  ~PostgresStore() override;

  // Every storage::Store method (see store.hpp for contracts): one transaction each, run again
  // when PostgreSQL aborted it for a serialization failure or a deadlock.
  std::vector<core::Organization> ListOrganizations() override;
  core::Organization CreateOrganization(std::string_view name) override;
  std::optional<core::Organization> GetOrganization(std::string_view org_id) override;
  CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) override;
  std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) override;
  std::optional<std::int64_t> AuthGeneration(std::string_view org_id) override;
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor, std::string_view org_id,
                                const NewAdminKey& key) override;
  core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                           const ListQuery& query) override;
  std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                            std::string_view key_id) override;
  void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                      std::string_view key_id) override;
  void TouchAdminKey(std::string_view key_id, core::Timestamp when) override;
  core::Member AddMember(const std::optional<core::Actor>& actor, std::string_view org_id,
                         const NewMember& member) override;
  std::size_t AddMembersBulk(std::string_view org_id,
                             const std::vector<NewMember>& members) override;
  std::optional<core::Member> GetMember(std::string_view org_id, std::string_view user_id) override;
  core::Page<core::Member> ListMembers(std::string_view org_id,
                                       const ListMembersQuery& query) override;
  core::Member UpdateMember(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, const MemberPatch& patch) override;
  void DeleteMember(const core::Actor& actor, std::string_view org_id,
                    std::string_view user_id) override;
  core::Page<core::Role> ListRoles(std::string_view org_id, const ListQuery& query) override;
  std::optional<core::Role> GetRole(std::string_view org_id, std::string_view role_id) override;
  core::Role CreateRole(const core::Actor& actor, std::string_view org_id,
                        const NewRole& role) override;
  core::Role UpdateRole(const core::Actor& actor, std::string_view org_id, std::string_view role_id,
                        const RolePatch& patch) override;
  void DeleteRole(const core::Actor& actor, std::string_view org_id,
                  std::string_view role_id) override;
  core::Page<core::HeldRole> ListUserRoles(std::string_view org_id, std::string_view user_id,
                                           const ListQuery& query) override;
  std::optional<core::HeldRole> GetUserRole(std::string_view org_id, std::string_view user_id,
                                            std::string_view role_id) override;
  Assignment AssignUserRole(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, std::string_view role_id) override;
  void UnassignUserRole(const core::Actor& actor, std::string_view org_id, std::string_view user_id,
                        std::string_view role_id) override;
  core::Page<core::Group> ListGroups(std::string_view org_id, const ListQuery& query) override;
  std::optional<core::Group> GetGroup(std::string_view org_id, std::string_view group_id) override;
  core::Group CreateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view name) override;
  core::Group UpdateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view group_id, std::string_view name) override;
  void DeleteGroup(const core::Actor& actor, std::string_view org_id,
                   std::string_view group_id) override;
  core::Page<core::Member> ListGroupUsers(std::string_view org_id, std::string_view group_id,
                                          const ListQuery& query) override;
  void AddGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                    std::string_view user_id) override;
  std::optional<core::Member> GetGroupUser(std::string_view org_id, std::string_view group_id,
                                           std::string_view user_id) override;
  void RemoveGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                       std::string_view user_id) override;
  core::Page<core::HeldRole> ListGroupRoles(std::string_view org_id, std::string_view group_id,
                                            const ListQuery& query) override;
  std::optional<core::HeldRole> GetGroupRole(std::string_view org_id, std::string_view group_id,
                                             std::string_view role_id) override;
  GroupAssignment AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                  std::string_view group_id, std::string_view role_id) override;
  void UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                         std::string_view group_id, std::string_view role_id) override;
  core::Page<core::Invite> ListInvites(std::string_view org_id, const ListQuery& query) override;
  std::optional<core::Invite> GetInvite(std::string_view org_id,
                                        std::string_view invite_id) override;
  core::Invite CreateInvite(const core::Actor& actor, std::string_view org_id,
                            const NewInvite& invite) override;
  void DeleteInvite(const core::Actor& actor, std::string_view org_id,
                    std::string_view invite_id) override;
  std::optional<core::Invite> FindInviteByTokenHash(std::string_view token_hash) override;
  core::Invite ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                  std::string_view token_hash) override;
  core::Member AcceptInvite(std::string_view token_hash, std::string_view name) override;

  void ExportAll(const ExportSink& sink) override;
  void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) override;
  core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                               const AuditQuery& query) override;

  // The schema version after migrations.
  int SchemaVersion();
  // Operations that had to be run again after a serialization failure or deadlock (for tests
  // and diagnostics).
  long RetriedAttempts() const noexcept;

 private:
  template <typename F>
  auto Retrying(F&& operation) -> decltype(operation());

  PostgresOptions options_;
  std::unique_ptr<PgStoreOps> ops_;
  struct Stats;
  std::unique_ptr<Stats> stats_;
};

}  // namespace roster::storage::postgres

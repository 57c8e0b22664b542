// The operations of the PostgreSQL backend: every storage::Store method run once, in one
// transaction, on a pooled connection. The same code as the SQLite backend's SqliteStore (over a
// Connection/Statement of the same shape). Not used directly: PostgresStore wraps it and retries
// operations that failed with a serialization failure or a deadlock.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/store.hpp"

namespace roster::storage::postgres {

class PgStoreOps final : public Store {
 public:
  // Connects to `url` and applies pending migrations. Throws core::Error (kUnavailable) when the
  // server cannot be reached or the schema is newer than this build.
  PgStoreOps(const std::string& url, const core::Clock& clock, const PostgresOptions& options);
  ~PgStoreOps() override;

  // The schema version after migrations (for tests and `--print-config`).
  int SchemaVersion();

  // Every storage::Store method, overridden (see store.hpp for contracts).
  std::vector<core::Organization> ListOrganizations() override;
  core::Organization CreateOrganization(std::string_view name) override;
  std::optional<core::Organization> GetOrganization(std::string_view org_id) override;
  CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) override;

  std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) override;
  std::optional<std::int64_t> AuthGeneration(std::string_view org_id) override;
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor, std::string_view org_id,
                                const NewAdminKey& key) override;

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

  core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                               const AuditQuery& query) override;
  core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                           const ListQuery& query) override;
  std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                            std::string_view key_id) override;
  void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                      std::string_view key_id) override;
  void TouchAdminKey(std::string_view key_id, core::Timestamp when) override;
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::storage::postgres

// The SQLite implementation of storage::Store: one database file in WAL mode, foreign keys on,
// versioned migrations applied when opened, prepared statements cached per connection.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::storage::sqlite {

struct SqliteOptions {
  // Connections kept open (each caches its prepared statements). Writers serialize on SQLite's
  // write lock (BEGIN IMMEDIATE); readers run concurrently under WAL.
  int pool_size = 4;
  // How long a writer waits for the write lock before the call fails with kUnavailable.
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  // `path` ":memory:" gives a private in-memory database (one connection). Throws core::Error
  // (kUnavailable) when the file cannot be opened or migrated.
  SqliteStore(const std::string& path, const core::Clock& clock, SqliteOptions options = {});
  ~SqliteStore() override;

  // The schema version after migrations (for tests and `--print-config`).
  int SchemaVersion();

  // --- whole-database copies (SQLite's online backup API; sqlite_store_backup.cpp) -------------

  // An in-memory copy of the whole database (the stand-in mode's snapshots and reset).
  class Snapshot;
  // Copies the database into memory: a consistent state, writers wait only for the copy.
  std::shared_ptr<const Snapshot> TakeSnapshot();
  // Replaces the whole database with `snapshot` (in one step: readers see before or after).
  void RestoreSnapshot(const Snapshot& snapshot);
  // Writes a consistent copy of the live database to `path` (replaced atomically: written to
  // `path.tmp` and renamed). Writers keep going under WAL; the copy is the state of one moment.
  // Throws core::Error (kUnavailable when the file cannot be written).
  void BackupTo(const std::string& path);
  // Replaces the database with the Roster database at `path`, after checking it (SQLite file,
  // integrity, a schema this build knows). Throws core::Error kInvalidRequest when it is not
  // a usable Roster backup.
  void RestoreFrom(const std::string& path);

  // Test hook: runs `sql` on the connection every write runs on, between write batches. The
  // storage fault tests use it to simulate a full disk (`PRAGMA max_page_count`) or a read-only
  // database (`PRAGMA query_only`) and to lift the condition again; nothing else calls it.
  void ExecuteOnWriter(std::string_view sql);

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

  // sqlite_store_export.cpp
  void ExportAll(const ExportSink& sink) override;
  void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::storage::sqlite

// A storage::Store decorator that times every operation into a latency histogram per operation
// (exported by GET /metrics as roster_store_operation_duration_seconds). Recording is lock-free.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <string_view>

#include "core/histogram.hpp"
#include "storage/store.hpp"

namespace roster::storage {

class MeteredStore final : public Store {
 public:
  enum class Op : std::size_t {
    kListOrganizations,
    kCreateOrganization,
    kGetOrganization,
    kFindKeyByHash,
    kCreateAdminKey,
    kAddMember,
    kAddMembersBulk,
    kGetMember,
    kListMembers,
    kUpdateMember,
    kDeleteMember,
    kListRoles,
    kGetRole,
    kCreateRole,
    kUpdateRole,
    kDeleteRole,
    kListUserRoles,
    kGetUserRole,
    kAssignUserRole,
    kUnassignUserRole,
    kListAuditEvents,
    kListAdminKeys,
    kGetAdminKey,
    kDeleteAdminKey,
    kTouchAdminKey,
    kListGroups,
    kGetGroup,
    kCreateGroup,
    kUpdateGroup,
    kDeleteGroup,
    kListGroupUsers,
    kAddGroupUser,
    kGetGroupUser,
    kRemoveGroupUser,
    kListGroupRoles,
    kGetGroupRole,
    kAssignGroupRole,
    kUnassignGroupRole,
    kListInvites,
    kGetInvite,
    kCreateInvite,
    kDeleteInvite,
    kFindInviteByTokenHash,
    kReissueInviteToken,
    kAcceptInvite,
    kCount
  };
  static constexpr std::size_t kOpCount = static_cast<std::size_t>(Op::kCount);

  // The `operation` label of each Op, in enum order.
  static constexpr std::array<std::string_view, kOpCount> kOpNames = {"list_organizations",
                                                                      "create_organization",
                                                                      "get_organization",
                                                                      "find_key_by_hash",
                                                                      "create_admin_key",
                                                                      "add_member",
                                                                      "add_members_bulk",
                                                                      "get_member",
                                                                      "list_members",
                                                                      "update_member",
                                                                      "delete_member",
                                                                      "list_roles",
                                                                      "get_role",
                                                                      "create_role",
                                                                      "update_role",
                                                                      "delete_role",
                                                                      "list_user_roles",
                                                                      "get_user_role",
                                                                      "assign_user_role",
                                                                      "unassign_user_role",
                                                                      "list_audit_events",
                                                                      "list_admin_keys",
                                                                      "get_admin_key",
                                                                      "delete_admin_key",
                                                                      "touch_admin_key",
                                                                      "list_groups",
                                                                      "get_group",
                                                                      "create_group",
                                                                      "update_group",
                                                                      "delete_group",
                                                                      "list_group_users",
                                                                      "add_group_user",
                                                                      "get_group_user",
                                                                      "remove_group_user",
                                                                      "list_group_roles",
                                                                      "get_group_role",
                                                                      "assign_group_role",
                                                                      "unassign_group_role",
                                                                      "list_invites",
                                                                      "get_invite",
                                                                      "create_invite",
                                                                      "delete_invite",
                                                                      "find_invite_by_token_hash",
                                                                      "reissue_invite_token",
                                                                      "accept_invite"};

  explicit MeteredStore(Store& inner) : inner_(inner) {}

  const core::LatencyHistogram& Histogram(std::size_t op) const { return histograms_[op]; }

 private:
  // Runs `call` and records its duration, whether it returns or throws.
  template <typename F>
  decltype(auto) Timed(Op op, F&& call) {
    struct Timer {
      core::LatencyHistogram& histogram;
      std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
      ~Timer() { histogram.Record(std::chrono::steady_clock::now() - start); }
    } timer{histograms_[static_cast<std::size_t>(op)]};
    return call();
  }

 public:
  std::vector<core::Organization> ListOrganizations() override {
    return Timed(Op::kListOrganizations, [&] { return inner_.ListOrganizations(); });
  }
  core::Organization CreateOrganization(std::string_view name) override {
    return Timed(Op::kCreateOrganization, [&] { return inner_.CreateOrganization(name); });
  }
  std::optional<core::Organization> GetOrganization(std::string_view org_id) override {
    return Timed(Op::kGetOrganization, [&] { return inner_.GetOrganization(org_id); });
  }
  std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) override {
    return Timed(Op::kFindKeyByHash, [&] { return inner_.FindKeyByHash(key_hash); });
  }
  // Not timed: one primary-key read on every authenticated request (api/auth_cache.hpp).
  std::optional<std::int64_t> AuthGeneration(std::string_view org_id) override {
    return inner_.AuthGeneration(org_id);
  }
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor, std::string_view org_id,
                                const NewAdminKey& key) override {
    return Timed(Op::kCreateAdminKey, [&] { return inner_.CreateAdminKey(actor, org_id, key); });
  }
  core::Member AddMember(const std::optional<core::Actor>& actor, std::string_view org_id,
                         const NewMember& member) override {
    return Timed(Op::kAddMember, [&] { return inner_.AddMember(actor, org_id, member); });
  }
  std::size_t AddMembersBulk(std::string_view org_id,
                             const std::vector<NewMember>& members) override {
    return Timed(Op::kAddMembersBulk, [&] { return inner_.AddMembersBulk(org_id, members); });
  }
  std::optional<core::Member> GetMember(std::string_view org_id,
                                        std::string_view user_id) override {
    return Timed(Op::kGetMember, [&] { return inner_.GetMember(org_id, user_id); });
  }
  core::Page<core::Member> ListMembers(std::string_view org_id,
                                       const ListMembersQuery& query) override {
    return Timed(Op::kListMembers, [&] { return inner_.ListMembers(org_id, query); });
  }
  core::Member UpdateMember(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, const MemberPatch& patch) override {
    return Timed(Op::kUpdateMember,
                 [&] { return inner_.UpdateMember(actor, org_id, user_id, patch); });
  }
  void DeleteMember(const core::Actor& actor, std::string_view org_id,
                    std::string_view user_id) override {
    Timed(Op::kDeleteMember, [&] { inner_.DeleteMember(actor, org_id, user_id); });
  }
  core::Page<core::Role> ListRoles(std::string_view org_id, const ListQuery& query) override {
    return Timed(Op::kListRoles, [&] { return inner_.ListRoles(org_id, query); });
  }
  std::optional<core::Role> GetRole(std::string_view org_id, std::string_view role_id) override {
    return Timed(Op::kGetRole, [&] { return inner_.GetRole(org_id, role_id); });
  }
  core::Role CreateRole(const core::Actor& actor, std::string_view org_id,
                        const NewRole& role) override {
    return Timed(Op::kCreateRole, [&] { return inner_.CreateRole(actor, org_id, role); });
  }
  core::Role UpdateRole(const core::Actor& actor, std::string_view org_id, std::string_view role_id,
                        const RolePatch& patch) override {
    return Timed(Op::kUpdateRole, [&] { return inner_.UpdateRole(actor, org_id, role_id, patch); });
  }
  void DeleteRole(const core::Actor& actor, std::string_view org_id,
                  std::string_view role_id) override {
    Timed(Op::kDeleteRole, [&] { inner_.DeleteRole(actor, org_id, role_id); });
  }
  core::Page<core::HeldRole> ListUserRoles(std::string_view org_id, std::string_view user_id,
                                           const ListQuery& query) override {
    return Timed(Op::kListUserRoles, [&] { return inner_.ListUserRoles(org_id, user_id, query); });
  }
  std::optional<core::HeldRole> GetUserRole(std::string_view org_id, std::string_view user_id,
                                            std::string_view role_id) override {
    return Timed(Op::kGetUserRole, [&] { return inner_.GetUserRole(org_id, user_id, role_id); });
  }
  Assignment AssignUserRole(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, std::string_view role_id) override {
    return Timed(Op::kAssignUserRole,
                 [&] { return inner_.AssignUserRole(actor, org_id, user_id, role_id); });
  }
  void UnassignUserRole(const core::Actor& actor, std::string_view org_id, std::string_view user_id,
                        std::string_view role_id) override {
    Timed(Op::kUnassignUserRole, [&] { inner_.UnassignUserRole(actor, org_id, user_id, role_id); });
  }
  core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                               const AuditQuery& query) override {
    return Timed(Op::kListAuditEvents, [&] { return inner_.ListAuditEvents(org_id, query); });
  }
  // Not metered: offline commands and the startup bootstrap, not requests.
  CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) override {
    return inner_.CreateOrganizationWithOwner(request);
  }
  void ExportAll(const ExportSink& sink) override { inner_.ExportAll(sink); }
  void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) override {
    inner_.ImportAll(schema_version, rows);
  }
  core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                           const ListQuery& query) override {
    return Timed(Op::kListAdminKeys, [&] { return inner_.ListAdminKeys(org_id, query); });
  }
  std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                            std::string_view key_id) override {
    return Timed(Op::kGetAdminKey, [&] { return inner_.GetAdminKey(org_id, key_id); });
  }
  void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                      std::string_view key_id) override {
    Timed(Op::kDeleteAdminKey, [&] { inner_.DeleteAdminKey(actor, org_id, key_id); });
  }
  void TouchAdminKey(std::string_view key_id, core::Timestamp when) override {
    Timed(Op::kTouchAdminKey, [&] { inner_.TouchAdminKey(key_id, when); });
  }
  core::Page<core::Group> ListGroups(std::string_view org_id, const ListQuery& query) override {
    return Timed(Op::kListGroups, [&] { return inner_.ListGroups(org_id, query); });
  }
  std::optional<core::Group> GetGroup(std::string_view org_id, std::string_view group_id) override {
    return Timed(Op::kGetGroup, [&] { return inner_.GetGroup(org_id, group_id); });
  }
  core::Group CreateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view name) override {
    return Timed(Op::kCreateGroup, [&] { return inner_.CreateGroup(actor, org_id, name); });
  }
  core::Group UpdateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view group_id, std::string_view name) override {
    return Timed(Op::kUpdateGroup,
                 [&] { return inner_.UpdateGroup(actor, org_id, group_id, name); });
  }
  void DeleteGroup(const core::Actor& actor, std::string_view org_id,
                   std::string_view group_id) override {
    Timed(Op::kDeleteGroup, [&] { inner_.DeleteGroup(actor, org_id, group_id); });
  }
  core::Page<core::Member> ListGroupUsers(std::string_view org_id, std::string_view group_id,
                                          const ListQuery& query) override {
    return Timed(Op::kListGroupUsers,
                 [&] { return inner_.ListGroupUsers(org_id, group_id, query); });
  }
  void AddGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                    std::string_view user_id) override {
    Timed(Op::kAddGroupUser, [&] { inner_.AddGroupUser(actor, org_id, group_id, user_id); });
  }
  std::optional<core::Member> GetGroupUser(std::string_view org_id, std::string_view group_id,
                                           std::string_view user_id) override {
    return Timed(Op::kGetGroupUser, [&] { return inner_.GetGroupUser(org_id, group_id, user_id); });
  }
  void RemoveGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                       std::string_view user_id) override {
    Timed(Op::kRemoveGroupUser, [&] { inner_.RemoveGroupUser(actor, org_id, group_id, user_id); });
  }
  core::Page<core::HeldRole> ListGroupRoles(std::string_view org_id, std::string_view group_id,
                                            const ListQuery& query) override {
    return Timed(Op::kListGroupRoles,
                 [&] { return inner_.ListGroupRoles(org_id, group_id, query); });
  }
  std::optional<core::HeldRole> GetGroupRole(std::string_view org_id, std::string_view group_id,
                                             std::string_view role_id) override {
    return Timed(Op::kGetGroupRole, [&] { return inner_.GetGroupRole(org_id, group_id, role_id); });
  }
  GroupAssignment AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                  std::string_view group_id, std::string_view role_id) override {
    return Timed(Op::kAssignGroupRole,
                 [&] { return inner_.AssignGroupRole(actor, org_id, group_id, role_id); });
  }
  void UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                         std::string_view group_id, std::string_view role_id) override {
    Timed(Op::kUnassignGroupRole,
          [&] { inner_.UnassignGroupRole(actor, org_id, group_id, role_id); });
  }
  core::Page<core::Invite> ListInvites(std::string_view org_id, const ListQuery& query) override {
    return Timed(Op::kListInvites, [&] { return inner_.ListInvites(org_id, query); });
  }
  std::optional<core::Invite> GetInvite(std::string_view org_id,
                                        std::string_view invite_id) override {
    return Timed(Op::kGetInvite, [&] { return inner_.GetInvite(org_id, invite_id); });
  }
  core::Invite CreateInvite(const core::Actor& actor, std::string_view org_id,
                            const NewInvite& invite) override {
    return Timed(Op::kCreateInvite, [&] { return inner_.CreateInvite(actor, org_id, invite); });
  }
  void DeleteInvite(const core::Actor& actor, std::string_view org_id,
                    std::string_view invite_id) override {
    Timed(Op::kDeleteInvite, [&] { inner_.DeleteInvite(actor, org_id, invite_id); });
  }
  std::optional<core::Invite> FindInviteByTokenHash(std::string_view token_hash) override {
    return Timed(Op::kFindInviteByTokenHash,
                 [&] { return inner_.FindInviteByTokenHash(token_hash); });
  }
  core::Invite ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                  std::string_view token_hash) override {
    return Timed(Op::kReissueInviteToken,
                 [&] { return inner_.ReissueInviteToken(org_id, invite_id, token_hash); });
  }
  core::Member AcceptInvite(std::string_view token_hash, std::string_view name) override {
    return Timed(Op::kAcceptInvite, [&] { return inner_.AcceptInvite(token_hash, name); });
  }

 private:
  Store& inner_;
  std::array<core::LatencyHistogram, kOpCount> histograms_{};
};

}  // namespace roster::storage

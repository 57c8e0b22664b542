// The base of Store decorators: every operation is forwarded to an inner store through the
// derived class's hook, `template <typename F> decltype(auto) Around(StoreOp op, F&& call)`,
// which runs `call()` (the inner store's operation) and may time it, count it or throw instead.
// A decorator is then one hook, and an operation added to Store is added here once — with its
// StoreOp — for every decorator (storage::MeteredStore, storage::FaultInjectingStore).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/store.hpp"

namespace roster::storage {

// Every Store operation, in the order ForwardingStore lists them.
enum class StoreOp : std::size_t {
  kListOrganizations,
  kCreateOrganization,
  kGetOrganization,
  kFindKeyByHash,
  kAuthGeneration,
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
  kCreateOrganizationWithOwner,
  kExportAll,
  kImportAll,
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
inline constexpr std::size_t kStoreOpCount = static_cast<std::size_t>(StoreOp::kCount);

// The snake_case name of each StoreOp (the `operation` label of the store metrics), in enum order.
inline constexpr std::array<std::string_view, kStoreOpCount> kStoreOpNames = {
    "list_organizations",
    "create_organization",
    "get_organization",
    "find_key_by_hash",
    "auth_generation",
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
    "create_organization_with_owner",
    "export_all",
    "import_all",
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
    "accept_invite",
};
// An operation added to StoreOp without its name would leave the last entries empty.
static_assert(!kStoreOpNames.back().empty(), "every StoreOp needs its name in kStoreOpNames");

template <typename Derived>
class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(Store& inner) : inner_(inner) {}

  std::vector<core::Organization> ListOrganizations() override {
    return Via(StoreOp::kListOrganizations, [&] { return inner_.ListOrganizations(); });
  }
  core::Organization CreateOrganization(std::string_view name) override {
    return Via(StoreOp::kCreateOrganization, [&] { return inner_.CreateOrganization(name); });
  }
  std::optional<core::Organization> GetOrganization(std::string_view org_id) override {
    return Via(StoreOp::kGetOrganization, [&] { return inner_.GetOrganization(org_id); });
  }
  std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) override {
    return Via(StoreOp::kFindKeyByHash, [&] { return inner_.FindKeyByHash(key_hash); });
  }
  std::optional<std::int64_t> AuthGeneration(std::string_view org_id) override {
    return Via(StoreOp::kAuthGeneration, [&] { return inner_.AuthGeneration(org_id); });
  }
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor, std::string_view org_id,
                                const NewAdminKey& key) override {
    return Via(StoreOp::kCreateAdminKey, [&] { return inner_.CreateAdminKey(actor, org_id, key); });
  }
  core::Member AddMember(const std::optional<core::Actor>& actor, std::string_view org_id,
                         const NewMember& member) override {
    return Via(StoreOp::kAddMember, [&] { return inner_.AddMember(actor, org_id, member); });
  }
  std::size_t AddMembersBulk(std::string_view org_id,
                             const std::vector<NewMember>& members) override {
    return Via(StoreOp::kAddMembersBulk, [&] { return inner_.AddMembersBulk(org_id, members); });
  }
  std::optional<core::Member> GetMember(std::string_view org_id,
                                        std::string_view user_id) override {
    return Via(StoreOp::kGetMember, [&] { return inner_.GetMember(org_id, user_id); });
  }
  core::Page<core::Member> ListMembers(std::string_view org_id,
                                       const ListMembersQuery& query) override {
    return Via(StoreOp::kListMembers, [&] { return inner_.ListMembers(org_id, query); });
  }
  core::Member UpdateMember(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, const MemberPatch& patch) override {
    return Via(StoreOp::kUpdateMember,
               [&] { return inner_.UpdateMember(actor, org_id, user_id, patch); });
  }
  void DeleteMember(const core::Actor& actor, std::string_view org_id,
                    std::string_view user_id) override {
    return Via(StoreOp::kDeleteMember, [&] { return inner_.DeleteMember(actor, org_id, user_id); });
  }
  core::Page<core::Role> ListRoles(std::string_view org_id, const ListQuery& query) override {
    return Via(StoreOp::kListRoles, [&] { return inner_.ListRoles(org_id, query); });
  }
  std::optional<core::Role> GetRole(std::string_view org_id, std::string_view role_id) override {
    return Via(StoreOp::kGetRole, [&] { return inner_.GetRole(org_id, role_id); });
  }
  core::Role CreateRole(const core::Actor& actor, std::string_view org_id,
                        const NewRole& role) override {
    return Via(StoreOp::kCreateRole, [&] { return inner_.CreateRole(actor, org_id, role); });
  }
  core::Role UpdateRole(const core::Actor& actor, std::string_view org_id, std::string_view role_id,
                        const RolePatch& patch) override {
    return Via(StoreOp::kUpdateRole,
               [&] { return inner_.UpdateRole(actor, org_id, role_id, patch); });
  }
  void DeleteRole(const core::Actor& actor, std::string_view org_id,
                  std::string_view role_id) override {
    return Via(StoreOp::kDeleteRole, [&] { return inner_.DeleteRole(actor, org_id, role_id); });
  }
  core::Page<core::HeldRole> ListUserRoles(std::string_view org_id, std::string_view user_id,
                                           const ListQuery& query) override {
    return Via(StoreOp::kListUserRoles,
               [&] { return inner_.ListUserRoles(org_id, user_id, query); });
  }
  std::optional<core::HeldRole> GetUserRole(std::string_view org_id, std::string_view user_id,
                                            std::string_view role_id) override {
    return Via(StoreOp::kGetUserRole, [&] { return inner_.GetUserRole(org_id, user_id, role_id); });
  }
  Assignment AssignUserRole(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, std::string_view role_id) override {
    return Via(StoreOp::kAssignUserRole,
               [&] { return inner_.AssignUserRole(actor, org_id, user_id, role_id); });
  }
  void UnassignUserRole(const core::Actor& actor, std::string_view org_id, std::string_view user_id,
                        std::string_view role_id) override {
    return Via(StoreOp::kUnassignUserRole,
               [&] { return inner_.UnassignUserRole(actor, org_id, user_id, role_id); });
  }
  core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                               const AuditQuery& query) override {
    return Via(StoreOp::kListAuditEvents, [&] { return inner_.ListAuditEvents(org_id, query); });
  }
  CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) override {
    return Via(StoreOp::kCreateOrganizationWithOwner,
               [&] { return inner_.CreateOrganizationWithOwner(request); });
  }
  void ExportAll(const ExportSink& sink) override {
    return Via(StoreOp::kExportAll, [&] { return inner_.ExportAll(sink); });
  }
  void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) override {
    return Via(StoreOp::kImportAll, [&] { return inner_.ImportAll(schema_version, rows); });
  }
  core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                           const ListQuery& query) override {
    return Via(StoreOp::kListAdminKeys, [&] { return inner_.ListAdminKeys(org_id, query); });
  }
  std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                            std::string_view key_id) override {
    return Via(StoreOp::kGetAdminKey, [&] { return inner_.GetAdminKey(org_id, key_id); });
  }
  void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                      std::string_view key_id) override {
    return Via(StoreOp::kDeleteAdminKey,
               [&] { return inner_.DeleteAdminKey(actor, org_id, key_id); });
  }
  void TouchAdminKey(std::string_view key_id, core::Timestamp when) override {
    return Via(StoreOp::kTouchAdminKey, [&] { return inner_.TouchAdminKey(key_id, when); });
  }
  core::Page<core::Group> ListGroups(std::string_view org_id, const ListQuery& query) override {
    return Via(StoreOp::kListGroups, [&] { return inner_.ListGroups(org_id, query); });
  }
  std::optional<core::Group> GetGroup(std::string_view org_id, std::string_view group_id) override {
    return Via(StoreOp::kGetGroup, [&] { return inner_.GetGroup(org_id, group_id); });
  }
  core::Group CreateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view name) override {
    return Via(StoreOp::kCreateGroup, [&] { return inner_.CreateGroup(actor, org_id, name); });
  }
  core::Group UpdateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view group_id, std::string_view name) override {
    return Via(StoreOp::kUpdateGroup,
               [&] { return inner_.UpdateGroup(actor, org_id, group_id, name); });
  }
  void DeleteGroup(const core::Actor& actor, std::string_view org_id,
                   std::string_view group_id) override {
    return Via(StoreOp::kDeleteGroup, [&] { return inner_.DeleteGroup(actor, org_id, group_id); });
  }
  core::Page<core::Member> ListGroupUsers(std::string_view org_id, std::string_view group_id,
                                          const ListQuery& query) override {
    return Via(StoreOp::kListGroupUsers,
               [&] { return inner_.ListGroupUsers(org_id, group_id, query); });
  }
  void AddGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                    std::string_view user_id) override {
    return Via(StoreOp::kAddGroupUser,
               [&] { return inner_.AddGroupUser(actor, org_id, group_id, user_id); });
  }
  std::optional<core::Member> GetGroupUser(std::string_view org_id, std::string_view group_id,
                                           std::string_view user_id) override {
    return Via(StoreOp::kGetGroupUser,
               [&] { return inner_.GetGroupUser(org_id, group_id, user_id); });
  }
  void RemoveGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                       std::string_view user_id) override {
    return Via(StoreOp::kRemoveGroupUser,
               [&] { return inner_.RemoveGroupUser(actor, org_id, group_id, user_id); });
  }
  core::Page<core::HeldRole> ListGroupRoles(std::string_view org_id, std::string_view group_id,
                                            const ListQuery& query) override {
    return Via(StoreOp::kListGroupRoles,
               [&] { return inner_.ListGroupRoles(org_id, group_id, query); });
  }
  std::optional<core::HeldRole> GetGroupRole(std::string_view org_id, std::string_view group_id,
                                             std::string_view role_id) override {
    return Via(StoreOp::kGetGroupRole,
               [&] { return inner_.GetGroupRole(org_id, group_id, role_id); });
  }
  GroupAssignment AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                  std::string_view group_id, std::string_view role_id) override {
    return Via(StoreOp::kAssignGroupRole,
               [&] { return inner_.AssignGroupRole(actor, org_id, group_id, role_id); });
  }
  void UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                         std::string_view group_id, std::string_view role_id) override {
    return Via(StoreOp::kUnassignGroupRole,
               [&] { return inner_.UnassignGroupRole(actor, org_id, group_id, role_id); });
  }
  core::Page<core::Invite> ListInvites(std::string_view org_id, const ListQuery& query) override {
    return Via(StoreOp::kListInvites, [&] { return inner_.ListInvites(org_id, query); });
  }
  std::optional<core::Invite> GetInvite(std::string_view org_id,
                                        std::string_view invite_id) override {
    return Via(StoreOp::kGetInvite, [&] { return inner_.GetInvite(org_id, invite_id); });
  }
  core::Invite CreateInvite(const core::Actor& actor, std::string_view org_id,
                            const NewInvite& invite) override {
    return Via(StoreOp::kCreateInvite, [&] { return inner_.CreateInvite(actor, org_id, invite); });
  }
  void DeleteInvite(const core::Actor& actor, std::string_view org_id,
                    std::string_view invite_id) override {
    return Via(StoreOp::kDeleteInvite,
               [&] { return inner_.DeleteInvite(actor, org_id, invite_id); });
  }
  std::optional<core::Invite> FindInviteByTokenHash(std::string_view token_hash) override {
    return Via(StoreOp::kFindInviteByTokenHash,
               [&] { return inner_.FindInviteByTokenHash(token_hash); });
  }
  core::Invite ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                  std::string_view token_hash) override {
    return Via(StoreOp::kReissueInviteToken,
               [&] { return inner_.ReissueInviteToken(org_id, invite_id, token_hash); });
  }
  core::Member AcceptInvite(std::string_view token_hash, std::string_view name) override {
    return Via(StoreOp::kAcceptInvite, [&] { return inner_.AcceptInvite(token_hash, name); });
  }

 private:
  template <typename F>
  decltype(auto) Via(StoreOp op, F&& call) {
    return static_cast<Derived&>(*this).Around(op, std::forward<F>(call));
  }

  Store& inner_;
};

}  // namespace roster::storage

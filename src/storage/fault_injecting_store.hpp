// A storage::Store decorator for fault-injection tests: it fails the n-th store call from the
// moment it is armed with a storage error (core::Error kUnavailable, as a store reports a busy,
// full or failing database), before the call reaches the inner store. Looping n over a request
// shows whether every failure point leaves a clean error and no partial state
// (tests/api/fault_injection_test.cpp).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "storage/store.hpp"

namespace roster::storage {

class FaultInjectingStore final : public Store {
 public:
  // The message of an injected failure (its detail names the failed call).
  static constexpr std::string_view kInjectedMessage =
      "The database is temporarily unavailable (injected fault). Please retry.";

  explicit FaultInjectingStore(Store& inner) : inner_(inner) {}

  // Restarts the call count and fails call number `n` (1-based) from now on; 0 fails nothing.
  // Thread-safe.
  void FailNthCall(std::uint64_t n) {
    const std::lock_guard<std::mutex> lock(mutex_);
    fail_at_ = n;
    calls_ = 0;
    failed_call_.clear();
  }
  // Calls since the last FailNthCall.
  std::uint64_t calls() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  // The operation the armed fault failed, or empty when it has not fired (yet).
  std::string failed_call() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return failed_call_;
  }

 private:
  // Counts the call and throws when it is the one to fail; else runs it on the inner store.
  template <typename F>
  decltype(auto) Faulted(std::string_view op, F&& call) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      ++calls_;
      if (calls_ == fail_at_) {
        failed_call_ = std::string(op);
        throw core::Error(core::ErrorKind::kUnavailable, std::string(kInjectedMessage),
                          std::nullopt, std::nullopt,
                          "fault injected into store call " + std::to_string(calls_) + " (" +
                              std::string(op) + ")");
      }
    }
    return std::forward<F>(call)();
  }

 public:
  std::vector<core::Organization> ListOrganizations() override {
    return Faulted("ListOrganizations", [&] { return inner_.ListOrganizations(); });
  }
  core::Organization CreateOrganization(std::string_view name) override {
    return Faulted("CreateOrganization", [&] { return inner_.CreateOrganization(name); });
  }
  std::optional<core::Organization> GetOrganization(std::string_view org_id) override {
    return Faulted("GetOrganization", [&] { return inner_.GetOrganization(org_id); });
  }
  std::optional<KeyRecord> FindKeyByHash(std::string_view key_hash) override {
    return Faulted("FindKeyByHash", [&] { return inner_.FindKeyByHash(key_hash); });
  }
  std::optional<std::int64_t> AuthGeneration(std::string_view org_id) override {
    return Faulted("AuthGeneration", [&] { return inner_.AuthGeneration(org_id); });
  }
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>& actor, std::string_view org_id,
                                const NewAdminKey& key) override {
    return Faulted("CreateAdminKey", [&] { return inner_.CreateAdminKey(actor, org_id, key); });
  }
  core::Member AddMember(const std::optional<core::Actor>& actor, std::string_view org_id,
                         const NewMember& member) override {
    return Faulted("AddMember", [&] { return inner_.AddMember(actor, org_id, member); });
  }
  std::size_t AddMembersBulk(std::string_view org_id,
                             const std::vector<NewMember>& members) override {
    return Faulted("AddMembersBulk", [&] { return inner_.AddMembersBulk(org_id, members); });
  }
  std::optional<core::Member> GetMember(std::string_view org_id,
                                        std::string_view user_id) override {
    return Faulted("GetMember", [&] { return inner_.GetMember(org_id, user_id); });
  }
  core::Page<core::Member> ListMembers(std::string_view org_id,
                                       const ListMembersQuery& query) override {
    return Faulted("ListMembers", [&] { return inner_.ListMembers(org_id, query); });
  }
  core::Member UpdateMember(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, const MemberPatch& patch) override {
    return Faulted("UpdateMember",
                   [&] { return inner_.UpdateMember(actor, org_id, user_id, patch); });
  }
  void DeleteMember(const core::Actor& actor, std::string_view org_id,
                    std::string_view user_id) override {
    return Faulted("DeleteMember", [&] { return inner_.DeleteMember(actor, org_id, user_id); });
  }
  core::Page<core::Role> ListRoles(std::string_view org_id, const ListQuery& query) override {
    return Faulted("ListRoles", [&] { return inner_.ListRoles(org_id, query); });
  }
  std::optional<core::Role> GetRole(std::string_view org_id, std::string_view role_id) override {
    return Faulted("GetRole", [&] { return inner_.GetRole(org_id, role_id); });
  }
  core::Role CreateRole(const core::Actor& actor, std::string_view org_id,
                        const NewRole& role) override {
    return Faulted("CreateRole", [&] { return inner_.CreateRole(actor, org_id, role); });
  }
  core::Role UpdateRole(const core::Actor& actor, std::string_view org_id, std::string_view role_id,
                        const RolePatch& patch) override {
    return Faulted("UpdateRole", [&] { return inner_.UpdateRole(actor, org_id, role_id, patch); });
  }
  void DeleteRole(const core::Actor& actor, std::string_view org_id,
                  std::string_view role_id) override {
    return Faulted("DeleteRole", [&] { return inner_.DeleteRole(actor, org_id, role_id); });
  }
  core::Page<core::HeldRole> ListUserRoles(std::string_view org_id, std::string_view user_id,
                                           const ListQuery& query) override {
    return Faulted("ListUserRoles", [&] { return inner_.ListUserRoles(org_id, user_id, query); });
  }
  std::optional<core::HeldRole> GetUserRole(std::string_view org_id, std::string_view user_id,
                                            std::string_view role_id) override {
    return Faulted("GetUserRole", [&] { return inner_.GetUserRole(org_id, user_id, role_id); });
  }
  Assignment AssignUserRole(const core::Actor& actor, std::string_view org_id,
                            std::string_view user_id, std::string_view role_id) override {
    return Faulted("AssignUserRole",
                   [&] { return inner_.AssignUserRole(actor, org_id, user_id, role_id); });
  }
  void UnassignUserRole(const core::Actor& actor, std::string_view org_id, std::string_view user_id,
                        std::string_view role_id) override {
    return Faulted("UnassignUserRole",
                   [&] { return inner_.UnassignUserRole(actor, org_id, user_id, role_id); });
  }
  core::Page<core::AuditEvent> ListAuditEvents(std::string_view org_id,
                                               const AuditQuery& query) override {
    return Faulted("ListAuditEvents", [&] { return inner_.ListAuditEvents(org_id, query); });
  }
  CreatedOrganization CreateOrganizationWithOwner(const NewOrganization& request) override {
    return Faulted("CreateOrganizationWithOwner",
                   [&] { return inner_.CreateOrganizationWithOwner(request); });
  }
  void ExportAll(const ExportSink& sink) override {
    return Faulted("ExportAll", [&] { return inner_.ExportAll(sink); });
  }
  void ImportAll(int schema_version, const std::vector<exchange::Row>& rows) override {
    return Faulted("ImportAll", [&] { return inner_.ImportAll(schema_version, rows); });
  }
  core::Page<core::AdminKey> ListAdminKeys(std::string_view org_id,
                                           const ListQuery& query) override {
    return Faulted("ListAdminKeys", [&] { return inner_.ListAdminKeys(org_id, query); });
  }
  std::optional<core::AdminKey> GetAdminKey(std::string_view org_id,
                                            std::string_view key_id) override {
    return Faulted("GetAdminKey", [&] { return inner_.GetAdminKey(org_id, key_id); });
  }
  void DeleteAdminKey(const core::Actor& actor, std::string_view org_id,
                      std::string_view key_id) override {
    return Faulted("DeleteAdminKey", [&] { return inner_.DeleteAdminKey(actor, org_id, key_id); });
  }
  void TouchAdminKey(std::string_view key_id, core::Timestamp when) override {
    return Faulted("TouchAdminKey", [&] { return inner_.TouchAdminKey(key_id, when); });
  }
  core::Page<core::Group> ListGroups(std::string_view org_id, const ListQuery& query) override {
    return Faulted("ListGroups", [&] { return inner_.ListGroups(org_id, query); });
  }
  std::optional<core::Group> GetGroup(std::string_view org_id, std::string_view group_id) override {
    return Faulted("GetGroup", [&] { return inner_.GetGroup(org_id, group_id); });
  }
  core::Group CreateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view name) override {
    return Faulted("CreateGroup", [&] { return inner_.CreateGroup(actor, org_id, name); });
  }
  core::Group UpdateGroup(const core::Actor& actor, std::string_view org_id,
                          std::string_view group_id, std::string_view name) override {
    return Faulted("UpdateGroup",
                   [&] { return inner_.UpdateGroup(actor, org_id, group_id, name); });
  }
  void DeleteGroup(const core::Actor& actor, std::string_view org_id,
                   std::string_view group_id) override {
    return Faulted("DeleteGroup", [&] { return inner_.DeleteGroup(actor, org_id, group_id); });
  }
  core::Page<core::Member> ListGroupUsers(std::string_view org_id, std::string_view group_id,
                                          const ListQuery& query) override {
    return Faulted("ListGroupUsers",
                   [&] { return inner_.ListGroupUsers(org_id, group_id, query); });
  }
  void AddGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                    std::string_view user_id) override {
    return Faulted("AddGroupUser",
                   [&] { return inner_.AddGroupUser(actor, org_id, group_id, user_id); });
  }
  std::optional<core::Member> GetGroupUser(std::string_view org_id, std::string_view group_id,
                                           std::string_view user_id) override {
    return Faulted("GetGroupUser", [&] { return inner_.GetGroupUser(org_id, group_id, user_id); });
  }
  void RemoveGroupUser(const core::Actor& actor, std::string_view org_id, std::string_view group_id,
                       std::string_view user_id) override {
    return Faulted("RemoveGroupUser",
                   [&] { return inner_.RemoveGroupUser(actor, org_id, group_id, user_id); });
  }
  core::Page<core::HeldRole> ListGroupRoles(std::string_view org_id, std::string_view group_id,
                                            const ListQuery& query) override {
    return Faulted("ListGroupRoles",
                   [&] { return inner_.ListGroupRoles(org_id, group_id, query); });
  }
  std::optional<core::HeldRole> GetGroupRole(std::string_view org_id, std::string_view group_id,
                                             std::string_view role_id) override {
    return Faulted("GetGroupRole", [&] { return inner_.GetGroupRole(org_id, group_id, role_id); });
  }
  GroupAssignment AssignGroupRole(const core::Actor& actor, std::string_view org_id,
                                  std::string_view group_id, std::string_view role_id) override {
    return Faulted("AssignGroupRole",
                   [&] { return inner_.AssignGroupRole(actor, org_id, group_id, role_id); });
  }
  void UnassignGroupRole(const core::Actor& actor, std::string_view org_id,
                         std::string_view group_id, std::string_view role_id) override {
    return Faulted("UnassignGroupRole",
                   [&] { return inner_.UnassignGroupRole(actor, org_id, group_id, role_id); });
  }
  core::Page<core::Invite> ListInvites(std::string_view org_id, const ListQuery& query) override {
    return Faulted("ListInvites", [&] { return inner_.ListInvites(org_id, query); });
  }
  std::optional<core::Invite> GetInvite(std::string_view org_id,
                                        std::string_view invite_id) override {
    return Faulted("GetInvite", [&] { return inner_.GetInvite(org_id, invite_id); });
  }
  core::Invite CreateInvite(const core::Actor& actor, std::string_view org_id,
                            const NewInvite& invite) override {
    return Faulted("CreateInvite", [&] { return inner_.CreateInvite(actor, org_id, invite); });
  }
  void DeleteInvite(const core::Actor& actor, std::string_view org_id,
                    std::string_view invite_id) override {
    return Faulted("DeleteInvite", [&] { return inner_.DeleteInvite(actor, org_id, invite_id); });
  }
  std::optional<core::Invite> FindInviteByTokenHash(std::string_view token_hash) override {
    return Faulted("FindInviteByTokenHash",
                   [&] { return inner_.FindInviteByTokenHash(token_hash); });
  }
  core::Invite ReissueInviteToken(std::string_view org_id, std::string_view invite_id,
                                  std::string_view token_hash) override {
    return Faulted("ReissueInviteToken",
                   [&] { return inner_.ReissueInviteToken(org_id, invite_id, token_hash); });
  }
  core::Member AcceptInvite(std::string_view token_hash, std::string_view name) override {
    return Faulted("AcceptInvite", [&] { return inner_.AcceptInvite(token_hash, name); });
  }

 private:
  Store& inner_;
  mutable std::mutex mutex_;
  std::uint64_t fail_at_ = 0;
  std::uint64_t calls_ = 0;
  std::string failed_call_;
};

}  // namespace roster::storage

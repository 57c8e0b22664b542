// Wire encoders of every object the API returns (CONTRACT §5, §6): the one place that knows field
// names. Handlers and the error renderer call these and never build JSON themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "storage/store.hpp"

namespace roster::api::json {

// `organization.user` with all 16 fields of CONTRACT §6.1 (nulls included).
std::string EncodeUser(const core::Member& member);
// ConversationCursorPage of users: object, data, has_more, first_id, last_id.
std::string EncodeUserPage(const core::Page<core::Member>& page);

// `role` with its 7 fields (§6.2).
std::string EncodeRole(const core::Role& role);
// NextCursorPage of roles: object, data, has_more, next.
std::string EncodeRolePage(const core::Page<core::Role>& page);

// AssignedRoleDetails: 12 keys, no `object` (§6.3).
std::string EncodeHeldRole(const core::HeldRole& held);
// NextCursorPage of AssignedRoleDetails.
std::string EncodeHeldRolePage(const core::Page<core::HeldRole>& page);

// `{object:"user.role", user, role}` (§6.4).
std::string EncodeUserRoleAssignment(const storage::Assignment& assignment);
// `{object:"user.role.deleted", deleted:true}` (no id, §6.4).
std::string EncodeUserRoleDeleted();
// `{object:"organization.user.deleted", id, deleted:true}` (§6.5).
std::string EncodeUserDeleted(std::string_view user_id);
// `{object:"role.deleted", id, deleted:true}` (§6.5).
std::string EncodeRoleDeleted(std::string_view role_id);

// --- groups (§9) ---
// GroupResponse: `{object:"group", id, name, created_at, is_scim_managed, group_type}`.
std::string EncodeGroup(const core::Group& group);
// NextCursorPage of GroupResponse.
std::string EncodeGroupPage(const core::Page<core::Group>& page);
// The update response (GroupResourceWithSuccess): no `group_type`.
std::string EncodeUpdatedGroup(const core::Group& group);
// `{object:"group.deleted", id, deleted:true}`.
std::string EncodeGroupDeleted(std::string_view group_id);
// NextCursorPage of group users `{id, name, email}`.
std::string EncodeGroupUserPage(const core::Page<core::Member>& page);
// GroupMemberUser: `{id, name, email, picture, is_service_account, user_type}`.
std::string EncodeGroupUser(const core::Member& member);
// `{object:"group.user", user_id, group_id}`.
std::string EncodeGroupUserAdded(std::string_view group_id, std::string_view user_id);
// `{object:"group.user.deleted", deleted:true}` (no id).
std::string EncodeGroupUserDeleted();
// GroupRoleAssignment `{object:"group.role", group: {object, id, name, created_at,
// scim_managed}, role}` (§6.4).
std::string EncodeGroupRoleAssignment(const storage::GroupAssignment& assignment);
// `{object:"group.role.deleted", deleted:true}` (no id).
std::string EncodeGroupRoleDeleted();

// The error envelope `{"error":{message,type,param,code}}`; all four keys always present (§3.1).
std::string EncodeError(std::string_view message, std::string_view type,
                        const std::optional<std::string>& param,
                        const std::optional<std::string>& code);

}  // namespace roster::api::json

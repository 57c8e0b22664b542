// The audit-log event types (CONTRACT §11.3): the spec's AuditLogEventType enum plus the four the
// SDK adds. `event_types[]` accepts every one of them, even those Roster never emits.
#pragma once

#include <span>
#include <string_view>

namespace roster::api {

// Every event type, in the SDK's order.
std::span<const std::string_view> AuditEventTypes() noexcept;

// True when `type` is in the enum.
bool IsAuditEventType(std::string_view type) noexcept;

// True for the tenant-scoped types (returned only with `tenant_only=true`): every `tenant.*` type
// and `role.bound_to_resource` / `role.unbound_from_resource`.
bool IsTenantAuditEventType(std::string_view type) noexcept;

}  // namespace roster::api

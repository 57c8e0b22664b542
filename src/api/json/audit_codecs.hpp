// Wire encoder of the audit log (CONTRACT §11.2): AuditLog objects in a ConversationCursorPage.
#pragma once

#include <string>

#include "core/model.hpp"

namespace roster::api::json {

// ConversationCursorPage of AuditLog objects: `id`, `type`, `effective_at`, `project` (the
// organization's default project, where Roster attributes every event), `actor` and the payload
// under the key named by `type`. The actor is
// - `{type:"api_key", api_key:{id, type:"user", user:{id, email}}}` for a change made with a key,
// - `{type:"session", session:{user:{id, email}, ip_address:null}}` for a person acting without a
//   key (accepting an invite),
// - null for a change made from the shell.
std::string EncodeAuditLogPage(const core::Page<core::AuditEvent>& page,
                               const core::Organization& org);

}  // namespace roster::api::json

// Admin-key pieces of the SQLite backend used outside sqlite_store_keys.cpp (authentication).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/connection.hpp"

namespace roster::storage::sqlite {

// The member's effective permissions: the union of the permissions of every live role they hold
// (base role, direct assignments, roles of their live groups), sorted and unique. Empty for a
// non-member. Run it in the transaction that read the key, so both come from one snapshot.
std::vector<std::string> SelectEffectivePermissions(Connection& db, std::string_view org_id,
                                                    std::string_view user_id);

// The organization's authentication version (migration 3); 0 when it has no row yet.
std::int64_t SelectAuthGeneration(Connection& db, std::string_view org_id);

}  // namespace roster::storage::sqlite

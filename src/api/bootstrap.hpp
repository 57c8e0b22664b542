// Creating an organization with its first owner and admin key: used by `roster serve` on an empty
// store, by `roster orgs create`, and by tests.
#pragma once

#include <optional>
#include <string>

#include "core/model.hpp"
#include "storage/store.hpp"

namespace roster::api {

struct BootstrapRequest {
  std::string org_name = "Roster";
  std::string owner_email = "admin@roster.local";
  std::string owner_name = "Roster Admin";
  // The admin key value to use (ROSTER_BOOTSTRAP_ADMIN_KEY); a new random one when absent.
  // Must start with `sk-admin-`.
  std::optional<std::string> admin_key;
  std::string key_name = "bootstrap";
};

struct BootstrapResult {
  core::Organization organization;
  core::Member owner;
  core::AdminKey key;
  std::string admin_key_value;  // the secret; shown once, never stored
};

// Creates the organization, its owner (base role Owner) and an admin key owned by them.
// Throws core::Error kInvalidRequest when `admin_key` is malformed.
BootstrapResult BootstrapOrganization(storage::Store& store, const BootstrapRequest& request);

// Issues a new admin key for an existing member; returns the key and its secret value.
// Throws kNotFound when the user is not a member of the organization.
std::pair<core::AdminKey, std::string> IssueAdminKey(storage::Store& store,
                                                     const std::string& org_id,
                                                     const std::string& user_id,
                                                     std::optional<std::string> name,
                                                     std::optional<std::string> value = {});

}  // namespace roster::api

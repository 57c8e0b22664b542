// Shell commands that manage organizations and members directly in the database:
// `roster users add`, `roster orgs create`, `roster orgs list`.
#pragma once

#include <optional>
#include <string>

#include "app/command_support.hpp"

namespace roster::app {

struct AddUserOptions {
  std::string email;
  std::optional<std::string> name;  // default: the part of the email before '@'
  std::string role = "reader";      // "owner" | "reader"
  std::optional<std::string> org_id;
  std::string db = kDefaultDbPath;
};

// Adds a member; prints the user id alone on stdout. Throws CommandError for refusals (already a
// member, unknown or ambiguous organization).
int AddUser(const AddUserOptions& options);

struct CreateOrgOptions {
  std::string name;
  std::optional<std::string> owner_email;
  std::optional<std::string> owner_name;
  std::string db = kDefaultDbPath;
};

// Creates an organization with its owner and an admin key; prints one JSON line
// {"organization_id","user_id","admin_key"}.
int CreateOrg(const CreateOrgOptions& options);

// Prints one line per organization: id, a tab, name.
int ListOrgs(const std::string& db);

}  // namespace roster::app

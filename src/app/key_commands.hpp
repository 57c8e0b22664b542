// Shell command that issues admin keys directly in the database: `roster keys create`, for the
// first setup of a member and for recovery when every key of an organization is lost.
#pragma once

#include <optional>
#include <string>

#include "app/command_support.hpp"

namespace roster::app {

struct CreateKeyOptions {
  std::string user_id;
  std::optional<std::string> name;  // default: "cli"
  std::optional<std::string> org_id;
  std::string db = kDefaultDbPath;
};

// Issues a key owned by the member `user_id` and prints the secret alone on stdout, once (it is
// never retrievable again). Throws CommandError when the user is not a member of the
// organization, or the organization is unknown or ambiguous.
int CreateKey(const CreateKeyOptions& options);

}  // namespace roster::app

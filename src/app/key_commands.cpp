// keys create.
#include "app/key_commands.hpp"

#include <iostream>

#include "api/bootstrap.hpp"
#include "core/error.hpp"

namespace roster::app {
namespace {

constexpr int kCommandPoolSize = 1;
constexpr const char* kDefaultKeyName = "cli";

}  // namespace

int CreateKey(const CreateKeyOptions& options) {
  auto store = OpenStore(options.db, kCommandPoolSize);
  const core::Organization organization = ResolveOrganization(*store, options.org_id);
  try {
    const auto [key, value] = api::IssueAdminKey(*store, organization.id, options.user_id,
                                                 options.name.value_or(kDefaultKeyName));
    // Only the secret on stdout, so `KEY=$(roster keys create …)` works; the id goes to stderr.
    std::cerr << "Created admin key " << key.id << " for " << options.user_id
              << ". Store it now: it is not shown again.\n";
    std::cout << value << std::endl;
  } catch (const core::Error& e) {
    if (e.kind() != core::ErrorKind::kNotFound) throw;
    throw CommandError("User '" + options.user_id + "' is not a member of organization '" +
                       organization.id + "'.");
  }
  return kExitOk;
}

}  // namespace roster::app

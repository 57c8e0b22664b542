// users add, orgs create, orgs list.
#include "app/admin_commands.hpp"

#include <cctype>
#include <iostream>
#include <nlohmann/json.hpp>

#include "api/bootstrap.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace roster::app {
namespace {

// One connection is enough for a single command.
constexpr int kCommandPoolSize = 1;

// A fresh owner account per organization by default: reusing one email would make the same
// account a member (and owner) of every organization created this way, which defeats the
// cross-organization isolation tests this command exists for.
std::string DefaultOwnerEmail(const std::string& org_name) {
  std::string slug;
  for (char c : org_name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      slug += static_cast<char>(std::tolower(u));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "org";
  // The random tail of a new id keeps two organizations of the same name apart.
  const std::string id = core::NewId("");
  return "owner." + slug + "." + id.substr(id.size() - 8) + "@roster.local";
}

}  // namespace

int AddUser(const AddUserOptions& options) {
  const auto role = core::ParseBaseRole(options.role);
  if (!role) throw CommandError("--role must be owner or reader", kExitUsage);
  auto store = OpenStore(options.db, kCommandPoolSize);
  const core::Organization organization = ResolveOrganization(*store, options.org_id);
  storage::NewMember member;
  member.email = options.email;
  member.name = options.name ? *options.name : options.email.substr(0, options.email.find('@'));
  member.base_role = *role;
  try {
    const core::Member added = store->AddMember(std::nullopt, organization.id, member);
    std::cout << added.account.id << std::endl;
  } catch (const core::Error& e) {
    // Refusals (already a member, invalid email) are the user's to fix; anything else is not.
    if (e.kind() != core::ErrorKind::kInvalidRequest && e.kind() != core::ErrorKind::kNotFound) {
      throw;
    }
    throw CommandError(e.message());
  }
  return kExitOk;
}

int CreateOrg(const CreateOrgOptions& options) {
  auto store = OpenStore(options.db, kCommandPoolSize);
  api::BootstrapRequest request;
  request.org_name = options.name;
  request.owner_email =
      options.owner_email ? *options.owner_email : DefaultOwnerEmail(options.name);
  request.owner_name = options.owner_name ? *options.owner_name : options.name + " Owner";
  const api::BootstrapResult result = api::BootstrapOrganization(*store, request);
  const nlohmann::json line = {
      {"organization_id", result.organization.id},
      {"user_id", result.owner.account.id},
      {"admin_key", result.admin_key_value},
  };
  std::cout << line.dump() << std::endl;
  return kExitOk;
}

int ListOrgs(const std::string& db) {
  auto store = OpenStore(db, kCommandPoolSize);
  for (const auto& organization : store->ListOrganizations()) {
    std::cout << organization.id << '\t' << organization.name << '\n';
  }
  std::cout << std::flush;
  return kExitOk;
}

}  // namespace roster::app

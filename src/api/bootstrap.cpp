// Organization bootstrap and admin key issuance: the only code that sees a key's secret value,
// which it hashes for the store and hands back to the caller once.
#include "api/bootstrap.hpp"

#include <utility>

#include "core/error.hpp"
#include "crypto/keys.hpp"

namespace roster::api {
namespace {

// Short values would be guessable; generated keys are far longer (crypto::NewAdminKeyValue).
constexpr std::size_t kMinKeyLength = 20;

// The given value, checked, or a fresh random one. Checked before anything is written, so a bad
// value leaves the store untouched.
std::string KeyValue(std::optional<std::string> value) {
  if (!value) return crypto::NewAdminKeyValue();
  if (!value->starts_with(crypto::kAdminKeyPrefix) || value->size() < kMinKeyLength) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "An admin key must start with '" + std::string(crypto::kAdminKeyPrefix) +
                          "' and be at least " + std::to_string(kMinKeyLength) +
                          " characters long.",
                      "admin_key", std::string(core::codes::kInvalidValue));
  }
  return std::move(*value);
}

core::AdminKey StoreKey(storage::Store& store, const std::string& org_id,
                        const std::string& user_id, std::optional<std::string> name,
                        const std::string& value) {
  storage::NewAdminKey key;
  key.owner_user_id = user_id;
  key.name = std::move(name);
  key.key_hash = crypto::Sha256Hex(value);
  key.redacted_value = crypto::RedactKey(value);
  return store.CreateAdminKey(std::nullopt, org_id, key);
}

}  // namespace

BootstrapResult BootstrapOrganization(storage::Store& store, const BootstrapRequest& request) {
  std::string value = KeyValue(request.admin_key);
  BootstrapResult result;
  result.organization = store.CreateOrganization(request.org_name);
  storage::NewMember owner;
  owner.email = request.owner_email;
  owner.name = request.owner_name;
  owner.base_role = core::BaseRole::kOwner;
  result.owner = store.AddMember(std::nullopt, result.organization.id, owner);
  result.key =
      StoreKey(store, result.organization.id, result.owner.account.id, request.key_name, value);
  result.admin_key_value = std::move(value);
  return result;
}

std::pair<core::AdminKey, std::string> IssueAdminKey(storage::Store& store,
                                                     const std::string& org_id,
                                                     const std::string& user_id,
                                                     std::optional<std::string> name,
                                                     std::optional<std::string> value) {
  std::string secret = KeyValue(std::move(value));
  core::AdminKey key = StoreKey(store, org_id, user_id, std::move(name), secret);
  return {std::move(key), std::move(secret)};
}

}  // namespace roster::api

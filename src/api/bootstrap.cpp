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

storage::NewAdminKey KeyRecordOf(std::optional<std::string> name, const std::string& value) {
  storage::NewAdminKey key;
  key.name = std::move(name);
  key.key_hash = crypto::Sha256Hex(value);
  key.redacted_value = crypto::RedactKey(value);
  return key;
}

}  // namespace

BootstrapResult BootstrapOrganization(storage::Store& store, const BootstrapRequest& request) {
  std::string value = KeyValue(request.admin_key);
  storage::NewOrganization organization;
  organization.name = request.org_name;
  organization.owner.email = request.owner_email;
  organization.owner.name = request.owner_name;
  organization.owner.base_role = core::BaseRole::kOwner;
  organization.key = KeyRecordOf(request.key_name, value);
  // One transaction: a failure leaves no organization without its owner or key behind (a
  // `serve` that finds the store non-empty never bootstraps again).
  storage::CreatedOrganization created = store.CreateOrganizationWithOwner(organization);
  BootstrapResult result;
  result.organization = std::move(created.organization);
  result.owner = std::move(created.owner);
  result.key = std::move(created.key);
  result.admin_key_value = std::move(value);
  return result;
}

std::pair<core::AdminKey, std::string> IssueAdminKey(storage::Store& store,
                                                     const std::string& org_id,
                                                     const std::string& user_id,
                                                     std::optional<std::string> name,
                                                     std::optional<std::string> value) {
  std::string secret = KeyValue(std::move(value));
  storage::NewAdminKey record = KeyRecordOf(std::move(name), secret);
  record.owner_user_id = user_id;
  core::AdminKey key = store.CreateAdminKey(std::nullopt, org_id, record);
  return {std::move(key), std::move(secret)};
}

}  // namespace roster::api

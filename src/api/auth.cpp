// Bearer parsing, key lookup by hash, expiry and organization checks.
#include "api/auth.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "crypto/keys.hpp"

namespace roster::api {
namespace {

constexpr std::string_view kWhitespace = " \t";
constexpr std::string_view kBearer = "bearer";

std::string_view Trim(std::string_view text) noexcept {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

core::Error Unauthenticated(std::string message, std::optional<std::string> code = std::nullopt) {
  return core::Error(core::ErrorKind::kUnauthenticated, std::move(message), std::nullopt,
                     std::move(code));
}

core::Error NoKey() {
  return Unauthenticated(
      "You didn't provide an API key. You need to provide your API key in an Authorization "
      "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key "
      "from https://platform.openai.com/account/api-keys.");
}

core::Error IncorrectKey(std::string_view key) {
  return Unauthenticated("Incorrect API key provided: " + crypto::MaskKeyForMessage(key) +
                             ". You can find your API key at "
                             "https://platform.openai.com/account/api-keys.",
                         std::string(core::codes::kInvalidApiKey));
}

// Non-admin keys get the upstream message, which names only the management scopes.
core::Error MissingScope(const Route& route) {
  return Unauthenticated(
      "You have insufficient permissions for this operation. Missing scopes: " +
      std::string(IsWrite(route) ? "api.management.write" : "api.management.read") +
      ". Check that you are using an admin API key (sk-admin-…); project and user keys cannot "
      "call the Admin API.");
}

// The key of a `Bearer <key>` header (scheme case-insensitive), or empty.
std::string_view BearerKey(std::string_view header) noexcept {
  header = Trim(header);
  if (header.size() <= kBearer.size()) return {};
  const bool scheme_matches =
      std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char expected, char got) {
        return expected == std::tolower(static_cast<unsigned char>(got));
      });
  const char separator = header[kBearer.size()];
  if (!scheme_matches || (separator != ' ' && separator != '\t')) return {};
  return Trim(header.substr(kBearer.size()));
}

}  // namespace

std::shared_ptr<const storage::KeyRecord> Authenticate(storage::Store& store,
                                                       const core::Clock& clock,
                                                       const Request& request, const Route& route,
                                                       AuthCache* cache) {
  const std::string_view key = BearerKey(request.authorization);
  if (key.empty()) throw NoKey();
  if (!key.starts_with(crypto::kAdminKeyPrefix)) {
    // Every stored key is an admin key, so no lookup can succeed. An `sk-…` key is taken to be a
    // project or user key — the real API answers those with the scope message — and anything
    // else is simply not a key.
    if (key.starts_with("sk-")) throw MissingScope(route);
    throw IncorrectKey(key);
  }
  // Only the hash is stored or cached; the stored hash is compared in constant time.
  const std::string hash = crypto::Sha256Hex(key);
  std::shared_ptr<const storage::KeyRecord> record;
  if (cache != nullptr) {
    record = cache->Find(store, hash);
  } else if (std::optional<storage::KeyRecord> found = store.FindKeyByHash(hash)) {
    record = std::make_shared<const storage::KeyRecord>(std::move(*found));
  }
  if (!record || !crypto::ConstantTimeEquals(record->key_hash, hash) ||
      (record->key.expires_at && *record->key.expires_at <= clock.Now())) {
    throw IncorrectKey(key);
  }
  if (request.openai_organization && !request.openai_organization->empty() &&
      *request.openai_organization != record->key.org_id) {
    throw Unauthenticated("OpenAI-Organization header should match organization for API key.",
                          std::string(core::codes::kMismatchedOrganization));
  }
  return record;
}

std::string AdminKeyHashOf(const Request& request) {
  const std::string_view key = BearerKey(request.authorization);
  if (!key.starts_with(crypto::kAdminKeyPrefix)) return {};
  return crypto::Sha256Hex(key);
}

void Authorize(const storage::KeyRecord& key, std::string_view permission) {
  if (std::binary_search(key.permissions.begin(), key.permissions.end(), permission)) return;
  throw core::Error(core::ErrorKind::kPermissionDenied,
                    "You have insufficient permissions for this operation. Missing permission: " +
                        std::string(permission) + ".",
                    std::nullopt, std::string(core::codes::kInsufficientPermissions));
}

}  // namespace roster::api

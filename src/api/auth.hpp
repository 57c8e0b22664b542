// Admin-key authentication of a matched request (CONTRACT §2, NOTES N-18).
#pragma once

#include <memory>
#include <string_view>

#include "api/auth_cache.hpp"
#include "api/request.hpp"
#include "api/routes.hpp"
#include "core/clock.hpp"
#include "core/model.hpp"
#include "storage/store.hpp"

namespace roster::api {

// The key record (actor and its owner's effective permissions) of a request carrying
// `Authorization: Bearer sk-admin-…` with a live key. Throws
// core::Error kUnauthenticated (401, type invalid_request_error, param null):
// - header missing, empty, not Bearer, or an empty key → code null, "You didn't provide an API
//   key. …";
// - an `sk-` key that is not an admin key → code null, "You have insufficient permissions for
//   this operation. Missing scopes: api.management.read|write. …" (write for every method but
//   GET, as upstream);
// - unknown, deleted or expired key (expires_at <= now), or not an `sk-` key at all → code
//   `invalid_api_key`, "Incorrect API key provided: <masked key>. …";
// - `OpenAI-Organization` present, non-empty and not the key's organization → code
//   `mismatched_organization`.
// With a `cache`, a key seen before costs one version read (AuthCache); without, one
// FindKeyByHash. Never null. Thread-safe.
std::shared_ptr<const storage::KeyRecord> Authenticate(storage::Store& store,
                                                       const core::Clock& clock,
                                                       const Request& request, const Route& route,
                                                       AuthCache* cache = nullptr);

// The SHA-256 (lowercase hex) of the request's `Bearer sk-admin-…` key, or "" when it carries no
// admin key.
std::string AdminKeyHashOf(const Request& request);

// Checks that the key's owner holds `permission` (their effective permissions, sorted). Throws
// core::Error kPermissionDenied (403, code `insufficient_permissions`, param null) naming the
// missing permission otherwise.
void Authorize(const storage::KeyRecord& key, std::string_view permission);

}  // namespace roster::api

// Secrets that are not admin keys: the acceptance tokens of invites.
#pragma once

#include <string>
#include <string_view>

namespace roster::crypto {

// A new invite acceptance token: 43 URL-safe characters (base64url of 32 bytes from a CSPRNG),
// safe to put in a path segment without escaping.
std::string NewInviteToken();

// What the store keeps of an invite token: its lowercase hex SHA-256 (the token itself is shown
// once, in the link, and never stored).
std::string InviteTokenHash(std::string_view token);

}  // namespace roster::crypto

// Secrets that are not admin keys: the acceptance tokens of invites.
#pragma once

#include <string>

namespace roster::crypto {

// A new invite acceptance token: 43 URL-safe characters (base64url of 32 bytes from a CSPRNG),
// safe to put in a path segment without escaping.
std::string NewInviteToken();

}  // namespace roster::crypto

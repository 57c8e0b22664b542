// Invite tokens on OpenSSL's CSPRNG.
#include "crypto/tokens.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <string_view>

#include "crypto/keys.hpp"

namespace roster::crypto {
namespace {
constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kTokenBytes = 32;  // 256 bits: unguessable, like an admin key
}  // namespace

std::string NewInviteToken() {
  std::array<unsigned char, kTokenBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  // base64url without padding: 6 bits per character, 43 characters for 256 bits.
  std::string token;
  token.reserve((bytes.size() * 8 + 5) / 6);
  unsigned int buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      token += kBase64Url[(buffer >> bits) & 0x3F];
    }
  }
  if (bits > 0) token += kBase64Url[(buffer << (6 - bits)) & 0x3F];
  return token;
}

std::string InviteTokenHash(std::string_view token) { return Sha256Hex(token); }

}  // namespace roster::crypto

// Admin key material on OpenSSL.
#include "crypto/keys.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace roster::crypto {
namespace {
constexpr std::string_view kKeyAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kKeyRandomChars = 64;
}  // namespace

std::string NewAdminKeyValue() {
  std::array<unsigned char, kKeyRandomChars> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string value(kAdminKeyPrefix);
  // 62 does not divide 256: rejection-free mapping loses < 0.1 bit per char, which leaves well
  // over 256 bits of entropy in 64 characters.
  for (unsigned char b : bytes) value += kKeyAlphabet[b % kKeyAlphabet.size()];
  return value;
}

std::string Sha256Hex(std::string_view value) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(value.data(), value.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RedactKey(std::string_view value) {
  constexpr std::size_t kShown = 3;
  std::string out = "sk-admin...";
  if (value.size() > kShown) out += value.substr(value.size() - kShown);
  return out;
}

std::string MaskKeyForMessage(std::string_view value) {
  constexpr std::size_t kHead = 8;
  constexpr std::size_t kTail = 4;
  if (value.size() <= kHead + kTail + 4) return std::string(value.size(), '*');
  return std::string(value.substr(0, kHead)) + std::string(value.size() - kHead - kTail, '*') +
         std::string(value.substr(value.size() - kTail));
}

}  // namespace roster::crypto

// Admin key material: generation, hashing and comparison (OpenSSL). The only place that touches
// secrets; nothing here logs.
#pragma once

#include <string>
#include <string_view>

namespace roster::crypto {

inline constexpr std::string_view kAdminKeyPrefix = "sk-admin-";

// A new admin key value: `sk-admin-` + 64 characters from a CSPRNG (RAND_bytes).
std::string NewAdminKeyValue();

// Lowercase hex SHA-256 of `value`.
std::string Sha256Hex(std::string_view value);

// Constant-time equality of two strings of equal length (CRYPTO_memcmp); false if lengths differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept;

// The redacted form shown by the API: `sk-admin...` + the last 3 characters.
std::string RedactKey(std::string_view value);

// For error messages about a presented key: first 8 and last 4 characters, middle masked
// (`sk-admin********abcd`), as OpenAI's `Incorrect API key provided:` messages do. Short inputs
// are masked entirely.
std::string MaskKeyForMessage(std::string_view value);

}  // namespace roster::crypto

// Admin key material: generation, hashing, redaction, masking and comparison.
#include "crypto/keys.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace roster::crypto {
namespace {

TEST(KeysTest, Sha256KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KeysTest, NewAdminKeyValue) {
  const std::regex pattern("^sk-admin-[0-9A-Za-z]{64}$");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string key = NewAdminKeyValue();
    EXPECT_TRUE(std::regex_match(key, pattern)) << key;
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(KeysTest, RedactKeyShowsLastThree) {
  EXPECT_EQ(RedactKey("sk-admin-abcdefXYZ"), "sk-admin...XYZ");
  EXPECT_EQ(RedactKey("ab"), "sk-admin...");
}

TEST(KeysTest, MaskKeyForMessage) {
  const std::string key = "sk-admin-0123456789abcdefghij";
  const std::string masked = MaskKeyForMessage(key);
  EXPECT_EQ(masked.size(), key.size());
  EXPECT_EQ(masked.substr(0, 8), "sk-admin");
  EXPECT_EQ(masked.substr(masked.size() - 4), "ghij");
  EXPECT_EQ(masked.find("0123456789"), std::string::npos);
  EXPECT_EQ(masked.substr(8, masked.size() - 12), std::string(key.size() - 12, '*'));
  EXPECT_EQ(MaskKeyForMessage("short"), "*****");
  EXPECT_EQ(MaskKeyForMessage(""), "");
  EXPECT_EQ(MaskKeyForMessage(std::string(16, 'a')), std::string(16, '*'));
}

TEST(KeysTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", ""));
}

}  // namespace
}  // namespace roster::crypto

// BootstrapOrganization and IssueAdminKey against the real store.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"
#include "core/error.hpp"
#include "crypto/keys.hpp"

namespace roster::apitest {
namespace {

using BootstrapTest = ApiTest;

TEST_F(BootstrapTest, CreatesOrganizationOwnerAndKey) {
  EXPECT_FALSE(org_.organization.id.empty());
  EXPECT_EQ(org_.organization.name, "Roster");
  EXPECT_EQ(org_.owner.base_role, core::BaseRole::kOwner);
  EXPECT_EQ(org_.owner.account.email, "admin@roster.local");
  EXPECT_EQ(org_.owner.org_id, OrgId());
  EXPECT_EQ(org_.key.org_id, OrgId());
  EXPECT_EQ(org_.key.owner_user_id, OwnerId());
  EXPECT_EQ(org_.key.name, "bootstrap");
  EXPECT_FALSE(org_.key.expires_at.has_value());
  EXPECT_EQ(org_.admin_key_value.rfind("sk-admin-", 0), 0u);
  EXPECT_EQ(org_.key.redacted_value,
            "sk-admin..." + org_.admin_key_value.substr(org_.admin_key_value.size() - 3));
  // Only the hash is stored: the record is found by it and carries the actor.
  const auto record = store_->FindKeyByHash(crypto::Sha256Hex(org_.admin_key_value));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->key_hash, crypto::Sha256Hex(org_.admin_key_value));
  EXPECT_EQ(record->actor.user_id, OwnerId());
  EXPECT_EQ(record->actor.org_id, OrgId());
  EXPECT_EQ(Get("/v1/organization/users/" + OwnerId()).body["role"], "owner");
}

TEST_F(BootstrapTest, UsesTheGivenKeyValue) {
  api::BootstrapRequest request;
  request.org_name = "Given";
  request.owner_email = "given@example.com";
  request.admin_key = "sk-admin-given-key-value-1234567890";
  const api::BootstrapResult result = api::BootstrapOrganization(*store_, request);
  EXPECT_EQ(result.admin_key_value, *request.admin_key);
  EXPECT_EQ(result.key.redacted_value, "sk-admin...890");
  const Reply reply = Call("GET", "/v1/organization/users", "", "Bearer " + *request.admin_key);
  ASSERT_EQ(reply.status(), 200);
  EXPECT_EQ(reply.body["data"][0]["email"], "given@example.com");
}

TEST_F(BootstrapTest, RejectsMalformedKeyValueBeforeWritingAnything) {
  const std::size_t organizations = store_->ListOrganizations().size();
  for (const char* value : {"sk-proj-abcdefghijklmnopqrstuvwxyz", "sk-admin-short", ""}) {
    api::BootstrapRequest request;
    request.owner_email = "bad@example.com";
    request.admin_key = value;
    try {
      api::BootstrapOrganization(*store_, request);
      ADD_FAILURE() << "accepted " << value;
    } catch (const core::Error& e) {
      EXPECT_EQ(e.kind(), core::ErrorKind::kInvalidRequest);
    }
  }
  EXPECT_EQ(store_->ListOrganizations().size(), organizations);
}

TEST_F(BootstrapTest, IssueAdminKeyForAMember) {
  const core::Member member = AddMember("second@example.com", "Second", core::BaseRole::kOwner);
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), member.account.id, "ci");
  EXPECT_EQ(key.owner_user_id, member.account.id);
  EXPECT_EQ(key.name, "ci");
  EXPECT_NE(value, org_.admin_key_value);
  EXPECT_EQ(Call("GET", "/v1/organization/roles", "", "Bearer " + value).status(), 200);

  const auto [given_key, given_value] = api::IssueAdminKey(
      *store_, OrgId(), member.account.id, std::nullopt, "sk-admin-chosen-0123456789abcdef");
  EXPECT_EQ(given_value, "sk-admin-chosen-0123456789abcdef");
  EXPECT_FALSE(given_key.name.has_value());
  EXPECT_EQ(Call("GET", "/v1/organization/roles", "", "Bearer " + given_value).status(), 200);
}

TEST_F(BootstrapTest, IssueAdminKeyRefusals) {
  try {
    api::IssueAdminKey(*store_, OrgId(), "user-nobody", "x");
    ADD_FAILURE() << "issued a key for a non-member";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::kNotFound);
  }
  try {
    api::IssueAdminKey(*store_, OrgId(), OwnerId(), "x", "not-an-admin-key-value");
    ADD_FAILURE() << "accepted a malformed value";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::kInvalidRequest);
  }
}

}  // namespace
}  // namespace roster::apitest

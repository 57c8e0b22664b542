// Authentication of every matched route (CONTRACT §2, NOTES N-18).
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"
#include "crypto/keys.hpp"

namespace roster::apitest {
namespace {

constexpr std::string_view kNoKeyPrefix =
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

class AuthTest : public ApiTest {
 protected:
  Reply GetUsers(const std::string& authorization) {
    return Call("GET", "/v1/organization/users", "", authorization);
  }
  static bool StartsWith(const Reply& reply, std::string_view prefix) {
    return reply.error().value("message", "").rfind(prefix, 0) == 0;
  }
};

TEST_F(AuthTest, ValidKeyWorks) {
  const Reply reply = GetUsers(Bearer());
  EXPECT_EQ(reply.status(), 200) << reply.response.body;
}

TEST_F(AuthTest, SchemeIsCaseInsensitiveAndSpacesAreTolerated) {
  for (const std::string& header :
       {"bearer " + org_.admin_key_value, "BEARER " + org_.admin_key_value,
        "  Bearer   " + org_.admin_key_value + "  ", "Bearer\t" + org_.admin_key_value}) {
    EXPECT_EQ(GetUsers(header).status(), 200) << header;
  }
}

TEST_F(AuthTest, MissingOrMalformedHeader) {
  for (const std::string& header :
       {std::string(), std::string("   "), std::string("Bearer"), std::string("Bearer    "),
        "Basic " + org_.admin_key_value, "Token " + org_.admin_key_value, org_.admin_key_value,
        "Bearer" + org_.admin_key_value}) {
    const Reply reply = GetUsers(header);
    ExpectError(reply, 401, std::nullopt, std::nullopt);
    EXPECT_TRUE(StartsWith(reply, kNoKeyPrefix)) << reply.response.body;
  }
}

TEST_F(AuthTest, MissingKeyOnEveryRouteKind) {
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/v1/organization/users"},
           {"POST", "/v1/organization/roles"},
           {"DELETE", "/v1/organization/roles/role_x"},
           {"GET", "/v1/organization/users/u/roles/r"}}) {
    const Reply reply = Call(method, target, "{}", "");
    ExpectError(reply, 401, std::nullopt, std::nullopt);
  }
}

TEST_F(AuthTest, UnknownAdminKeyIsMaskedInTheMessage) {
  const std::string key = "sk-admin-" + std::string(40, 'Q') + "tail";
  const Reply reply = GetUsers("Bearer " + key);
  ExpectError(reply, 401, std::nullopt, "invalid_api_key");
  const std::string message = reply.error().value("message", "");
  EXPECT_TRUE(StartsWith(reply, "Incorrect API key provided: sk-admin")) << message;
  EXPECT_NE(message.find(crypto::MaskKeyForMessage(key)), std::string::npos) << message;
  EXPECT_EQ(message.find(key), std::string::npos) << "full key echoed";
  EXPECT_EQ(reply.response.body.find(std::string(40, 'Q')), std::string::npos);
}

TEST_F(AuthTest, KeyThatIsNotAKey) {
  const Reply reply = GetUsers("Bearer not-a-real-key-at-all");
  ExpectError(reply, 401, std::nullopt, "invalid_api_key");
  EXPECT_EQ(reply.response.body.find("not-a-real-key-at-all"), std::string::npos);
}

TEST_F(AuthTest, NonAdminKeyLacksTheScope) {
  const Reply read = GetUsers("Bearer sk-proj-abcdefghijklmnopqrstuvwxyz");
  ExpectError(read, 401, std::nullopt, std::nullopt);
  EXPECT_TRUE(StartsWith(read,
                         "You have insufficient permissions for this operation. Missing "
                         "scopes: api.management.read."))
      << read.response.body;

  const Reply write =
      Call("POST", "/v1/organization/roles", "{}", "Bearer sk-proj-abcdefghijklmnopqrstuvwxyz");
  ExpectError(write, 401, std::nullopt, std::nullopt);
  EXPECT_TRUE(StartsWith(write,
                         "You have insufficient permissions for this operation. Missing "
                         "scopes: api.management.write."));

  const Reply remove = Call("DELETE", "/v1/organization/users/u", "", "Bearer sk-svcacct-abc");
  EXPECT_TRUE(StartsWith(remove,
                         "You have insufficient permissions for this operation. Missing "
                         "scopes: api.management.write."));
}

TEST_F(AuthTest, ExpiredKey) {
  const std::string value = "sk-admin-expiring-key-0123456789abcdef";
  storage::NewAdminKey key;
  key.owner_user_id = OwnerId();
  key.key_hash = crypto::Sha256Hex(value);
  key.redacted_value = crypto::RedactKey(value);
  key.expires_at = kStartTime + 60;
  store_->CreateAdminKey(std::nullopt, OrgId(), key);

  EXPECT_EQ(GetUsers("Bearer " + value).status(), 200);
  clock_.Advance(59);
  EXPECT_EQ(GetUsers("Bearer " + value).status(), 200);
  clock_.Advance(1);  // expires_at <= now
  ExpectError(GetUsers("Bearer " + value), 401, std::nullopt, "invalid_api_key");
  // Other keys are unaffected.
  EXPECT_EQ(GetUsers(Bearer()).status(), 200);
}

TEST_F(AuthTest, OrganizationHeader) {
  api::Request request = api::Request::Make("GET", "/v1/organization/users", "", Bearer());
  request.openai_organization = OrgId();
  EXPECT_EQ(Send(request).status(), 200);

  request.openai_organization = "";  // an unset variable sent as an empty header
  EXPECT_EQ(Send(request).status(), 200);

  request.openai_organization = "org-someoneelse";
  ExpectError(Send(request), 401, std::nullopt, "mismatched_organization");
}

TEST_F(AuthTest, KeyOfARemovedMemberStopsWorking) {
  const core::Member second = AddMember("second@example.com", "Second", core::BaseRole::kOwner);
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), second.account.id, "second");
  EXPECT_EQ(GetUsers("Bearer " + value).status(), 200);
  ASSERT_EQ(Delete("/v1/organization/users/" + second.account.id).status(), 200);
  ExpectError(GetUsers("Bearer " + value), 401, std::nullopt, "invalid_api_key");
}

TEST_F(AuthTest, AuthComesBeforeBodyValidation) {
  const Reply reply = Call("POST", "/v1/organization/roles", "not json", "");
  ExpectError(reply, 401, std::nullopt, std::nullopt);
}

}  // namespace
}  // namespace roster::apitest

// Invite acceptance tokens (crypto/tokens) and the audit-log event type enum (api).
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "api/audit_event_types.hpp"
#include "crypto/tokens.hpp"

namespace roster {
namespace {

TEST(InviteTokenTest, UrlSafeUniqueAndFullLength) {
  static const std::regex kToken("^[A-Za-z0-9_-]{43}$");
  std::set<std::string> seen;
  std::set<char> alphabet;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = crypto::NewInviteToken();
    EXPECT_TRUE(std::regex_match(token, kToken)) << token;
    EXPECT_TRUE(seen.insert(token).second) << "repeated token " << token;
    alphabet.insert(token.begin(), token.end());
  }
  // 43 000 characters from a uniform source use the whole base64url alphabet.
  EXPECT_EQ(alphabet.size(), 64u);
}

TEST(AuditEventTypesTest, SpecEnumPlusTheSdkFour) {
  EXPECT_EQ(api::AuditEventTypes().size(), 149u);
  const std::set<std::string_view> unique(api::AuditEventTypes().begin(),
                                          api::AuditEventTypes().end());
  EXPECT_EQ(unique.size(), 149u);
  for (const char* type :
       {"invite.sent", "invite.accepted", "invite.deleted", "user.added", "role.assignment.created",
        "group.created", "api_key.created", "external_storage.registered", "tenant.user.added",
        "tenant.trusted_access.application.submitted"}) {
    EXPECT_TRUE(api::IsAuditEventType(type)) << type;
  }
  for (const char* type : {"", "invite", "user.exploded", "Invite.sent", "tenant."}) {
    EXPECT_FALSE(api::IsAuditEventType(type)) << type;
  }
}

TEST(AuditEventTypesTest, TenantScopedTypes) {
  EXPECT_TRUE(api::IsTenantAuditEventType("tenant.group.member.added"));
  EXPECT_TRUE(api::IsTenantAuditEventType("role.bound_to_resource"));
  EXPECT_TRUE(api::IsTenantAuditEventType("role.unbound_from_resource"));
  EXPECT_FALSE(api::IsTenantAuditEventType("role.created"));
  EXPECT_FALSE(api::IsTenantAuditEventType("invite.sent"));
  EXPECT_FALSE(api::IsTenantAuditEventType("tenant.not_a_type"));
  int tenant = 0;
  for (std::string_view type : api::AuditEventTypes()) tenant += api::IsTenantAuditEventType(type);
  // Every tenant.* value plus the two role binding events.
  int prefixed = 0;
  for (std::string_view type : api::AuditEventTypes()) prefixed += type.starts_with("tenant.");
  EXPECT_EQ(tenant, prefixed + 2);
}

}  // namespace
}  // namespace roster

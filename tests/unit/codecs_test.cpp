// Wire encoders: every field of every object present (nulls included) and the list envelopes.
#include "api/json/codecs.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace roster::api::json {
namespace {

using nlohmann::json;

core::Member SampleMember(core::BaseRole role = core::BaseRole::kOwner) {
  core::Member m;
  m.account.id = "user-abc";
  m.account.email = "ada@example.com";
  m.account.name = "Ada Lovelace";
  m.account.enabled = true;
  m.account.created_at = 1000;
  m.org_id = "org-1";
  m.base_role = role;
  m.added_at = 2000;
  m.default_project_id = "proj_1";
  m.default_project_name = "Default project";
  return m;
}

core::Role SampleRole() {
  core::Role r;
  r.id = "role_1";
  r.org_id = "org-1";
  r.name = "Group Manager";
  r.description = "Manages groups";
  r.permissions = {"api.groups.read", "api.groups.write"};
  r.predefined = false;
  r.created_at = 10;
  r.updated_at = 20;
  r.created_by = "user-abc";
  r.created_by_name = "Ada Lovelace";
  r.created_by_email = "ada@example.com";
  return r;
}

void ExpectKeys(const json& object, std::initializer_list<const char*> keys) {
  ASSERT_TRUE(object.is_object());
  EXPECT_EQ(object.size(), keys.size()) << object.dump();
  for (const char* key : keys) EXPECT_TRUE(object.contains(key)) << key;
}

TEST(CodecsTest, UserHasAll16Fields) {
  const json u = json::parse(EncodeUser(SampleMember()));
  ExpectKeys(u,
             {"object", "id", "added_at", "name", "email", "role", "is_default", "created", "user",
              "is_service_account", "is_scale_tier_authorized_purchaser", "is_scim_managed",
              "api_key_last_used_at", "technical_level", "developer_persona", "projects"});
  EXPECT_EQ(u["object"], "organization.user");
  EXPECT_EQ(u["id"], "user-abc");
  EXPECT_EQ(u["added_at"], 2000);
  EXPECT_EQ(u["name"], "Ada Lovelace");
  EXPECT_EQ(u["email"], "ada@example.com");
  EXPECT_EQ(u["role"], "owner");
  EXPECT_EQ(u["is_default"], false);
  EXPECT_EQ(u["created"], 1000);
  EXPECT_EQ(u["is_service_account"], false);
  EXPECT_TRUE(u["is_scale_tier_authorized_purchaser"].is_null());
  EXPECT_EQ(u["is_scim_managed"], false);
  EXPECT_TRUE(u["api_key_last_used_at"].is_null());
  EXPECT_TRUE(u["technical_level"].is_null());
  EXPECT_TRUE(u["developer_persona"].is_null());
}

TEST(CodecsTest, UserNestedAccount) {
  const json account = json::parse(EncodeUser(SampleMember()))["user"];
  ExpectKeys(account,
             {"object", "id", "email", "name", "picture", "enabled", "banned", "banned_at"});
  EXPECT_EQ(account["object"], "user");
  EXPECT_EQ(account["id"], "user-abc");
  EXPECT_EQ(account["email"], "ada@example.com");
  EXPECT_EQ(account["name"], "Ada Lovelace");
  EXPECT_TRUE(account["picture"].is_null());
  EXPECT_EQ(account["enabled"], true);
  EXPECT_EQ(account["banned"], false);
  EXPECT_TRUE(account["banned_at"].is_null());
}

TEST(CodecsTest, UserOptionalValuesWhenSet) {
  core::Member m = SampleMember(core::BaseRole::kReader);
  m.account.picture = "https://example.com/a.png";
  m.account.enabled = false;
  m.technical_level = "expert";
  m.developer_persona = "backend";
  const json u = json::parse(EncodeUser(m));
  EXPECT_EQ(u["role"], "reader");
  EXPECT_EQ(u["user"]["picture"], "https://example.com/a.png");
  EXPECT_EQ(u["user"]["enabled"], false);
  EXPECT_EQ(u["technical_level"], "expert");
  EXPECT_EQ(u["developer_persona"], "backend");
}

TEST(CodecsTest, UserProjectsListTheDefaultProjectWithProjectRole) {
  const json owner = json::parse(EncodeUser(SampleMember(core::BaseRole::kOwner)))["projects"];
  ExpectKeys(owner, {"object", "data"});
  EXPECT_EQ(owner["object"], "list");
  ASSERT_EQ(owner["data"].size(), 1u);
  ExpectKeys(owner["data"][0], {"id", "name", "role"});
  EXPECT_EQ(owner["data"][0]["id"], "proj_1");
  EXPECT_EQ(owner["data"][0]["name"], "Default project");
  EXPECT_EQ(owner["data"][0]["role"], "owner");
  const json reader = json::parse(EncodeUser(SampleMember(core::BaseRole::kReader)))["projects"];
  EXPECT_EQ(reader["data"][0]["role"], "member");
}

TEST(CodecsTest, RoleHasSevenFields) {
  const json r = json::parse(EncodeRole(SampleRole()));
  ExpectKeys(r, {"object", "id", "name", "description", "permissions", "resource_type",
                 "predefined_role"});
  EXPECT_EQ(r["object"], "role");
  EXPECT_EQ(r["id"], "role_1");
  EXPECT_EQ(r["name"], "Group Manager");
  EXPECT_EQ(r["description"], "Manages groups");
  EXPECT_EQ(r["permissions"], json({"api.groups.read", "api.groups.write"}));
  EXPECT_EQ(r["resource_type"], "api.organization");
  EXPECT_EQ(r["predefined_role"], false);
}

TEST(CodecsTest, RoleNullDescriptionAndEmptyPermissions) {
  core::Role role = SampleRole();
  role.description.reset();
  role.permissions.clear();
  role.predefined = true;
  const json r = json::parse(EncodeRole(role));
  EXPECT_TRUE(r["description"].is_null());
  EXPECT_TRUE(r["permissions"].is_array());
  EXPECT_TRUE(r["permissions"].empty());
  EXPECT_EQ(r["predefined_role"], true);
}

TEST(CodecsTest, HeldRoleHasTwelveKeysAndNoObject) {
  core::HeldRole held{SampleRole(), {{"user-abc", "user"}, {"group_1", "group"}}};
  const json h = json::parse(EncodeHeldRole(held));
  ExpectKeys(h, {"id", "name", "permissions", "resource_type", "predefined_role", "description",
                 "created_at", "updated_at", "created_by", "created_by_user_obj", "metadata",
                 "assignment_sources"});
  EXPECT_FALSE(h.contains("object"));
  EXPECT_EQ(h["id"], "role_1");
  EXPECT_EQ(h["created_at"], 10);
  EXPECT_EQ(h["updated_at"], 20);
  EXPECT_EQ(h["created_by"], "user-abc");
  EXPECT_EQ(h["created_by_user_obj"],
            json({{"id", "user-abc"}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"}}));
  EXPECT_EQ(h["metadata"], json::object());
  ASSERT_EQ(h["assignment_sources"].size(), 2u);
  EXPECT_EQ(h["assignment_sources"][0],
            json({{"principal_id", "user-abc"}, {"principal_type", "user"}}));
  EXPECT_EQ(h["assignment_sources"][1],
            json({{"principal_id", "group_1"}, {"principal_type", "group"}}));
}

TEST(CodecsTest, HeldPredefinedRoleHasNullCreator) {
  core::Role role = SampleRole();
  role.predefined = true;
  role.created_by.reset();
  role.created_by_name.reset();
  role.created_by_email.reset();
  role.description.reset();
  const json h = json::parse(EncodeHeldRole({role, {}}));
  EXPECT_TRUE(h["created_by"].is_null());
  EXPECT_TRUE(h["created_by_user_obj"].is_null());
  EXPECT_TRUE(h["description"].is_null());
  EXPECT_TRUE(h["assignment_sources"].is_array());
  EXPECT_TRUE(h["assignment_sources"].empty());
}

TEST(CodecsTest, CreatorWithoutNameOrEmailStillHasThreeKeys) {
  core::Role role = SampleRole();
  role.created_by_name.reset();
  role.created_by_email.reset();
  const json obj = json::parse(EncodeHeldRole({role, {}}))["created_by_user_obj"];
  ExpectKeys(obj, {"id", "name", "email"});
  EXPECT_TRUE(obj["name"].is_null());
  EXPECT_TRUE(obj["email"].is_null());
}

TEST(CodecsTest, UserPageEnvelope) {
  core::Page<core::Member> page;
  page.items = {SampleMember(), SampleMember()};
  page.items[1].account.id = "user-def";
  page.has_more = true;
  const json p = json::parse(EncodeUserPage(page));
  ExpectKeys(p, {"object", "data", "has_more", "first_id", "last_id"});
  EXPECT_EQ(p["object"], "list");
  EXPECT_EQ(p["data"].size(), 2u);
  EXPECT_EQ(p["data"][0]["object"], "organization.user");
  EXPECT_EQ(p["has_more"], true);
  EXPECT_EQ(p["first_id"], "user-abc");
  EXPECT_EQ(p["last_id"], "user-def");
}

TEST(CodecsTest, EmptyUserPageHasNullIds) {
  const json p = json::parse(EncodeUserPage({}));
  ExpectKeys(p, {"object", "data", "has_more", "first_id", "last_id"});
  EXPECT_TRUE(p["data"].is_array());
  EXPECT_TRUE(p["data"].empty());
  EXPECT_EQ(p["has_more"], false);
  EXPECT_TRUE(p["first_id"].is_null());
  EXPECT_TRUE(p["last_id"].is_null());
}

TEST(CodecsTest, RolePageNextIsLastIdOnlyWhileMore) {
  core::Page<core::Role> page;
  page.items = {SampleRole(), SampleRole()};
  page.items[1].id = "role_2";
  page.has_more = true;
  json p = json::parse(EncodeRolePage(page));
  ExpectKeys(p, {"object", "data", "has_more", "next"});
  EXPECT_EQ(p["object"], "list");
  EXPECT_EQ(p["next"], "role_2");
  EXPECT_EQ(p["has_more"], true);
  EXPECT_EQ(p["data"][1]["object"], "role");

  page.has_more = false;
  p = json::parse(EncodeRolePage(page));
  EXPECT_TRUE(p["next"].is_null());
  EXPECT_EQ(p["has_more"], false);

  p = json::parse(EncodeRolePage({}));
  ExpectKeys(p, {"object", "data", "has_more", "next"});
  EXPECT_TRUE(p["next"].is_null());
  EXPECT_TRUE(p["data"].empty());
}

TEST(CodecsTest, NeverHasMoreWithEmptyData) {
  core::Page<core::Role> page;
  page.has_more = true;
  const json p = json::parse(EncodeRolePage(page));
  EXPECT_EQ(p["has_more"], false);
  EXPECT_TRUE(p["next"].is_null());
}

TEST(CodecsTest, HeldRolePageEnvelope) {
  core::Page<core::HeldRole> page;
  page.items = {{SampleRole(), {{"user-abc", "user"}}}};
  page.has_more = true;
  const json p = json::parse(EncodeHeldRolePage(page));
  ExpectKeys(p, {"object", "data", "has_more", "next"});
  EXPECT_EQ(p["next"], "role_1");
  EXPECT_FALSE(p["data"][0].contains("object"));
  EXPECT_EQ(p["data"][0].size(), 12u);
}

TEST(CodecsTest, UserRoleAssignment) {
  const json a = json::parse(EncodeUserRoleAssignment({SampleMember(), SampleRole()}));
  ExpectKeys(a, {"object", "user", "role"});
  EXPECT_EQ(a["object"], "user.role");
  EXPECT_EQ(a["user"]["object"], "organization.user");
  EXPECT_EQ(a["user"].size(), 16u);
  EXPECT_EQ(a["role"]["object"], "role");
  EXPECT_EQ(a["role"].size(), 7u);
}

TEST(CodecsTest, DeletionConfirmations) {
  EXPECT_EQ(json::parse(EncodeUserRoleDeleted()),
            json({{"object", "user.role.deleted"}, {"deleted", true}}));
  EXPECT_EQ(json::parse(EncodeUserDeleted("user-abc")),
            json({{"object", "organization.user.deleted"}, {"id", "user-abc"}, {"deleted", true}}));
  EXPECT_EQ(json::parse(EncodeRoleDeleted("role_1")),
            json({{"object", "role.deleted"}, {"id", "role_1"}, {"deleted", true}}));
}

TEST(CodecsTest, ErrorEnvelope) {
  EXPECT_EQ(json::parse(EncodeError("m", "invalid_request_error", std::nullopt, std::nullopt)),
            json::parse(R"({"error":{"message":"m","type":"invalid_request_error",
                                     "param":null,"code":null}})"));
  EXPECT_EQ(json::parse(EncodeError("m", "t", "p", "c"))["error"],
            json({{"message", "m"}, {"type", "t"}, {"param", "p"}, {"code", "c"}}));
}

TEST(CodecsTest, InvalidUtf8InIdsIsReplacedNotThrown) {
  std::string body;
  ASSERT_NO_THROW(body = EncodeUserDeleted("user-\xff"));
  EXPECT_EQ(json::parse(body)["id"], "user-\xEF\xBF\xBD");
}

// Members whose text exercises escaping: quotes, backslashes, control characters, non-ASCII,
// and every optional field both set and unset.
std::vector<core::Member> AwkwardMembers() {
  std::vector<core::Member> members;
  core::Member plain = SampleMember(core::BaseRole::kReader);
  members.push_back(plain);
  core::Member escaped = SampleMember();
  escaped.account.name = "Ada \"The Countess\" \\ Lovelace\n\t\x01\x1f/";
  escaped.account.email = "ada+x@example.com";
  escaped.account.picture = "https://example.com/a.png?x=1&y=\"2\"";
  escaped.technical_level = "expert";
  escaped.developer_persona = "Zoë — 開発者 😀";
  escaped.default_project_name = "Projet «défaut»";
  escaped.account.enabled = false;
  members.push_back(escaped);
  return members;
}

// The streaming encoder (api/json/json_writer.hpp) and the DOM encoder used inside other objects
// must agree on every value: EncodeUserRoleAssignment still renders its user with the DOM.
TEST(CodecsTest, StreamedUserEqualsTheDomRendering) {
  for (const core::Member& member : AwkwardMembers()) {
    const json streamed = json::parse(EncodeUser(member));
    const json dom = json::parse(EncodeUserRoleAssignment({member, SampleRole()}))["user"];
    EXPECT_EQ(streamed, dom) << streamed.dump() << "\n" << dom.dump();
  }
}

TEST(CodecsTest, StreamedUserPageEqualsItsMembers) {
  core::Page<core::Member> page;
  page.items = AwkwardMembers();
  page.has_more = true;
  const json p = json::parse(EncodeUserPage(page));
  ASSERT_EQ(p["data"].size(), page.items.size());
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    EXPECT_EQ(p["data"][i], json::parse(EncodeUser(page.items[i])));
  }
  EXPECT_EQ(p["first_id"], page.items.front().account.id);
  EXPECT_EQ(p["last_id"], page.items.back().account.id);
}

TEST(CodecsTest, InvalidUtf8InAMemberFallsBackToReplacement) {
  core::Member broken = SampleMember();
  broken.account.name = "Ada \xC3\x28 Lovelace";  // an invalid two-byte sequence
  std::string body;
  ASSERT_NO_THROW(body = EncodeUser(broken));
  const json u = json::parse(body);
  EXPECT_EQ(u["name"], "Ada \xEF\xBF\xBD( Lovelace");
  EXPECT_EQ(u["email"], "ada@example.com");

  core::Page<core::Member> page;
  page.items = {SampleMember(), broken};
  const json p = json::parse(EncodeUserPage(page));
  ASSERT_EQ(p["data"].size(), 2u);
  EXPECT_EQ(p["data"][1]["name"], "Ada \xEF\xBF\xBD( Lovelace");
  EXPECT_EQ(p["last_id"], "user-abc");
}

}  // namespace
}  // namespace roster::api::json

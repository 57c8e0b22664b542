// /v1/organization/admin_api_keys in process: the object and its CursorPage list, create
// validation, revocation taking effect on the very next request, expiry, and last_used_at.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "api/api_helpers.hpp"
#include "crypto/keys.hpp"

namespace roster::apitest {
namespace {

constexpr const char* kKeys = "/v1/organization/admin_api_keys";

class AdminApiKeysTest : public ApiTest {
 protected:
  Reply Create(const json& body) { return Post(kKeys, body); }

  // Creates a key through the API and returns the create response body.
  json CreateKey(const std::string& name, std::optional<int> expires_in_seconds = std::nullopt) {
    json body = {{"name", name}};
    if (expires_in_seconds) body["expires_in_seconds"] = *expires_in_seconds;
    const Reply reply = Create(body);
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body;
  }

  Reply GetUsersWith(const std::string& value) {
    return Call("GET", "/v1/organization/users", "", "Bearer " + value);
  }

  std::string BootstrapKeyId() const { return org_.key.id; }
};

void ExpectKeyObject(const json& key) {
  EXPECT_EQ(key["object"], "organization.admin_api_key");
  for (const char* field :
       {"id", "name", "redacted_value", "created_at", "expires_at", "last_used_at", "owner"}) {
    EXPECT_TRUE(key.contains(field)) << field << " in " << key.dump();
  }
  EXPECT_TRUE(key["id"].get<std::string>().starts_with("key_")) << key.dump();
  EXPECT_TRUE(key["redacted_value"].get<std::string>().starts_with("sk-admin...")) << key.dump();
}

TEST_F(AdminApiKeysTest, CreateReturnsTheSecretOnceWithTheCallersOwner) {
  clock_.Advance(10);
  const json key = CreateKey("ci");
  ExpectKeyObject(key);
  EXPECT_EQ(key["name"], "ci");
  EXPECT_EQ(key["created_at"], kStartTime + 10);
  EXPECT_TRUE(key["expires_at"].is_null());
  EXPECT_TRUE(key["last_used_at"].is_null());
  const std::string value = key["value"];
  EXPECT_TRUE(value.starts_with("sk-admin-")) << value;
  EXPECT_EQ(key["redacted_value"], "sk-admin..." + value.substr(value.size() - 3));
  EXPECT_EQ(key["owner"], json({{"type", "user"},
                                {"object", "organization.user"},
                                {"id", OwnerId()},
                                {"name", "Roster Admin"},
                                {"created_at", org_.owner.added_at},
                                {"role", "owner"}}));

  // The secret works, and is never shown again.
  EXPECT_EQ(GetUsersWith(value).status(), 200);
  const Reply retrieved = Get(std::string(kKeys) + "/" + key["id"].get<std::string>());
  ASSERT_EQ(retrieved.status(), 200);
  EXPECT_FALSE(retrieved.body.contains("value"));
  EXPECT_EQ(retrieved.response.body.find(value), std::string::npos);
  const Reply listed = Get(kKeys);
  EXPECT_EQ(listed.response.body.find(value), std::string::npos);

  // Two keys never share a secret.
  EXPECT_NE(CreateKey("ci")["value"], value);
}

TEST_F(AdminApiKeysTest, CreateWithExpiry) {
  const json key = CreateKey("short", 3600);
  EXPECT_EQ(key["expires_at"], kStartTime + 3600);
  EXPECT_EQ(CreateKey("longest", 31536000)["expires_at"], kStartTime + 31536000);
  EXPECT_EQ(CreateKey("shortest", 1)["expires_at"], kStartTime + 1);
  const Reply no_expiry = Create({{"name", "n"}, {"expires_in_seconds", nullptr}});
  ASSERT_EQ(no_expiry.status(), 200);
  EXPECT_TRUE(no_expiry.body["expires_at"].is_null());
}

TEST_F(AdminApiKeysTest, CreateValidation) {
  ExpectError(Create(json::object()), 400, "name", "missing_required_parameter");
  ExpectError(Create({{"name", 5}}), 400, "name", "invalid_type");
  ExpectError(Create({{"name", nullptr}}), 400, "name", "invalid_type");
  ExpectError(Create({{"name", ""}}), 400, "name", "invalid_value");
  ExpectError(Create({{"name", "   "}}), 400, "name", "invalid_value");
  ExpectError(Create({{"name", std::string(256, 'k')}}), 400, "name", "invalid_value");
  EXPECT_EQ(Create({{"name", std::string(255, 'k')}}).status(), 200);
  // 255 characters of two bytes each are still 255 characters.
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(Create({{"name", accents}}).status(), 200);

  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", 0}}), 400, "expires_in_seconds",
              "integer_below_min_value");
  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", -5}}), 400, "expires_in_seconds",
              "integer_below_min_value");
  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", 31536001}}), 400, "expires_in_seconds",
              "integer_above_max_value");
  ExpectError(Post(kKeys, std::string(R"({"name":"k","expires_in_seconds":18446744073709551615})")),
              400, "expires_in_seconds", "integer_above_max_value");
  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", 1.5}}), 400, "expires_in_seconds",
              "invalid_type");
  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", "60"}}), 400, "expires_in_seconds",
              "invalid_type");
  ExpectError(Create({{"name", "k"}, {"expires_in_seconds", true}}), 400, "expires_in_seconds",
              "invalid_type");
  ExpectError(Create({{"name", "k"}, {"scopes", json::array()}}), 400, "scopes",
              "unknown_parameter");
  ExpectError(Post(kKeys, std::string("{not json")), 400, std::nullopt, std::nullopt);
  ExpectError(Post(kKeys, std::string("[]")), 400, std::nullopt, "invalid_type");

  // Only the three accepted creates above wrote anything.
  EXPECT_EQ(CountEvents("api_key.created"), 1 + 2);
}

TEST_F(AdminApiKeysTest, CreateWritesAuditEventWithTheCallingKey) {
  const json key = CreateKey("audited");
  const Reply log = Get("/v1/organization/audit_logs?event_types[]=api_key.created");
  ASSERT_EQ(log.status(), 200) << log.response.body;
  ASSERT_FALSE(log.body["data"].empty());
  const json& event = log.body["data"][0];
  EXPECT_EQ(event["type"], "api_key.created");
  EXPECT_EQ(event["api_key.created"],
            json({{"id", key["id"]}, {"data", {{"scopes", json::array()}}}}));
  EXPECT_EQ(event["actor"]["api_key"]["id"], BootstrapKeyId());
  EXPECT_EQ(event["actor"]["api_key"]["user"]["id"], OwnerId());
}

TEST_F(AdminApiKeysTest, RetrieveAndNotFound) {
  const json key = CreateKey("one");
  const std::string id = key["id"];
  const Reply reply = Get(std::string(kKeys) + "/" + id);
  ASSERT_EQ(reply.status(), 200);
  json expected = key;
  expected.erase("value");
  EXPECT_EQ(reply.body, expected);

  ExpectError(Get(std::string(kKeys) + "/key_nope"), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(std::string(kKeys) + "/key_nope"), 404, std::nullopt, std::nullopt);

  // A key of another organization is missing here, and its id is no cursor here either.
  api::BootstrapRequest other_request;
  other_request.org_name = "Other";
  const api::BootstrapResult other = api::BootstrapOrganization(*store_, other_request);
  ExpectError(Get(std::string(kKeys) + "/" + other.key.id), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(std::string(kKeys) + "/" + other.key.id), 404, std::nullopt, std::nullopt);
  ExpectError(Get(std::string(kKeys) + "?after=" + other.key.id), 400, "after", "invalid_value");
  EXPECT_EQ(GetUsersWith(other.admin_key_value).status(), 200);
}

TEST_F(AdminApiKeysTest, ListIsACursorPage) {
  std::vector<std::string> ids = {BootstrapKeyId()};
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(1);
    ids.push_back(CreateKey("k" + std::to_string(i))["id"]);
  }
  const Reply all = Get(kKeys);
  ASSERT_EQ(all.status(), 200);
  EXPECT_EQ(all.body["object"], "list");
  EXPECT_EQ(all.body["has_more"], false);
  EXPECT_EQ(all.body["first_id"], ids.front());
  EXPECT_EQ(all.body["last_id"], ids.back());
  ASSERT_EQ(all.body["data"].size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ExpectKeyObject(all.body["data"][i]);
    EXPECT_EQ(all.body["data"][i]["id"], ids[i]);
    EXPECT_FALSE(all.body["data"][i].contains("value"));
  }

  // The SDK's paging: after = the last item's id, limit 1.
  std::vector<std::string> walked;
  std::string target = std::string(kKeys) + "?limit=1";
  for (int pages = 0; pages < 20; ++pages) {
    const Reply page = Get(target);
    ASSERT_EQ(page.status(), 200);
    ASSERT_EQ(page.body["data"].size(), 1u);
    walked.push_back(page.body["data"][0]["id"]);
    EXPECT_EQ(page.body["first_id"], walked.back());
    EXPECT_EQ(page.body["last_id"], walked.back());
    if (!page.body["has_more"].get<bool>()) break;
    target = std::string(kKeys) + "?limit=1&after=" + walked.back();
  }
  EXPECT_EQ(walked, ids);

  const Reply desc = Get(std::string(kKeys) + "?order=desc&limit=2");
  ASSERT_EQ(desc.status(), 200);
  EXPECT_EQ(desc.body["data"][0]["id"], ids[4]);
  EXPECT_EQ(desc.body["data"][1]["id"], ids[3]);
  EXPECT_EQ(desc.body["has_more"], true);
  const Reply desc_next = Get(std::string(kKeys) + "?order=desc&limit=10&after=" + ids[3]);
  ASSERT_EQ(desc_next.body["data"].size(), 3u);
  EXPECT_EQ(desc_next.body["data"][2]["id"], ids[0]);

  const Reply empty = Get(std::string(kKeys) + "?after=" + ids.back());
  EXPECT_EQ(empty.body["data"], json::array());
  EXPECT_EQ(empty.body["has_more"], false);
  EXPECT_TRUE(empty.body["first_id"].is_null());
  EXPECT_TRUE(empty.body["last_id"].is_null());
}

TEST_F(AdminApiKeysTest, ListParameters) {
  EXPECT_EQ(Get(std::string(kKeys) + "?limit=100").status(), 200);
  ExpectError(Get(std::string(kKeys) + "?limit=0"), 400, "limit", "integer_below_min_value");
  ExpectError(Get(std::string(kKeys) + "?limit=101"), 400, "limit", "integer_above_max_value");
  ExpectError(Get(std::string(kKeys) + "?limit=x"), 400, "limit", "invalid_type");
  ExpectError(Get(std::string(kKeys) + "?order=up"), 400, "order", "invalid_value");
  ExpectError(Get(std::string(kKeys) + "?after=key_nope"), 400, "after", "invalid_value");
  EXPECT_EQ(Get(std::string(kKeys) + "?after=").status(), 200);
}

TEST_F(AdminApiKeysTest, DeletedKeyFailsOnItsVeryNextRequest) {
  const json key = CreateKey("doomed");
  const std::string id = key["id"];
  const std::string value = key["value"];
  ASSERT_EQ(GetUsersWith(value).status(), 200);

  const Reply deleted = Delete(std::string(kKeys) + "/" + id);
  ASSERT_EQ(deleted.status(), 200);
  EXPECT_EQ(
      deleted.body,
      json({{"id", id}, {"object", "organization.admin_api_key.deleted"}, {"deleted", true}}));
  ExpectError(GetUsersWith(value), 401, std::nullopt, "invalid_api_key");
  ExpectError(Get(std::string(kKeys) + "/" + id), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(std::string(kKeys) + "/" + id), 404, std::nullopt, std::nullopt);
  EXPECT_EQ(CountEvents("api_key.deleted"), 1);

  // Its id still works as a cursor (tombstone).
  const Reply after = Get(std::string(kKeys) + "?after=" + id);
  ASSERT_EQ(after.status(), 200);
  EXPECT_EQ(after.body["data"], json::array());
  const Reply listed = Get(kKeys);
  ASSERT_EQ(listed.body["data"].size(), 1u);
  EXPECT_EQ(listed.body["data"][0]["id"], BootstrapKeyId());
}

TEST_F(AdminApiKeysTest, DeletingTheCallingKeyItselfIsAllowed) {
  const json key = CreateKey("self");
  const std::string value = key["value"];
  const Reply self = Call("DELETE", std::string(kKeys) + "/" + key["id"].get<std::string>(), "",
                          "Bearer " + value);
  ASSERT_EQ(self.status(), 200) << self.response.body;
  EXPECT_EQ(self.body["deleted"], true);
  ExpectError(GetUsersWith(value), 401, std::nullopt, "invalid_api_key");
  EXPECT_EQ(GetUsersWith(org_.admin_key_value).status(), 200);
}

TEST_F(AdminApiKeysTest, ExpiredKeyIsRefused) {
  const json key = CreateKey("brief", 60);
  const std::string value = key["value"];
  clock_.Advance(59);
  EXPECT_EQ(GetUsersWith(value).status(), 200);
  clock_.Advance(1);
  ExpectError(GetUsersWith(value), 401, std::nullopt, "invalid_api_key");
  // An expired key is still listed (with its expires_at) until deleted.
  EXPECT_EQ(Get(std::string(kKeys) + "/" + key["id"].get<std::string>()).body["expires_at"],
            kStartTime + 60);
}

TEST_F(AdminApiKeysTest, LastUsedAtIsKeptCurrentAboutOnceAMinute) {
  const json key = CreateKey("used");
  const std::string target = std::string(kKeys) + "/" + key["id"].get<std::string>();
  const std::string value = key["value"];
  const std::string id = key["id"];
  auto last_used = [&] { return store_->GetAdminKey(OrgId(), id)->last_used_at; };
  EXPECT_FALSE(last_used());

  clock_.Advance(5);
  ASSERT_EQ(GetUsersWith(value).status(), 200);
  EXPECT_EQ(last_used(), kStartTime + 5);
  EXPECT_EQ(Get(target).body["last_used_at"], kStartTime + 5);

  // Within the minute: no write per request.
  clock_.Advance(30);
  ASSERT_EQ(GetUsersWith(value).status(), 200);
  EXPECT_EQ(last_used(), kStartTime + 5);

  clock_.Advance(30);
  ASSERT_EQ(GetUsersWith(value).status(), 200);
  EXPECT_EQ(last_used(), kStartTime + 65);

  // A fresh router (another process, a restart) trusts the stored value, not a memory.
  ResetRouter({});
  clock_.Advance(10);
  ASSERT_EQ(GetUsersWith(value).status(), 200);
  EXPECT_EQ(last_used(), kStartTime + 65);
  clock_.Advance(60);
  ASSERT_EQ(GetUsersWith(value).status(), 200);
  EXPECT_EQ(last_used(), kStartTime + 135);

  // Use is not a change: no audit events.
  EXPECT_EQ(CountEvents("api_key.updated"), 0);
}

TEST_F(AdminApiKeysTest, NewKeyBelongsToTheOwnerOfTheCallingKey) {
  // A Reader allowed to manage keys through a custom role issues a key: it is theirs, and it
  // carries their permissions, not the issuer's key's.
  const core::Member reader = AddMember("keymaster@example.com", "Key Master");
  const std::string role = CreateRole("Key managers", {"api.management.write"});
  ASSERT_EQ(Post("/v1/organization/users/" + reader.account.id + "/roles", json{{"role_id", role}})
                .status(),
            200);
  const auto [reader_key, reader_value] =
      api::IssueAdminKey(*store_, OrgId(), reader.account.id, std::string("reader"));
  (void)reader_key;
  const Reply created =
      Call("POST", kKeys, R"({"name":"made by reader"})", "Bearer " + reader_value);
  ASSERT_EQ(created.status(), 200) << created.response.body;
  EXPECT_EQ(created.body["owner"]["id"], reader.account.id);
  EXPECT_EQ(created.body["owner"]["name"], "Key Master");
  EXPECT_EQ(created.body["owner"]["role"], "reader");
  const std::string value = created.body["value"];
  const Reply roles = Call("POST", "/v1/organization/roles",
                           R"({"role_name":"Nope","permissions":[]})", "Bearer " + value);
  ExpectError(roles, 403, std::nullopt, "insufficient_permissions");
}

}  // namespace
}  // namespace roster::apitest

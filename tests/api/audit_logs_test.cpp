// GET /v1/organization/audit_logs: the AuditLog objects, every filter of CONTRACT §11.1 as the
// SDKs encode it, paging both ways, and the refusals.
#include <gtest/gtest.h>

#include "api/api_helpers.hpp"
#include "api/bootstrap.hpp"

namespace roster::apitest {
namespace {

// A second organization with its own owner and key.
api::BootstrapResult OtherOrganization(storage::Store& store, const std::string& name,
                                       const std::string& owner_email,
                                       const std::string& owner_name) {
  api::BootstrapRequest request;
  request.org_name = name;
  request.owner_email = owner_email;
  request.owner_name = owner_name;
  return api::BootstrapOrganization(store, request);
}

class AuditLogsTest : public ApiTest {
 protected:
  // The story, newest first once it is written, above the bootstrap's own events (the prelude,
  // all at t+0 and made from the shell, without actor):
  //   t+40 user.updated     (carol → owner)   api_key actor (the bootstrap key)
  //   t+30 user.added       (carol)           session actor carol
  //   t+30 invite.accepted                    session actor carol
  //   t+20 invite.sent      (carol)           api_key actor
  //   t+10 role.created     (Auditor)         api_key actor
  void WriteStory() {
    prelude_ = Types("");
    clock_.Set(kStartTime + 10);
    role_id_ = CreateRole("Auditor");
    clock_.Set(kStartTime + 20);
    const Reply invite =
        Post("/v1/organization/invites", json{{"email", "carol@example.com"}, {"role", "reader"}});
    ASSERT_EQ(invite.status(), 200) << invite.response.body;
    invite_id_ = invite.body["id"];
    const Reply link = Call("POST", "/roster/organization/invites/" + invite_id_ + "/link");
    ASSERT_EQ(link.status(), 200) << link.response.body;
    invite_token_ = link.body["path"].get<std::string>().substr(std::string("/invite/").size());
    clock_.Set(kStartTime + 30);
    api::Request accept = api::Request::Make(
        "POST", "/roster/invites/accept", json{{"token", invite_token_}, {"name", "Carol"}}.dump());
    accept.content_type = "application/json";
    const Reply accepted = Send(std::move(accept));
    ASSERT_EQ(accepted.status(), 200) << accepted.response.body;
    carol_id_ = accepted.body["id"];
    clock_.Set(kStartTime + 40);
    ASSERT_EQ(Post("/v1/organization/users/" + carol_id_, json{{"role", "owner"}}).status(), 200);
  }

  // Types of the events a query returns (one page of up to 100).
  std::vector<std::string> Types(const std::string& query) {
    const Reply reply = Get("/v1/organization/audit_logs?limit=100" + query);
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    std::vector<std::string> types;
    if (reply.status() != 200) return types;
    for (const json& event : reply.body["data"]) types.push_back(event["type"]);
    return types;
  }

  // `types` followed by the prelude: what a query that does not exclude t+0 returns.
  std::vector<std::string> WithPrelude(std::vector<std::string> types) const {
    types.insert(types.end(), prelude_.begin(), prelude_.end());
    return types;
  }

  std::string role_id_, invite_id_, invite_token_, carol_id_;
  std::vector<std::string> prelude_;  // types of the bootstrap's events, newest first
};

const std::vector<std::string> kStory = {"user.updated", "user.added", "invite.accepted",
                                         "invite.sent", "role.created"};

TEST_F(AuditLogsTest, RendersEveryEventWithProjectActorAndPayload) {
  WriteStory();
  const Reply reply = Get("/v1/organization/audit_logs");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body.size(), 5u);
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["has_more"], false);
  const json& data = reply.body["data"];
  ASSERT_EQ(data.size(), kStory.size() + prelude_.size());
  EXPECT_EQ(reply.body["first_id"], data.front()["id"]);
  EXPECT_EQ(reply.body["last_id"], data.back()["id"]);

  const json project = {{"id", org_.organization.default_project_id}, {"name", "Default project"}};
  const json key_actor = {{"type", "api_key"},
                          {"api_key",
                           {{"id", org_.key.id},
                            {"type", "user"},
                            {"user", {{"id", OwnerId()}, {"email", "admin@roster.local"}}}}}};
  const json carol_actor = {
      {"type", "session"},
      {"session",
       {{"user", {{"id", carol_id_}, {"email", "carol@example.com"}}}, {"ip_address", nullptr}}}};

  const std::vector<std::string> types = WithPrelude(kStory);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const json& event = data[i];
    EXPECT_EQ(event["type"], types[i]);
    EXPECT_TRUE(event["id"].get<std::string>().starts_with("audit_log-"));
    EXPECT_EQ(event["project"], project);
    EXPECT_EQ(event.size(), 6u) << event.dump();  // id, type, effective_at, project, actor, payload
    EXPECT_TRUE(event.contains(types[i])) << event.dump();
  }
  EXPECT_EQ(data[0]["effective_at"], kStartTime + 40);
  EXPECT_EQ(data[0]["actor"], key_actor);
  EXPECT_EQ(data[0]["user.updated"],
            (json{{"id", carol_id_}, {"changes_requested", {{"role", "owner"}}}}));
  EXPECT_EQ(data[1]["actor"], carol_actor);
  EXPECT_EQ(data[1]["user.added"], (json{{"id", carol_id_}, {"data", {{"role", "reader"}}}}));
  EXPECT_EQ(data[2]["actor"], carol_actor);
  EXPECT_EQ(data[2]["invite.accepted"], (json{{"id", invite_id_}}));
  EXPECT_EQ(data[3]["actor"], key_actor);
  EXPECT_EQ(
      data[3]["invite.sent"],
      (json{{"id", invite_id_}, {"data", {{"email", "carol@example.com"}, {"role", "reader"}}}}));
  EXPECT_EQ(data[4]["effective_at"], kStartTime + 10);
  EXPECT_EQ(data[4]["role.created"]["id"], role_id_);
  // The prelude: the bootstrap, made from the shell, so without actor; it added the owner.
  bool owner_added = false;
  for (std::size_t i = kStory.size(); i < data.size(); ++i) {
    EXPECT_TRUE(data[i]["actor"].is_null()) << data[i].dump();
    EXPECT_EQ(data[i]["effective_at"], kStartTime);
    owner_added = owner_added ||
                  (data[i]["type"] == "user.added" && data[i]["user.added"]["id"] == OwnerId());
  }
  EXPECT_TRUE(owner_added);
}

TEST_F(AuditLogsTest, PagesThroughEverythingWithASmallLimit) {
  WriteStory();
  const Reply all = Get("/v1/organization/audit_logs?limit=100");
  std::vector<std::string> ids;
  for (const json& event : all.body["data"]) ids.push_back(event["id"]);
  ASSERT_EQ(ids.size(), kStory.size() + prelude_.size());
  EXPECT_EQ(WalkIds("/v1/organization/audit_logs?limit=1", "last_id"), ids);
  EXPECT_EQ(WalkIds("/v1/organization/audit_logs?limit=4", "last_id"), ids);
  // Filters are repeated on every page, as the SDK does.
  std::vector<std::string> added;
  for (const json& event : all.body["data"]) {
    if (event["type"] == "user.added") added.push_back(event["id"]);
  }
  ASSERT_GE(added.size(), 2u);  // carol and the bootstrap owner
  EXPECT_EQ(WalkIds("/v1/organization/audit_logs?limit=1&event_types%5B%5D=user.added", "last_id"),
            added);
}

TEST_F(AuditLogsTest, BeforeReturnsTheNewerPageNewestFirst) {
  WriteStory();
  const Reply all = Get("/v1/organization/audit_logs");
  std::vector<std::string> ids;
  for (const json& event : all.body["data"]) ids.push_back(event["id"]);
  const Reply newer = Get("/v1/organization/audit_logs?limit=2&before=" + ids[3]);
  ASSERT_EQ(newer.status(), 200) << newer.response.body;
  ASSERT_EQ(newer.body["data"].size(), 2u);
  EXPECT_EQ(newer.body["data"][0]["id"], ids[1]);
  EXPECT_EQ(newer.body["data"][1]["id"], ids[2]);
  EXPECT_EQ(newer.body["has_more"], true);
  EXPECT_EQ(newer.body["first_id"], ids[1]);
  EXPECT_EQ(newer.body["last_id"], ids[2]);
  ExpectError(Get("/v1/organization/audit_logs?before=audit_log-nope"), 400, "before",
              "invalid_value");
  ExpectError(Get("/v1/organization/audit_logs?after=audit_log-nope"), 400, "after",
              "invalid_value");
}

TEST_F(AuditLogsTest, EffectiveAtBoundsAsTheSdkEncodesThem) {
  WriteStory();
  auto at = [&](int offset) { return std::to_string(kStartTime + offset); };
  EXPECT_EQ(Types("&effective_at%5Bgt%5D=" + at(20)),
            (std::vector<std::string>{"user.updated", "user.added", "invite.accepted"}));
  EXPECT_EQ(
      Types("&effective_at%5Bgte%5D=" + at(20)),
      (std::vector<std::string>{"user.updated", "user.added", "invite.accepted", "invite.sent"}));
  EXPECT_EQ(Types("&effective_at%5Blt%5D=" + at(20)), WithPrelude({"role.created"}));
  EXPECT_EQ(Types("&effective_at%5Blte%5D=" + at(20)),
            WithPrelude({"invite.sent", "role.created"}));
  EXPECT_EQ(Types("&effective_at%5Blte%5D=" + at(0)), prelude_);
  // Unencoded brackets (curl -g) are the same keys.
  EXPECT_EQ(Types("&effective_at[gt]=" + at(10) + "&effective_at[lt]=" + at(30)),
            (std::vector<std::string>{"invite.sent"}));
  EXPECT_EQ(Types("&effective_at%5Bgt%5D=" + at(40)), std::vector<std::string>{});
}

TEST_F(AuditLogsTest, ListFiltersInBracketAndRepeatedForm) {
  WriteStory();
  EXPECT_EQ(Types("&event_types%5B%5D=invite.sent&event_types%5B%5D=role.created"),
            (std::vector<std::string>{"invite.sent", "role.created"}));
  EXPECT_EQ(Types("&event_types=invite.sent&event_types=role.created"),
            (std::vector<std::string>{"invite.sent", "role.created"}));
  // An enum value Roster never emits is accepted and matches nothing.
  EXPECT_EQ(Types("&event_types%5B%5D=project.created"), std::vector<std::string>{});
  EXPECT_EQ(Types("&event_types%5B%5D=external_storage.registered"), std::vector<std::string>{});

  // Actor ids: the key's owner, the key itself, the person who accepted.
  EXPECT_EQ(Types("&actor_ids%5B%5D=" + OwnerId()),
            (std::vector<std::string>{"user.updated", "invite.sent", "role.created"}));
  EXPECT_EQ(Types("&actor_ids%5B%5D=" + org_.key.id),
            (std::vector<std::string>{"user.updated", "invite.sent", "role.created"}));
  EXPECT_EQ(Types("&actor_ids%5B%5D=" + carol_id_),
            (std::vector<std::string>{"user.added", "invite.accepted"}));
  EXPECT_EQ(Types("&actor_emails%5B%5D=CAROL%40example.com"),
            (std::vector<std::string>{"user.added", "invite.accepted"}));
  EXPECT_EQ(
      Types("&actor_emails%5B%5D=admin%40roster.local&actor_emails%5B%5D=carol%40example.com"),
      kStory);

  // Resources: the target ids.
  EXPECT_EQ(Types("&resource_ids%5B%5D=" + invite_id_),
            (std::vector<std::string>{"invite.accepted", "invite.sent"}));
  EXPECT_EQ(Types("&resource_ids%5B%5D=" + carol_id_ + "&resource_ids%5B%5D=" + role_id_),
            (std::vector<std::string>{"user.updated", "user.added", "role.created"}));

  // Projects: every event is in the default project.
  EXPECT_EQ(Types("&project_ids%5B%5D=" + org_.organization.default_project_id),
            WithPrelude(kStory));
  EXPECT_EQ(Types("&project_ids%5B%5D=proj_other"), std::vector<std::string>{});

  // All together: AND across filters.
  EXPECT_EQ(Types("&event_types%5B%5D=user.added&event_types%5B%5D=user.updated&actor_ids%5B%5D=" +
                  OwnerId() + "&effective_at%5Bgte%5D=" + std::to_string(kStartTime + 1)),
            (std::vector<std::string>{"user.updated"}));
}

TEST_F(AuditLogsTest, TenantOnly) {
  WriteStory();
  // Roster emits no tenant-scoped events.
  Reply reply = Get("/v1/organization/audit_logs?tenant_only=true");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["data"], json::array());
  EXPECT_TRUE(reply.body["last_id"].is_null());
  EXPECT_EQ(Types("&tenant_only=true&event_types%5B%5D=tenant.user.added"),
            std::vector<std::string>{});
  EXPECT_EQ(Types("&tenant_only=true&event_types%5B%5D=role.bound_to_resource"),
            std::vector<std::string>{});
  EXPECT_EQ(Types("&tenant_only=false"), WithPrelude(kStory));
  ExpectError(Get("/v1/organization/audit_logs?tenant_only=true&event_types%5B%5D=user.added"), 400,
              "event_types", "invalid_value");
  ExpectError(Get("/v1/organization/audit_logs?tenant_only=yes"), 400, "tenant_only",
              "invalid_type");
}

TEST_F(AuditLogsTest, QueryRefusals) {
  const std::string base = "/v1/organization/audit_logs?";
  ExpectError(Get(base + "effective_at%5Bgt%5D=yesterday"), 400, "effective_at[gt]",
              "invalid_type");
  ExpectError(Get(base + "effective_at%5Blte%5D=1.5"), 400, "effective_at[lte]", "invalid_type");
  ExpectError(Get(base + "effective_at%5Bgte%5D=99999999999999999999"), 400, "effective_at[gte]",
              "invalid_value");
  ExpectError(Get(base + "event_types%5B%5D=user.added&event_types%5B%5D=user.exploded"), 400,
              "event_types", "invalid_value");
  ExpectError(Get(base + "limit=0"), 400, "limit", "integer_below_min_value");
  ExpectError(Get(base + "limit=101"), 400, "limit", "integer_above_max_value");
  EXPECT_EQ(Get(base + "limit=100").status(), 200);
  // Negative bounds are integers like any other.
  const Reply all = Get(base + "limit=100");
  EXPECT_EQ(Get(base + "limit=100&effective_at%5Bgt%5D=-5").body["data"], all.body["data"]);
  EXPECT_EQ(Get(base + "effective_at%5Blt%5D=-5").body["data"], json::array());
}

TEST_F(AuditLogsTest, OnlyTheCallersOrganization) {
  const auto other = OtherOrganization(*store_, "Other", "o@other.test", "O");
  const Reply theirs =
      Call("GET", "/v1/organization/audit_logs", {}, "Bearer " + other.admin_key_value);
  ASSERT_EQ(theirs.status(), 200) << theirs.response.body;
  ASSERT_FALSE(theirs.body["data"].empty());
  bool owner_added = false;
  for (const json& event : theirs.body["data"]) {
    EXPECT_EQ(event["project"]["id"], other.organization.default_project_id);
    owner_added = owner_added || (event["type"] == "user.added" &&
                                  event["user.added"]["id"] == other.owner.account.id);
    // Their events are not ours: neither listed nor usable as our cursor.
    ExpectError(Get("/v1/organization/audit_logs?after=" + event["id"].get<std::string>()), 400,
                "after", "invalid_value");
  }
  EXPECT_TRUE(owner_added);
  const Reply ours = Get("/v1/organization/audit_logs?limit=100");
  for (const json& event : ours.body["data"]) {
    EXPECT_EQ(event["project"]["id"], org_.organization.default_project_id);
  }
}

TEST_F(AuditLogsTest, ReaderKeyReadsTheLog) {
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), reader.account.id, "reader");
  const Reply reply = Call("GET", "/v1/organization/audit_logs", {}, "Bearer " + value);
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["data"], Get("/v1/organization/audit_logs").body["data"]);
}

TEST_F(AuditLogsTest, ChangelessReplaysWriteNoEvents) {
  WriteStory();
  const std::size_t before = Get("/v1/organization/audit_logs?limit=100").body["data"].size();
  // The same role change again, a re-accept, a re-delete: nothing new in the log.
  ASSERT_EQ(Post("/v1/organization/users/" + carol_id_, json{{"role", "owner"}}).status(), 200);
  api::Request accept =
      api::Request::Make("POST", "/roster/invites/accept", json{{"token", invite_token_}}.dump());
  accept.content_type = "application/json";
  EXPECT_EQ(Send(std::move(accept)).status(), 400);
  EXPECT_EQ(Get("/v1/organization/audit_logs?limit=100").body["data"].size(), before);
}

}  // namespace
}  // namespace roster::apitest

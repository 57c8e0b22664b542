// /v1/organization/invites (list, create, retrieve, delete) and Roster's acceptance outside /v1
// (GET /roster/invites/{token}, POST /roster/invites/accept).
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

constexpr core::Timestamp kWeek = 7 * 24 * 3600;

class InvitesTest : public ApiTest {
 protected:
  Reply Invite(const std::string& email, const std::string& role = "reader") {
    return Post("/v1/organization/invites", json{{"email", email}, {"role", role}});
  }

  // Creates an invite through the API; returns its id.
  std::string InviteId(const std::string& email, const std::string& role = "reader") {
    const Reply reply = Invite(email, role);
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }

  // A request without any key, as the invitee's browser sends it.
  Reply Public(const std::string& method, const std::string& target, const std::string& body = {}) {
    api::Request request = api::Request::Make(method, target, body, "");
    if (method == "POST") request.content_type = "application/json";
    return Send(std::move(request));
  }

  Reply Accept(const json& body) { return Public("POST", "/roster/invites/accept", body.dump()); }

  std::string InvitePath(const std::string& id) { return "/v1/organization/invites/" + id; }
};

void ExpectFullInvite(const json& invite) {
  ASSERT_TRUE(invite.is_object()) << invite.dump();
  EXPECT_EQ(invite.size(), 9u) << invite.dump();
  for (const char* key : {"object", "id", "email", "role", "status", "created_at", "expires_at",
                          "accepted_at", "projects"}) {
    EXPECT_TRUE(invite.contains(key)) << key;
  }
  EXPECT_EQ(invite["object"], "organization.invite");
  EXPECT_TRUE(invite["projects"].is_array());
}

// --- create ------------------------------------------------------------------------------------

TEST_F(InvitesTest, CreateReturnsPendingInviteExpiringInSevenDays) {
  clock_.Advance(30);
  const Reply reply = Invite(" Colleague@Example.com ", "owner");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  const json& invite = reply.body;
  ExpectFullInvite(invite);
  EXPECT_TRUE(invite["id"].get<std::string>().starts_with("invite-"));
  EXPECT_EQ(invite["email"], "Colleague@Example.com");
  EXPECT_EQ(invite["role"], "owner");
  EXPECT_EQ(invite["status"], "pending");
  EXPECT_EQ(invite["created_at"], kStartTime + 30);
  EXPECT_EQ(invite["expires_at"], kStartTime + 30 + kWeek);
  EXPECT_TRUE(invite["accepted_at"].is_null());
  // Projects omitted: the default project, owned by an invited owner.
  EXPECT_EQ(invite["projects"],
            (json::array({{{"id", org_.organization.default_project_id}, {"role", "owner"}}})));
  EXPECT_EQ(CountEvents("invite.sent"), 1);
  // Neither the secret's hash nor a link's token appears in the API object.
  EXPECT_EQ(reply.response.body.find(
                store_->GetInvite(OrgId(), invite["id"].get<std::string>())->token_hash),
            std::string::npos);
  EXPECT_EQ(reply.response.body.find(TokenOf(invite["id"])), std::string::npos);
}

TEST_F(InvitesTest, CreateWithProjects) {
  Reply none =
      Post("/v1/organization/invites",
           json{{"email", "none@example.com"}, {"role", "reader"}, {"projects", json::array()}});
  ASSERT_EQ(none.status(), 200) << none.response.body;
  EXPECT_EQ(none.body["projects"], json::array());

  const json owned =
      json::array({{{"id", org_.organization.default_project_id}, {"role", "owner"}}});
  Reply reply = Post("/v1/organization/invites",
                     json{{"email", "owned@example.com"}, {"role", "reader"}, {"projects", owned}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["projects"], owned);
  EXPECT_EQ(Get(InvitePath(reply.body["id"])).body["projects"], owned);

  // null is the same as omitted.
  reply = Post("/v1/organization/invites",
               json{{"email", "null@example.com"}, {"role", "reader"}, {"projects", nullptr}});
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["projects"][0]["role"], "member");
}

TEST_F(InvitesTest, CreateValidatesTheBody) {
  const std::string path = "/v1/organization/invites";
  ExpectError(Post(path, json{{"role", "reader"}}), 400, "email", "missing_required_parameter");
  ExpectError(Post(path, json{{"email", 5}, {"role", "reader"}}), 400, "email", "invalid_type");
  ExpectError(Post(path, json{{"email", "a@b.c"}}), 400, "role", "missing_required_parameter");
  ExpectError(Post(path, json{{"email", "a@b.c"}, {"role", "member"}}), 400, "role",
              "invalid_value");
  ExpectError(Post(path, json{{"email", "a@b.c"}, {"role", nullptr}}), 400, "role", "invalid_type");
  ExpectError(Post(path, json{{"email", "a@b.c"}, {"role", "reader"}, {"team", "x"}}), 400, "team",
              "unknown_parameter");
  for (const std::string& email : std::vector<std::string>{
           "", "   ", "no-at-sign", "two@@example.com", "a@b@c", "@example.com", "local@",
           "has space@example.com", "tab\t@example.com", std::string(321, 'a') + "@example.com"}) {
    ExpectError(Post(path, json{{"email", email}, {"role", "reader"}}), 400, "email",
                "invalid_value");
  }
  // Projects: shape and values.
  auto with_projects = [&](const json& projects) {
    return Post(path, json{{"email", "p@example.com"}, {"role", "reader"}, {"projects", projects}});
  };
  const std::string project = org_.organization.default_project_id;
  ExpectError(with_projects("proj"), 400, "projects", "invalid_type");
  ExpectError(with_projects(json::array({"proj"})), 400, "projects", "invalid_type");
  ExpectError(with_projects(json::array({{{"role", "member"}}})), 400, "projects",
              "missing_required_parameter");
  ExpectError(with_projects(json::array({{{"id", project}}})), 400, "projects",
              "missing_required_parameter");
  ExpectError(with_projects(json::array({{{"id", 1}, {"role", "member"}}})), 400, "projects",
              "invalid_type");
  ExpectError(with_projects(json::array({{{"id", project}, {"role", "admin"}}})), 400, "projects",
              "invalid_value");
  ExpectError(with_projects(json::array({{{"id", project}, {"role", "member"}, {"x", 1}}})), 400,
              "projects", "unknown_parameter");
  ExpectError(with_projects(json::array({{{"id", "proj_unknown"}, {"role", "member"}}})), 400,
              "projects", "invalid_value");
  // Not JSON / not an object.
  ExpectError(Post(path, std::string("{")), 400, std::nullopt, std::nullopt);
  ExpectError(Post(path, std::string("[]")), 400, std::nullopt, "invalid_type");
  // Nothing was created by any of these.
  EXPECT_EQ(Get(path).body["data"].size(), 0u);
  EXPECT_EQ(CountEvents("invite.sent"), 0);
}

TEST_F(InvitesTest, LongestEmailIsAccepted) {
  const std::string email = std::string(308, 'a') + "@example.com";  // 320 characters
  ASSERT_EQ(email.size(), 320u);
  EXPECT_EQ(Invite(email).status(), 200);
}

TEST_F(InvitesTest, OnePendingInvitePerEmailAndNoneForMembers) {
  InviteId("twice@example.com");
  ExpectError(Invite("TWICE@example.com"), 400, "email", "invite_already_exists");
  ExpectError(Invite("admin@roster.local"), 400, "email", "already_member");
  EXPECT_EQ(CountEvents("invite.sent"), 1);
}

TEST_F(InvitesTest, InviteTtlIsConfigurable) {
  api::RouterOptions options;
  options.invite_ttl_seconds = 3600;
  ResetRouter(options);
  const Reply reply = Invite("soon@example.com");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["expires_at"], kStartTime + 3600);
}

// --- retrieve, list ----------------------------------------------------------------------------

TEST_F(InvitesTest, RetrieveReportsStatusWithTheClock) {
  const std::string id = InviteId("later@example.com");
  Reply reply = Get(InvitePath(id));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  ExpectFullInvite(reply.body);
  EXPECT_EQ(reply.body["id"], id);
  EXPECT_EQ(reply.body["status"], "pending");

  clock_.Advance(kWeek - 1);
  EXPECT_EQ(Get(InvitePath(id)).body["status"], "pending");
  clock_.Advance(1);
  reply = Get(InvitePath(id));
  EXPECT_EQ(reply.body["status"], "expired");
  EXPECT_EQ(Get("/v1/organization/invites").body["data"][0]["status"], "expired");
  // An expired invite no longer blocks a new one.
  EXPECT_EQ(Invite("later@example.com").status(), 200);
}

TEST_F(InvitesTest, RetrieveUnknownOrForeignInviteIsNotFound) {
  ExpectError(Get(InvitePath("invite-nope")), 404, std::nullopt, std::nullopt);
  // Another organization's invite.
  const auto other = OtherOrganization(*store_, "Other", "o@other.test", "O");
  storage::NewInvite invite;
  invite.email = "x@other.test";
  invite.expires_at = kStartTime + kWeek;
  invite.token_hash = "tok-other";
  const auto theirs = store_->CreateInvite(
      core::Actor{other.organization.id, other.key.id, other.owner.account.id, "o@other.test"},
      other.organization.id, invite);
  ExpectError(Get(InvitePath(theirs.id)), 404, std::nullopt, std::nullopt);
  ExpectError(Delete(InvitePath(theirs.id)), 404, std::nullopt, std::nullopt);
  EXPECT_EQ(Get("/v1/organization/invites").body["data"].size(), 0u);
}

TEST_F(InvitesTest, ListPagesInCreationOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(1);
    ids.push_back(InviteId("p" + std::to_string(i) + "@example.com"));
  }
  const Reply all = Get("/v1/organization/invites");
  ASSERT_EQ(all.status(), 200) << all.response.body;
  EXPECT_EQ(all.body.size(), 5u);
  EXPECT_EQ(all.body["object"], "list");
  EXPECT_EQ(all.body["has_more"], false);
  EXPECT_EQ(all.body["first_id"], ids.front());
  EXPECT_EQ(all.body["last_id"], ids.back());
  for (const json& invite : all.body["data"]) ExpectFullInvite(invite);

  EXPECT_EQ(WalkIds("/v1/organization/invites?limit=2", "last_id"), ids);
  const Reply page = Get("/v1/organization/invites?limit=2");
  EXPECT_EQ(page.body["has_more"], true);
  EXPECT_EQ(page.body["data"].size(), 2u);

  // A deleted invite leaves the list but its id still pages on.
  ASSERT_EQ(Delete(InvitePath(ids[2])).status(), 200);
  const Reply after_deleted = Get("/v1/organization/invites?after=" + ids[2]);
  ASSERT_EQ(after_deleted.status(), 200) << after_deleted.response.body;
  EXPECT_EQ(after_deleted.body["first_id"], ids[3]);
  EXPECT_EQ(WalkIds("/v1/organization/invites?limit=1", "last_id"),
            (std::vector<std::string>{ids[0], ids[1], ids[3], ids[4]}));

  // Empty page.
  const Reply empty = Get("/v1/organization/invites?after=" + ids[4]);
  EXPECT_EQ(empty.body["data"], json::array());
  EXPECT_TRUE(empty.body["first_id"].is_null());
  EXPECT_TRUE(empty.body["last_id"].is_null());
  EXPECT_EQ(empty.body["has_more"], false);
}

TEST_F(InvitesTest, ListValidatesLimitAndCursor) {
  ExpectError(Get("/v1/organization/invites?limit=0"), 400, "limit", "integer_below_min_value");
  ExpectError(Get("/v1/organization/invites?limit=101"), 400, "limit", "integer_above_max_value");
  ExpectError(Get("/v1/organization/invites?limit=ten"), 400, "limit", "invalid_type");
  EXPECT_EQ(Get("/v1/organization/invites?limit=100").status(), 200);
  ExpectError(Get("/v1/organization/invites?after=invite-nope"), 400, "after", "invalid_value");
}

// --- delete ------------------------------------------------------------------------------------

TEST_F(InvitesTest, DeleteRevokesOnceAndRefusesAcceptedInvites) {
  const std::string id = InviteId("gone@example.com");
  const std::string token = TokenOf(id);
  Reply reply = Delete(InvitePath(id));
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body,
            (json{{"object", "organization.invite.deleted"}, {"id", id}, {"deleted", true}}));
  EXPECT_EQ(CountEvents("invite.deleted"), 1);
  ExpectError(Get(InvitePath(id)), 404, std::nullopt, std::nullopt);
  // A replay (an SDK retry) finds nothing and logs nothing.
  ExpectError(Delete(InvitePath(id)), 404, std::nullopt, std::nullopt);
  EXPECT_EQ(CountEvents("invite.deleted"), 1);
  // The revoked link no longer works.
  ExpectError(Accept({{"token", token}, {"name", "Gone"}}), 400, std::nullopt, "invite_not_found");
  ExpectError(Public("GET", "/roster/invites/" + token), 404, std::nullopt, std::nullopt);

  const std::string accepted = InviteId("kept@example.com");
  ASSERT_EQ(Accept({{"token", TokenOf(accepted)}, {"name", "Kept"}}).status(), 200);
  ExpectError(Delete(InvitePath(accepted)), 400, std::nullopt, "invite_already_accepted");
  EXPECT_EQ(Get(InvitePath(accepted)).status(), 200);
  EXPECT_EQ(CountEvents("invite.deleted"), 1);
}

// --- acceptance --------------------------------------------------------------------------------

TEST_F(InvitesTest, InviteAcceptMemberFlow) {
  const std::string id = InviteId("new.person@example.com", "owner");
  const std::string token = TokenOf(id);
  ASSERT_EQ(token.size(), 43u);

  // The acceptance page reads the invite with the token alone.
  Reply page = Public("GET", "/roster/invites/" + token);
  ASSERT_EQ(page.status(), 200) << page.response.body;
  EXPECT_EQ(page.body, (json{{"object", "roster.invite"},
                             {"organization", {{"id", OrgId()}, {"name", org_.organization.name}}},
                             {"email", "new.person@example.com"},
                             {"role", "owner"},
                             {"status", "pending"},
                             {"expires_at", kStartTime + kWeek}}));

  clock_.Advance(120);
  const Reply accepted = Accept({{"token", token}, {"name", "New Person"}});
  ASSERT_EQ(accepted.status(), 200) << accepted.response.body;
  const json& user = accepted.body;
  EXPECT_EQ(user["object"], "organization.user");
  EXPECT_EQ(user.size(), 16u);
  EXPECT_EQ(user["email"], "new.person@example.com");
  EXPECT_EQ(user["name"], "New Person");
  EXPECT_EQ(user["role"], "owner");
  EXPECT_EQ(user["added_at"], kStartTime + 120);
  const std::string user_id = user["id"];

  // Now a member, visible through the admin API; the invite says accepted.
  EXPECT_EQ(Get("/v1/organization/users/" + user_id).body["role"], "owner");
  const Reply invite = Get(InvitePath(id));
  EXPECT_EQ(invite.body["status"], "accepted");
  EXPECT_EQ(invite.body["accepted_at"], kStartTime + 120);
  EXPECT_EQ(Public("GET", "/roster/invites/" + token).body["status"], "accepted");
  EXPECT_EQ(CountEvents("invite.accepted"), 1);
  EXPECT_EQ(CountEvents("user.added"), 2);  // the bootstrap owner and the new member

  // The link works once.
  ExpectError(Accept({{"token", token}, {"name", "Again"}}), 400, std::nullopt,
              "invite_already_accepted");
  EXPECT_EQ(CountEvents("invite.accepted"), 1);
}

TEST_F(InvitesTest, AcceptWithoutNameNamesTheAccountAfterTheEmail) {
  const std::string id = InviteId("jo@example.com");
  const Reply accepted = Accept({{"token", TokenOf(id)}});
  ASSERT_EQ(accepted.status(), 200) << accepted.response.body;
  EXPECT_EQ(accepted.body["name"], "jo");
  EXPECT_EQ(accepted.body["role"], "reader");
}

TEST_F(InvitesTest, AcceptRefusals) {
  const std::string expiring = InviteId("expiring@example.com");
  const std::string expiring_token = TokenOf(expiring);
  clock_.Advance(kWeek);
  ExpectError(Accept({{"token", expiring_token}, {"name", "E"}}), 400, std::nullopt,
              "invite_expired");
  EXPECT_EQ(Public("GET", "/roster/invites/" + expiring_token).body["status"], "expired");

  ExpectError(Accept({{"token", "not-a-token"}}), 400, std::nullopt, "invite_not_found");
  ExpectError(Accept({{"token", ""}}), 400, std::nullopt, "invite_not_found");

  const std::string raced = InviteId("raced@example.com");
  AddMember("raced@example.com", "Raced");  // joined by another way meanwhile
  ExpectError(Accept({{"token", TokenOf(raced)}}), 400, std::nullopt, "already_member");

  // Body rules as everywhere.
  ExpectError(Accept(json::object()), 400, "token", "missing_required_parameter");
  ExpectError(Accept({{"token", 7}}), 400, "token", "invalid_type");
  ExpectError(Accept({{"token", "x"}, {"name", 7}}), 400, "name", "invalid_type");
  ExpectError(Accept({{"token", "x"}, {"name", std::string(256, 'n')}}), 400, "name",
              "invalid_value");
  ExpectError(Accept({{"token", "x"}, {"role", "owner"}}), 400, "role", "unknown_parameter");
  ExpectError(Public("POST", "/roster/invites/accept", "{not json"), 400, std::nullopt,
              std::nullopt);
  EXPECT_EQ(CountEvents("invite.accepted"), 0);
}

TEST_F(InvitesTest, ExistingAccountJoinsWithItsIdentity) {
  const auto other = OtherOrganization(*store_, "Other", "known@example.com", "Known");
  const std::string id = InviteId("KNOWN@example.com");
  const Reply accepted = Accept({{"token", TokenOf(id)}, {"name", "Someone Else"}});
  ASSERT_EQ(accepted.status(), 200) << accepted.response.body;
  EXPECT_EQ(accepted.body["id"], other.owner.account.id);
  EXPECT_EQ(accepted.body["name"], "Known");
  EXPECT_EQ(accepted.body["role"], "reader");
}

TEST_F(InvitesTest, PublicRoutesNeedNoKeyAndUnknownOnesAreInvalidUrls) {
  // A key is not needed, and a bad one does not matter: the token is the credential.
  const std::string id = InviteId("k@example.com");
  api::Request request =
      api::Request::Make("GET", "/roster/invites/" + TokenOf(id), "", "Bearer sk-admin-wrong");
  EXPECT_EQ(Send(request).status(), 200);

  ExpectError(Public("GET", "/roster/invites/unknown-token"), 404, std::nullopt, std::nullopt);
  ExpectInvalidUrl(Public("GET", "/roster/invites"), "GET", "/roster/invites");
  ExpectInvalidUrl(Public("DELETE", "/roster/invites/accept"), "DELETE", "/roster/invites/accept");
  ExpectInvalidUrl(Public("POST", "/roster/other"), "POST", "/roster/other");
  ExpectInvalidUrl(Public("GET", "/roster/invites/a/b"), "GET", "/roster/invites/a/b");
  // The admin endpoints still need a key.
  ExpectError(Public("GET", "/v1/organization/invites"), 401, std::nullopt, std::nullopt);
}

// --- permissions -------------------------------------------------------------------------------

TEST_F(InvitesTest, ReaderKeyReadsInvitesButCannotChangeThem) {
  const std::string id = InviteId("target@example.com");
  const core::Member reader = AddMember("reader@example.com", "Reader");
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), reader.account.id, "reader");
  const std::string bearer = "Bearer " + value;

  EXPECT_EQ(Call("GET", "/v1/organization/invites", {}, bearer).status(), 200);
  EXPECT_EQ(Call("GET", InvitePath(id), {}, bearer).status(), 200);
  ExpectError(Call("POST", "/v1/organization/invites",
                   json{{"email", "x@example.com"}, {"role", "reader"}}.dump(), bearer),
              403, std::nullopt, "insufficient_permissions");
  ExpectError(Call("DELETE", InvitePath(id), {}, bearer), 403, std::nullopt,
              "insufficient_permissions");
  EXPECT_EQ(Get(InvitePath(id)).body["status"], "pending");
  EXPECT_EQ(CountEvents("invite.sent"), 1);
}

}  // namespace
}  // namespace roster::apitest

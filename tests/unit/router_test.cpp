// Router behaviour that needs no database: the catch site (500/503 mapping, no leaked detail),
// routing before authentication, and authentication against a scripted store.
#include "api/router.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <vector>

#include "api/json/request_log_json.hpp"
#include "core/error.hpp"
#include "core/permissions.hpp"
#include "crypto/keys.hpp"

namespace roster::api {
namespace {

using nlohmann::json;

constexpr std::string_view kKey = "sk-admin-unit-test-key-0123456789";

// A store whose calls are scripted per test; unscripted calls fail the test loudly. It lists
// every storage::Store method, so it must follow store.hpp when methods are added.
class ScriptedStore final : public storage::Store {
 public:
  std::function<std::optional<storage::KeyRecord>(std::string_view)> find_key;
  std::function<core::Page<core::Member>(const storage::ListMembersQuery&)> list_members;
  std::function<std::optional<core::Member>(std::string_view)> get_member;

  std::vector<core::Organization> ListOrganizations() override { throw Unused(); }
  core::Organization CreateOrganization(std::string_view) override { throw Unused(); }
  std::optional<core::Organization> GetOrganization(std::string_view) override { throw Unused(); }
  std::optional<storage::KeyRecord> FindKeyByHash(std::string_view hash) override {
    return find_key(hash);
  }
  core::AdminKey CreateAdminKey(const std::optional<core::Actor>&, std::string_view,
                                const storage::NewAdminKey&) override {
    throw Unused();
  }
  core::Page<core::AdminKey> ListAdminKeys(std::string_view, const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::AdminKey> GetAdminKey(std::string_view, std::string_view) override {
    throw Unused();
  }
  void DeleteAdminKey(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  void TouchAdminKey(std::string_view, core::Timestamp) override { throw Unused(); }
  core::Member AddMember(const std::optional<core::Actor>&, std::string_view,
                         const storage::NewMember&) override {
    throw Unused();
  }
  std::size_t AddMembersBulk(std::string_view, const std::vector<storage::NewMember>&) override {
    throw Unused();
  }
  std::optional<core::Member> GetMember(std::string_view, std::string_view user_id) override {
    return get_member(user_id);
  }
  core::Page<core::Member> ListMembers(std::string_view,
                                       const storage::ListMembersQuery& query) override {
    return list_members(query);
  }
  core::Member UpdateMember(const core::Actor&, std::string_view, std::string_view,
                            const storage::MemberPatch&) override {
    throw Unused();
  }
  void DeleteMember(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Page<core::Role> ListRoles(std::string_view, const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::Role> GetRole(std::string_view, std::string_view) override { throw Unused(); }
  core::Role CreateRole(const core::Actor&, std::string_view, const storage::NewRole&) override {
    throw Unused();
  }
  core::Role UpdateRole(const core::Actor&, std::string_view, std::string_view,
                        const storage::RolePatch&) override {
    throw Unused();
  }
  void DeleteRole(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Page<core::HeldRole> ListUserRoles(std::string_view, std::string_view,
                                           const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::HeldRole> GetUserRole(std::string_view, std::string_view,
                                            std::string_view) override {
    throw Unused();
  }
  storage::Assignment AssignUserRole(const core::Actor&, std::string_view, std::string_view,
                                     std::string_view) override {
    throw Unused();
  }
  void UnassignUserRole(const core::Actor&, std::string_view, std::string_view,
                        std::string_view) override {
    throw Unused();
  }
  core::Page<core::Group> ListGroups(std::string_view, const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::Group> GetGroup(std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Group CreateGroup(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Group UpdateGroup(const core::Actor&, std::string_view, std::string_view,
                          std::string_view) override {
    throw Unused();
  }
  void DeleteGroup(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Page<core::Member> ListGroupUsers(std::string_view, std::string_view,
                                          const storage::ListQuery&) override {
    throw Unused();
  }
  void AddGroupUser(const core::Actor&, std::string_view, std::string_view,
                    std::string_view) override {
    throw Unused();
  }
  std::optional<core::Member> GetGroupUser(std::string_view, std::string_view,
                                           std::string_view) override {
    throw Unused();
  }
  void RemoveGroupUser(const core::Actor&, std::string_view, std::string_view,
                       std::string_view) override {
    throw Unused();
  }
  core::Page<core::HeldRole> ListGroupRoles(std::string_view, std::string_view,
                                            const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::HeldRole> GetGroupRole(std::string_view, std::string_view,
                                             std::string_view) override {
    throw Unused();
  }
  storage::GroupAssignment AssignGroupRole(const core::Actor&, std::string_view, std::string_view,
                                           std::string_view) override {
    throw Unused();
  }
  void UnassignGroupRole(const core::Actor&, std::string_view, std::string_view,
                         std::string_view) override {
    throw Unused();
  }
  core::Page<core::Invite> ListInvites(std::string_view, const storage::ListQuery&) override {
    throw Unused();
  }
  std::optional<core::Invite> GetInvite(std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Invite CreateInvite(const core::Actor&, std::string_view,
                            const storage::NewInvite&) override {
    throw Unused();
  }
  void DeleteInvite(const core::Actor&, std::string_view, std::string_view) override {
    throw Unused();
  }
  std::optional<core::Invite> FindInviteByTokenHash(std::string_view) override { throw Unused(); }
  core::Invite ReissueInviteToken(std::string_view, std::string_view, std::string_view) override {
    throw Unused();
  }
  core::Member AcceptInvite(std::string_view, std::string_view) override { throw Unused(); }
  core::Page<core::AuditEvent> ListAuditEvents(std::string_view,
                                               const storage::AuditQuery&) override {
    throw Unused();
  }

 private:
  static std::logic_error Unused() { return std::logic_error("unexpected store call"); }
};

class RouterUnitTest : public ::testing::Test {
 protected:
  RouterUnitTest() : clock_(1'700'000'000) {
    store_.find_key = [](std::string_view hash) -> std::optional<storage::KeyRecord> {
      if (hash != crypto::Sha256Hex(kKey)) return std::nullopt;
      storage::KeyRecord record;
      record.key.id = "key_1";
      record.key.org_id = "org-1";
      record.key_hash = std::string(hash);
      record.actor = {"org-1", "key_1", "user-1", "owner@example.com"};
      record.permissions = core::PredefinedPermissions(core::BaseRole::kOwner);
      return record;
    };
    RouterOptions options;
    options.log = [this](const RequestLogRecord& record) {
      std::lock_guard lock(log_mutex_);
      log_.emplace_back(FormatRequestLogText(record) + "\n" +
                        api::json::FormatRequestLogJson(record));
    };
    router_ = std::make_unique<Router>(store_, clock_, std::move(options));
  }

  Response Get(std::string target, std::string authorization = "Bearer " + std::string(kKey)) {
    return router_->Handle(Request::Make("GET", std::move(target), "", std::move(authorization)));
  }

  ScriptedStore store_;
  core::ManualClock clock_;
  std::unique_ptr<Router> router_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

void ExpectRequestId(const Response& response) {
  const auto id = response.Header("x-request-id");
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(std::regex_match(*id, std::regex("^req_[0-9a-f]{32}$"))) << *id;
  EXPECT_EQ(response.content_type, "application/json");
}

TEST_F(RouterUnitTest, UnexpectedExceptionIsA500WithoutDetail) {
  store_.list_members = [](const storage::ListMembersQuery&) -> core::Page<core::Member> {
    throw std::runtime_error("SELECT secret_column FROM t");
  };
  const Response r = Get("/v1/organization/users");
  EXPECT_EQ(r.status, 500);
  ExpectRequestId(r);
  const json error = json::parse(r.body)["error"];
  EXPECT_EQ(error["type"], "server_error");
  EXPECT_TRUE(error["param"].is_null());
  EXPECT_TRUE(error["code"].is_null());
  const std::string message = error["message"];
  EXPECT_EQ(message.rfind("The server had an error while processing your request.", 0), 0u);
  EXPECT_NE(message.find(*r.Header("x-request-id")), std::string::npos);
  EXPECT_EQ(r.body.find("secret_column"), std::string::npos);
  // The detail is logged with the request id instead.
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find("secret_column"), std::string::npos);
  EXPECT_NE(log_[0].find(*r.Header("x-request-id")), std::string::npos);
}

TEST_F(RouterUnitTest, StoreUnavailableIsA503WithRetryHeaders) {
  store_.list_members = [](const storage::ListMembersQuery&) -> core::Page<core::Member> {
    throw core::Error(core::ErrorKind::kUnavailable, "The database is busy.", std::nullopt,
                      std::nullopt, "SQLITE_BUSY");
  };
  const Response r = Get("/v1/organization/users");
  EXPECT_EQ(r.status, 503);
  ExpectRequestId(r);
  EXPECT_EQ(r.Header("retry-after"), "1");
  EXPECT_EQ(r.Header("retry-after-ms"), "1000");
  const json error = json::parse(r.body)["error"];
  EXPECT_EQ(error["type"], "server_error");
  EXPECT_NE(error["message"].get<std::string>().find(*r.Header("x-request-id")), std::string::npos);
  EXPECT_EQ(r.body.find("SQLITE_BUSY"), std::string::npos);
}

TEST_F(RouterUnitTest, NonErrorThrowIsA500) {
  store_.get_member = [](std::string_view) -> std::optional<core::Member> { throw 42; };
  const Response r = Get("/v1/organization/users/u");
  EXPECT_EQ(r.status, 500);
  ExpectRequestId(r);
}

TEST_F(RouterUnitTest, UnknownRouteNeedsNoKeyAndNoStore) {
  store_.find_key = [](std::string_view) -> std::optional<storage::KeyRecord> {
    throw std::logic_error("auth must not run for unknown routes");
  };
  const Response r = Get("/v1/organization/nothing?x=1", "");
  EXPECT_EQ(r.status, 404);
  ExpectRequestId(r);
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "Invalid URL (GET /v1/organization/nothing)");
}

TEST_F(RouterUnitTest, NonAdminKeyNeedsNoStoreCall) {
  store_.find_key = [](std::string_view) -> std::optional<storage::KeyRecord> {
    throw std::logic_error("no lookup for keys that cannot be admin keys");
  };
  const Response r = Get("/v1/organization/users", "Bearer sk-proj-abc");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(json::parse(r.body)["error"]["code"].is_null());
}

TEST_F(RouterUnitTest, StoredHashMismatchIsRejected) {
  // A store returning a record for the wrong hash must not authenticate the caller.
  store_.find_key = [](std::string_view) -> std::optional<storage::KeyRecord> {
    storage::KeyRecord record;
    record.key.org_id = "org-1";
    record.key_hash = crypto::Sha256Hex("something else");
    return record;
  };
  const Response r = Get("/v1/organization/users");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "invalid_api_key");
}

TEST_F(RouterUnitTest, ClientErrorsAreLoggedToTheHook) {
  const Response r = Get("/v1/organization/users?limit=0");
  EXPECT_EQ(r.status, 400);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find("integer_below_min_value"), std::string::npos);
  EXPECT_EQ(log_[0].find(std::string(kKey)), std::string::npos);
}

TEST_F(RouterUnitTest, HandlerReceivesParsedQuery) {
  storage::ListMembersQuery seen;
  store_.list_members = [&](const storage::ListMembersQuery& q) {
    seen = q;
    return core::Page<core::Member>{};
  };
  const Response r =
      Get("/v1/organization/users?limit=3&after=user-x&emails%5B%5D=%20A%40b.c%20"
          "&emails=d%40e.f&unknown=1");
  EXPECT_EQ(r.status, 200);
  ExpectRequestId(r);
  EXPECT_EQ(seen.limit, 3);
  EXPECT_EQ(seen.after, "user-x");
  EXPECT_EQ(seen.emails, (std::vector<std::string>{"A@b.c", "d@e.f"}));
}

}  // namespace
}  // namespace roster::api

namespace roster::api {
namespace {

// GET /readyz asks the store; a store that fails makes the server "not ready" (503 with a retry
// hint), never a 500, and needs no key.
TEST_F(RouterUnitTest, ReadyzIsUnavailableWhenTheStoreFails) {
  const Response r = Get("/readyz", "");
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(r.Header("retry-after").has_value());
  EXPECT_EQ(json::parse(r.body)["error"]["type"], "server_error");
  const Response health = Get("/healthz", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
}

}  // namespace
}  // namespace roster::api

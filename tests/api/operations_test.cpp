// Operations and test-control routes in process: health, readiness, metrics over a metered store,
// the request log, and the /roster/test/ routes (reset, snapshots, clock, faults).
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "api/api_helpers.hpp"
#include "api/metrics.hpp"
#include "api/test_controls.hpp"
#include "core/clock.hpp"
#include "storage/metered_store.hpp"

namespace roster::apitest {
namespace {

// Reset and snapshots over the fixture's SqliteStore (the app's SnapshotState does the same).
class TestState final : public api::StateControl {
 public:
  explicit TestState(storage::sqlite::SqliteStore& store)
      : store_(store), initial_(store.TakeSnapshot()) {}
  void Reset() override { store_.RestoreSnapshot(*initial_); }
  void SaveSnapshot(const std::string& name) override { saved_[name] = store_.TakeSnapshot(); }
  bool RestoreSnapshot(const std::string& name) override {
    const auto it = saved_.find(name);
    if (it == saved_.end()) return false;
    store_.RestoreSnapshot(*it->second);
    return true;
  }

 private:
  storage::sqlite::SqliteStore& store_;
  std::shared_ptr<const storage::sqlite::SqliteStore::Snapshot> initial_;
  std::map<std::string, std::shared_ptr<const storage::sqlite::SqliteStore::Snapshot>> saved_;
};

class OperationsTest : public ApiTest {
 protected:
  Reply Public(const std::string& method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, std::string());
  }
};

TEST_F(OperationsTest, HealthAndReadinessNeedNoKey) {
  const Reply health = Public("GET", "/healthz");
  EXPECT_EQ(health.status(), 200);
  EXPECT_EQ(health.body, json({{"status", "ok"}}));
  const Reply ready = Public("GET", "/readyz");
  EXPECT_EQ(ready.status(), 200);
  EXPECT_EQ(ready.body, json({{"status", "ready"}}));
}

TEST_F(OperationsTest, WithoutTestControlsTheRoutesAreUnknownUrls) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/roster/test/reset"},
           {"POST", "/roster/test/snapshots/a"},
           {"POST", "/roster/test/snapshots/a/restore"},
           {"POST", "/roster/test/clock"},
           {"GET", "/roster/test/faults"},
           {"POST", "/roster/test/faults"}}) {
    const Reply r = Public(method, path, "{}");
    EXPECT_EQ(r.status(), 404) << path;
    EXPECT_EQ(r.error()["message"], "Invalid URL (" + method + " " + path + ")");
  }
  // No metrics configured: /metrics is not served either.
  EXPECT_EQ(Public("GET", "/metrics").status(), 404);
}

// A metered store behind the router: request counts by route template and store latencies.
TEST_F(OperationsTest, MetricsCountRequestsAndStoreOperations) {
  storage::MeteredStore metered(*store_);
  api::Metrics metrics("test");
  metrics.SetStore(&metered);
  api::RouterOptions options;
  options.metrics = &metrics;
  router_ = std::make_unique<api::Router>(metered, clock_, options);

  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  EXPECT_EQ(Get("/v1/organization/users/user-nobody").status(), 404);
  EXPECT_EQ(
      Call("GET", "/v1/organization/users", "", std::string("Bearer sk-admin-wrong-key-00000"))
          .status(),
      401);

  api::Request request = api::Request::Make("GET", "/metrics");
  const api::Response response = router_->Handle(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, api::kPrometheusContentType);
  const std::string& text = response.body;
  const auto has = [&text](const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(has(
      R"(roster_http_requests_total{route="/v1/organization/users",method="GET",status="200"} 1)"))
      << text.substr(0, 2000);
  EXPECT_TRUE(has(
      R"(roster_http_requests_total{route="/v1/organization/users",method="GET",status="401"} 1)"));
  EXPECT_TRUE(has(
      R"(roster_http_requests_total{route="/v1/organization/users/{user_id}",method="GET",status="404"} 1)"));
  EXPECT_TRUE(has(R"(roster_store_operation_duration_seconds_count{operation="list_members"} 1)"));
  // Every request authenticates, but the good key is looked up once and then comes from the auth
  // cache (api/auth_cache.hpp): two key lookups, the second for the wrong key.
  EXPECT_TRUE(
      has(R"(roster_store_operation_duration_seconds_count{operation="find_key_by_hash"} 2)"));
  EXPECT_TRUE(has(R"(roster_build_info{version="test"} 1)"));
}

// One record per request, with the route template (never the raw path of a matched route, which
// may hold an invite token), the key id and organization, and never the key itself.
TEST_F(OperationsTest, OneLogRecordPerRequestWithoutSecrets) {
  std::mutex mutex;
  std::vector<std::string> lines;
  api::RouterOptions options;
  options.log = [&](const api::RequestLogRecord& record) {
    std::lock_guard lock(mutex);
    lines.push_back(std::string(record.method) + " " + std::string(record.route) + " " +
                    std::to_string(record.status) + " org=" + std::string(record.org_id) +
                    " key=" + std::string(record.key_id) + " path=" + std::string(record.path) +
                    " id=" + std::string(record.request_id));
  };
  ResetRouter(options);
  const Reply ok = Get("/v1/organization/users?limit=1");
  Public("GET", "/roster/invites/some-secret-token-value");
  Public("GET", "/no/such/route");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "GET /v1/organization/users 200 org=" + OrgId() + " key=" + org_.key.id +
                          " path= id=" + *ok.response.Header("x-request-id"));
  EXPECT_EQ(lines[1].rfind("GET /roster/invites/{token} 404 org= key= path= id=req_", 0), 0u)
      << lines[1];
  EXPECT_EQ(lines[2].rfind("GET  404 org= key= path=/no/such/route", 0), 0u) << lines[2];
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find(org_.admin_key_value), std::string::npos);
    EXPECT_EQ(line.find("some-secret-token-value"), std::string::npos);
  }
}

class TestControlsTest : public ApiTest {
 protected:
  // The router runs on the settable clock (key expiry); the fixture's store keeps its own
  // (invite expiry on a shared clock is covered by the black-box stand-in test).
  TestControlsTest() : state_(SqliteOnlyStore()), controls_{state_, settable_} {
    api::RouterOptions options;
    options.test_controls = &controls_;
    options.log = [](const api::RequestLogRecord&) {};
    router_ = std::make_unique<api::Router>(*store_, settable_, options);
  }

  Reply Public(const std::string& method, const std::string& target, const std::string& body = {}) {
    return Call(method, target, body, std::string());
  }

  // A keyed GET straight through the router: Send() refuses retryable statuses (408/409/429) as
  // contract violations, and an injected fault is one on purpose.
  std::pair<api::Response, json> Injected(const std::string& target) {
    api::Response response = router_->Handle(api::Request::Make("GET", target, "", Bearer()));
    return {response, json::parse(response.body)};
  }

  core::SettableClock settable_;
  TestState state_;
  api::TestControls controls_;
};

TEST_F(TestControlsTest, SnapshotsRestoreAndResetReturnToTheStart) {
  const std::size_t start = WalkIds("/v1/organization/users?limit=100", "last_id").size();
  AddMember("a@example.com", "A");
  EXPECT_EQ(Public("POST", "/roster/test/snapshots/one").body["action"], "saved");
  AddMember("b@example.com", "B");
  EXPECT_EQ(WalkIds("/v1/organization/users?limit=100", "last_id").size(), start + 2);

  EXPECT_EQ(Public("POST", "/roster/test/snapshots/one/restore").status(), 200);
  EXPECT_EQ(WalkIds("/v1/organization/users?limit=100", "last_id").size(), start + 1);

  const Reply missing = Public("POST", "/roster/test/snapshots/nope/restore");
  EXPECT_EQ(missing.status(), 404);
  EXPECT_EQ(missing.error()["message"], "No snapshot named 'nope'.");
  EXPECT_EQ(Public("POST", "/roster/test/snapshots/bad%20name").status(), 400);

  EXPECT_EQ(Public("POST", "/roster/test/reset").status(), 200);
  EXPECT_EQ(WalkIds("/v1/organization/users?limit=100", "last_id").size(), start);
  // The admin key still works after a reset (it was part of the starting state).
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
}

TEST_F(TestControlsTest, ClockCanBeFrozenAdvancedAndReleased) {
  Reply r = Public("POST", "/roster/test/clock", R"({"now": 1800000000})");
  ASSERT_EQ(r.status(), 200);
  EXPECT_EQ(r.body, json({{"object", "roster.test.clock"}, {"now", 1800000000}, {"frozen", true}}));
  r = Public("POST", "/roster/test/clock", R"({"advance_seconds": 60})");
  EXPECT_EQ(r.body["now"], 1800000060);
  EXPECT_EQ(Public("GET", "/roster/test/clock").body["now"], 1800000060);
  r = Public("POST", "/roster/test/clock", R"({"real": true})");
  EXPECT_EQ(r.body["frozen"], false);
  ExpectError(Public("POST", "/roster/test/clock", R"({"now": 1, "real": true})"), 400,
              std::nullopt, "invalid_value");
  ExpectError(Public("POST", "/roster/test/clock", R"({"now": "soon"})"), 400, "now",
              "invalid_type");
  ExpectError(Public("POST", "/roster/test/clock", R"({"later": 1})"), 400, "later",
              "unknown_parameter");
}

// Keys expire by the router's clock: moving the settable clock past expires_at makes the key
// stop working without waiting.
TEST_F(TestControlsTest, KeyExpiryFollowsTheClock) {
  Public("POST", "/roster/test/clock", R"({"now": 1800000000})");
  const Reply created = Post("/v1/organization/admin_api_keys",
                             json{{"name", "short"}, {"expires_in_seconds", 3600}});
  ASSERT_EQ(created.status(), 200) << created.body;
  const std::string key = created.body["value"];
  EXPECT_EQ(Call("GET", "/v1/organization/users", "", "Bearer " + key).status(), 200);
  Public("POST", "/roster/test/clock", R"({"advance_seconds": 3601})");
  const Reply expired = Call("GET", "/v1/organization/users", "", "Bearer " + key);
  EXPECT_EQ(expired.status(), 401);
}

TEST_F(TestControlsTest, FaultsAnswerForTheNextCallsThenStop) {
  Reply armed = Public("POST", "/roster/test/faults",
                       R"({"method":"GET","route":"/v1/organization/users","status":429,)"
                       R"("retry_after_ms":1500,"count":2})");
  ASSERT_EQ(armed.status(), 200) << armed.body;
  EXPECT_EQ(armed.body["data"][0]["remaining"], 2);

  for (int i = 0; i < 2; ++i) {
    const auto [limited, body] = Injected("/v1/organization/users");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(body["error"]["code"], "rate_limit_exceeded");
    EXPECT_EQ(body["error"]["type"], "requests");
    EXPECT_EQ(limited.Header("retry-after"), "2");
    EXPECT_EQ(limited.Header("retry-after-ms"), "1500");
    EXPECT_TRUE(limited.Header("x-request-id").has_value());
  }
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  // Other routes were never affected.
  EXPECT_TRUE(Public("GET", "/roster/test/faults").body["data"].empty());

  Public("POST", "/roster/test/faults",
         R"({"method":"GET","route":"/v1/organization/roles","status":500})");
  const Reply failed = Get("/v1/organization/roles");
  EXPECT_EQ(failed.status(), 500);
  EXPECT_EQ(failed.error()["type"], "server_error");

  Public("POST", "/roster/test/faults",
         R"({"method":"GET","route":"/v1/organization/roles","stall_ms":1,"count":1})");
  EXPECT_EQ(Get("/v1/organization/roles").status(), 200);  // delayed, then answered normally

  Public("POST", "/roster/test/faults",
         R"({"method":"GET","route":"/v1/organization/roles","status":503,"count":5})");
  EXPECT_EQ(Public("DELETE", "/roster/test/faults").status(), 200);
  EXPECT_EQ(Get("/v1/organization/roles").status(), 200);
}

TEST_F(TestControlsTest, FaultBodiesAreValidated) {
  const auto fault = [this](const std::string& body) {
    return Public("POST", "/roster/test/faults", body);
  };
  ExpectError(fault(R"({"method":"GET","route":"/v1/nope","status":429})"), 400, "route",
              "invalid_value");
  ExpectError(fault(R"({"method":"POST","route":"/roster/test/reset","status":429})"), 400, "route",
              "invalid_value");
  ExpectError(fault(R"({"method":"GET","route":"/v1/organization/users","status":418})"), 400,
              "status", "invalid_value");
  ExpectError(fault(R"({"method":"GET","route":"/v1/organization/users"})"), 400, "status",
              "invalid_value");
  ExpectError(
      fault(R"({"method":"GET","route":"/v1/organization/users","status":500,"retry_after_ms":5})"),
      400, "retry_after_ms", "invalid_value");
  ExpectError(fault(R"({"method":"GET","route":"/v1/organization/users","stall_ms":60001})"), 400,
              "stall_ms", "invalid_value");
  ExpectError(fault(R"({"method":"GET","route":"/v1/organization/users","status":429,"count":0})"),
              400, "count", "invalid_value");
  ExpectError(fault(R"({"route":"/v1/organization/users","status":429})"), 400, "method",
              "missing_required_parameter");
  // Above INT64_MAX: refused with the number as sent, not as a wrapped negative value.
  const Reply huge =
      fault(R"({"method":"GET","route":"/v1/organization/users","stall_ms":18446744073709551615})");
  ExpectError(huge, 400, "stall_ms", "invalid_value");
  const std::string message = huge.error().at("message").get<std::string>();
  EXPECT_NE(message.find("18446744073709551615"), std::string::npos) << message;
  EXPECT_EQ(message.find("-1"), std::string::npos) << message;
}

}  // namespace
}  // namespace roster::apitest

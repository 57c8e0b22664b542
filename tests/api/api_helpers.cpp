// The API test fixture: a fresh database (SQLite file or PostgreSQL schema), bootstrap, request
// helpers and assertions.
#include "api/api_helpers.hpp"

#include <cstdlib>
#include <random>
#include <regex>
#include <stdexcept>

#include "core/error.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "support/pg_test_db.hpp"

namespace roster::apitest {
namespace {

std::filesystem::path TempDatabasePath() {
  std::random_device random;
  return std::filesystem::temp_directory_path() /
         ("roster-api-test-" + std::to_string(random()) + std::to_string(random()) + ".db");
}

api::RouterOptions QuietOptions(api::RouterOptions options = {}) {
  if (!options.log) options.log = [](const api::RequestLogRecord&) {};
  return options;
}

// ROSTER_TEST_BACKEND=postgres without a cluster: skipped locally (exit 77, ctest's
// SKIP_RETURN_CODE), a failure in CI (the fixture then throws in every test).
[[maybe_unused]] const bool kPostgresAvailable = [] {
  if (UsePostgresBackend() && !testsupport::PostgresBackendEnabled("api tests")) std::exit(77);
  return true;
}();

}  // namespace

bool UsePostgresBackend() {
  const char* backend = std::getenv("ROSTER_TEST_BACKEND");
  return backend != nullptr && std::string_view(backend) == "postgres";
}

ApiTest::ApiTest() : db_path_(TempDatabasePath()) {
  if (UsePostgresBackend()) {
    pg_url_ = testsupport::NewPgTestSchemaUrl();
    store_ = std::make_unique<storage::postgres::PostgresStore>(pg_url_, clock_);
  } else {
    store_ = std::make_unique<storage::sqlite::SqliteStore>(db_path_.string(), clock_);
  }
  org_ = api::BootstrapOrganization(*store_, api::BootstrapRequest{});
  router_ = std::make_unique<api::Router>(*store_, clock_, QuietOptions());
}

ApiTest::~ApiTest() {
  router_.reset();
  store_.reset();
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(db_path_.string() + suffix, ignored);
  }
}

std::unique_ptr<storage::Store> ApiTest::OpenSecondStore() {
  if (UsePostgresBackend()) {
    return std::make_unique<storage::postgres::PostgresStore>(pg_url_, clock_);
  }
  return std::make_unique<storage::sqlite::SqliteStore>(db_path_.string(), clock_);
}

storage::sqlite::SqliteStore& ApiTest::SqliteOnlyStore() {
  auto* sqlite = dynamic_cast<storage::sqlite::SqliteStore*>(store_.get());
  if (sqlite == nullptr) throw std::logic_error("this test needs the SQLite backend");
  return *sqlite;
}

void ApiTest::ResetRouter(api::RouterOptions options) {
  router_ = std::make_unique<api::Router>(*store_, clock_, QuietOptions(std::move(options)));
}

Reply ApiTest::Send(api::Request request) {
  Reply reply;
  reply.response = router_->Handle(request);
  // Every response, success or error: JSON content type and a well-formed request id.
  EXPECT_EQ(reply.response.content_type, "application/json") << request.target;
  const auto request_id = reply.response.Header("x-request-id");
  EXPECT_TRUE(request_id.has_value()) << request.target;
  if (request_id) {
    static const std::regex kRequestId("^req_[0-9a-f]{32}$");
    EXPECT_TRUE(std::regex_match(*request_id, kRequestId)) << *request_id;
  }
  reply.body = json::parse(reply.response.body, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(reply.body.is_discarded()) << "not JSON: " << reply.response.body;
  if (reply.response.status != 200) {
    // Deterministic refusals must not invite the SDKs' automatic retries (CONTRACT §3.3); a 429
    // is throttling (docs/SECURITY.md), which must say when to retry.
    const int status = reply.response.status;
    EXPECT_TRUE(status != 408 && status != 409) << status;
    if (status == 429) {
      EXPECT_TRUE(reply.response.Header("retry-after").has_value()) << reply.response.body;
    }
  }
  return reply;
}

Reply ApiTest::Call(const std::string& method, const std::string& target, const std::string& body,
                    std::optional<std::string> authorization) {
  api::Request request = api::Request::Make(method, target, body, authorization.value_or(Bearer()));
  if (method == "POST") request.content_type = "application/json";
  return Send(std::move(request));
}

core::Member ApiTest::AddMember(const std::string& email, const std::string& name,
                                core::BaseRole role) {
  storage::NewMember member;
  member.email = email;
  member.name = name;
  member.base_role = role;
  return store_->AddMember(std::nullopt, OrgId(), member);
}

std::string ApiTest::CreateRole(const std::string& name,
                                const std::vector<std::string>& permissions) {
  const Reply reply =
      Post("/v1/organization/roles", json{{"role_name", name}, {"permissions", permissions}});
  EXPECT_EQ(reply.status(), 200) << reply.response.body;
  return reply.body.value("id", "");
}

std::string ApiTest::PredefinedRoleId(const std::string& name) {
  const Reply reply = Get("/v1/organization/roles");
  for (const json& role : reply.body.at("data")) {
    if (role.at("name") == name && role.at("predefined_role") == true) return role.at("id");
  }
  ADD_FAILURE() << "no predefined role " << name;
  return {};
}

int ApiTest::CountEvents(const std::string& type) {
  storage::AuditQuery query;
  query.limit = 1000;
  int count = 0;
  for (const auto& event : store_->ListAuditEvents(OrgId(), query).items) {
    if (event.type == type) ++count;
  }
  return count;
}

std::vector<std::string> ApiTest::WalkIds(const std::string& base_target,
                                          const std::string& field) {
  std::vector<std::string> ids;
  std::optional<std::string> cursor;
  for (int page = 0; page < 1000; ++page) {
    const std::string separator = base_target.find('?') == std::string::npos ? "?" : "&";
    const Reply reply = Get(cursor ? base_target + separator + "after=" + *cursor : base_target);
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    if (reply.status() != 200) break;
    const json& data = reply.body.at("data");
    for (const json& item : data) ids.push_back(item.at("id"));
    if (field == "last_id") {
      // ConversationCursorPage: the ids name the ends of the page.
      if (data.empty()) {
        EXPECT_TRUE(reply.body.at("first_id").is_null());
        EXPECT_TRUE(reply.body.at("last_id").is_null());
      } else {
        EXPECT_EQ(reply.body.at("first_id"), data.front().at("id"));
        EXPECT_EQ(reply.body.at("last_id"), data.back().at("id"));
      }
    } else if (reply.body.at("has_more") == true) {
      EXPECT_EQ(reply.body.at("next"), data.back().at("id"));
    } else {
      EXPECT_TRUE(reply.body.at("next").is_null());
    }
    if (reply.body.at("has_more") != true) return ids;
    EXPECT_FALSE(data.empty()) << "has_more with an empty page";
    if (data.empty()) break;
    cursor = reply.body.at(field).get<std::string>();
  }
  ADD_FAILURE() << "pagination did not end";
  return ids;
}

void ExpectError(const Reply& reply, int status, std::optional<std::string> param,
                 std::optional<std::string> code, const std::string& type) {
  EXPECT_EQ(reply.status(), status) << reply.response.body;
  ASSERT_TRUE(reply.body.is_object() && reply.body.contains("error")) << reply.response.body;
  const json& error = reply.error();
  EXPECT_EQ(error.size(), 4u) << reply.response.body;
  ASSERT_TRUE(error.contains("message") && error.at("message").is_string());
  EXPECT_FALSE(error.at("message").get<std::string>().empty());
  EXPECT_EQ(error.value("type", ""), type);
  EXPECT_EQ(error.at("param"), param ? json(*param) : json(nullptr)) << reply.response.body;
  EXPECT_EQ(error.at("code"), code ? json(*code) : json(nullptr)) << reply.response.body;
}

void ExpectInvalidUrl(const Reply& reply, const std::string& method, const std::string& path) {
  ExpectError(reply, 404, std::nullopt, std::nullopt);
  EXPECT_EQ(reply.error().value("message", ""), "Invalid URL (" + method + " " + path + ")");
}

std::string EncodePathParam(std::string_view value) {
  constexpr std::string_view kKeep =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (kKeep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace roster::apitest

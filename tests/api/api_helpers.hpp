// Fixture of the in-process API tests: a real store (a SqliteStore on a temporary file, or with
// ROSTER_TEST_BACKEND=postgres a PostgresStore on a fresh schema of ROSTER_TEST_PG_URL), a
// ManualClock, a
// bootstrapped organization with its admin key, and helpers that call Router::Handle and parse
// the JSON reply. Every reply is checked for the headers every response must carry.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/bootstrap.hpp"
#include "api/router.hpp"
#include "core/clock.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

namespace roster::apitest {

using nlohmann::json;

inline constexpr core::Timestamp kStartTime = 1'700'000'000;

struct Reply {
  api::Response response;
  json body;  // the parsed body (every body must be JSON)
  int status() const { return response.status; }
  const json& error() const { return body.at("error"); }
};

class ApiTest : public ::testing::Test {
 protected:
  ApiTest();
  ~ApiTest() override;

  // Rebuilds the router with other options (same store and clock).
  void ResetRouter(api::RouterOptions options);

  // Sends a request with the organization's admin key unless `authorization` is given.
  Reply Send(api::Request request);
  Reply Call(const std::string& method, const std::string& target, const std::string& body = {},
             std::optional<std::string> authorization = std::nullopt);
  Reply Get(const std::string& target) { return Call("GET", target); }
  Reply Post(const std::string& target, const std::string& body) {
    return Call("POST", target, body);
  }
  Reply Post(const std::string& target, const json& body) { return Post(target, body.dump()); }
  Reply Delete(const std::string& target) { return Call("DELETE", target); }

  // A new member of the main organization (through the store, as invite acceptance would).
  core::Member AddMember(const std::string& email, const std::string& name,
                         core::BaseRole role = core::BaseRole::kReader);
  // The secret of an invite's acceptance link, newly issued through the API (as `roster invites
  // link` and the console's "copy link" do; only its hash is stored); empty on failure.
  std::string TokenOf(const std::string& invite_id) {
    const Reply link = Call("POST", "/roster/organization/invites/" + invite_id + "/link");
    EXPECT_EQ(link.status(), 200) << link.response.body;
    const std::string path = link.body.value("path", "");
    return path.starts_with("/invite/") ? path.substr(8) : std::string();
  }
  // A custom role of the main organization created through the API; returns its id.
  std::string CreateRole(const std::string& name,
                         const std::vector<std::string>& permissions = {"api.groups.read"});
  // Ids of the predefined roles of the main organization.
  std::string PredefinedRoleId(const std::string& name);
  // Number of audit events of `type` in the main organization.
  int CountEvents(const std::string& type);
  // Follows a paginated list to its end; `field` is "last_id" (users) or "next" (roles).
  std::vector<std::string> WalkIds(const std::string& base_target, const std::string& field);

  std::string Bearer() const { return "Bearer " + org_.admin_key_value; }
  const std::string& OrgId() const { return org_.organization.id; }
  const std::string& OwnerId() const { return org_.owner.account.id; }

  // The SQLite store of the fixture, for tests of SQLite-only features (snapshots); throws when
  // the run uses another backend (such suites are filtered out of the PostgreSQL run).
  storage::sqlite::SqliteStore& SqliteOnlyStore();

  // A second store on the same database (SQLite file or PostgreSQL schema), as another process or
  // node would open it: its own connections, nothing shared in memory with store_.
  std::unique_ptr<storage::Store> OpenSecondStore();

  std::filesystem::path db_path_;
  std::string pg_url_;  // the PostgreSQL schema's URL (ROSTER_TEST_BACKEND=postgres)
  core::ManualClock clock_{kStartTime};
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<api::Router> router_;
  api::BootstrapResult org_;
};

// True when ROSTER_TEST_BACKEND=postgres: the fixture's store is PostgreSQL.
bool UsePostgresBackend();

// Expects an error reply: status, `type` invalid_request_error (unless given), param and code.
void ExpectError(const Reply& reply, int status, std::optional<std::string> param,
                 std::optional<std::string> code,
                 const std::string& type = "invalid_request_error");

// The `Invalid URL (METHOD /path)` 404.
void ExpectInvalidUrl(const Reply& reply, const std::string& method, const std::string& path);

// Percent-encodes every byte outside the SDK's unreserved set (as the Node SDK does for path
// parameters).
std::string EncodePathParam(std::string_view value);

}  // namespace roster::apitest

// Fault injection over every write endpoint: the store fails its n-th call (n = 1, 2, … until a
// request runs without hitting the fault) and each time the client gets a clean 503 in the OpenAI
// envelope and the database is exactly as before; the run that succeeds makes exactly the
// intended change. The write routes come from the routes table, so a new one without a fixture
// here fails the test.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/api_helpers.hpp"
#include "api/routes.hpp"
#include "storage/export_format.hpp"
#include "storage/fault_injecting_store.hpp"

namespace roster::apitest {
namespace {

// The whole database: table → primary key → row (storage::Store::ExportAll).
using Dump = std::map<std::string, std::map<std::string, json>>;

// How a table changed: rows added, rows removed, rows whose values changed (a tombstone is a
// change).
struct TableDelta {
  int added = 0;
  int removed = 0;
  int changed = 0;
  bool operator==(const TableDelta&) const = default;
};
using Delta = std::map<std::string, TableDelta>;  // tables that did not change are left out

std::string Describe(const Delta& delta) {
  std::ostringstream out;
  for (const auto& [table, d] : delta) {
    out << table << " +" << d.added << " -" << d.removed << " ~" << d.changed << "; ";
  }
  return delta.empty() ? "(no change)" : out.str();
}

Dump DumpStore(storage::Store& store) {
  Dump dump;
  store.ExportAll([&dump](std::string_view table, const nlohmann::ordered_json& row) {
    if (table.empty()) return;  // the header
    const storage::exchange::Table* schema = storage::exchange::FindTable(table);
    ASSERT_NE(schema, nullptr) << table;
    // The primary key: the values of the `order_by` columns.
    std::string key;
    std::string_view columns = schema->order_by;
    while (!columns.empty()) {
      const std::size_t comma = columns.find(',');
      std::string_view column = columns.substr(0, comma);
      while (column.starts_with(' ')) column.remove_prefix(1);
      key += row.at(std::string(column)).dump() + "|";
      columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 1);
    }
    dump[std::string(table)][key] = json::parse(row.dump());
  });
  return dump;
}

Delta Diff(const Dump& before, const Dump& after) {
  Delta delta;
  for (const auto& table : storage::exchange::Tables()) {
    const std::string name(table.name);
    static const std::map<std::string, json> kEmpty;
    const auto& old_rows = before.count(name) ? before.at(name) : kEmpty;
    const auto& new_rows = after.count(name) ? after.at(name) : kEmpty;
    TableDelta d;
    for (const auto& [key, row] : new_rows) {
      const auto it = old_rows.find(key);
      if (it == old_rows.end()) {
        ++d.added;
      } else if (it->second != row) {
        ++d.changed;
      }
    }
    for (const auto& [key, row] : old_rows) d.removed += new_rows.count(key) ? 0 : 1;
    if (!(d == TableDelta{})) delta[name] = d;
  }
  return delta;
}

// A write request ready to send, and the change it must make when it succeeds.
struct Prepared {
  std::string target;
  std::string body;
  bool with_key = true;  // false: a public route, sent without a key
  Delta intended;
};

class FaultInjectionTest : public ApiTest {
 protected:
  FaultInjectionTest() {
    // Record the key's use now: with the clock standing still, no request below writes it again.
    EXPECT_EQ(Get("/v1/organization/users").status(), 200);
  }

  // Sets up what the route's request needs (through the API, without faults) and returns it;
  // nullopt when this test has no fixture for the route.
  std::optional<Prepared> Prepare(const api::Route& route) {
    const std::string method(route.method);
    const std::string pattern(route.pattern);
    auto is = [&](const char* m, const char* p) { return method == m && pattern == p; };
    const TableDelta one_event{1, 0, 0};
    if (is("POST", "/v1/organization/users/{user_id}")) {
      const std::string user = AddMember("modify@example.com", "Modify").account.id;
      return Prepared{"/v1/organization/users/" + user,
                      R"({"role":"owner"})",
                      true,
                      {{"memberships", {0, 0, 1}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/users/{user_id}")) {
      const std::string user = AddMember("delete@example.com", "Delete").account.id;
      const std::string role = CreateRole("Deleted user's role");
      EXPECT_EQ(Post("/v1/organization/users/" + user + "/roles", json{{"role_id", role}}).status(),
                200);
      const std::string group = NewGroup("Deleted user's group");
      EXPECT_EQ(
          Post("/v1/organization/groups/" + group + "/users", json{{"user_id", user}}).status(),
          200);
      return Prepared{"/v1/organization/users/" + user,
                      "",
                      true,
                      {{"memberships", {0, 0, 1}},
                       {"user_roles", {0, 1, 0}},
                       {"group_members", {0, 1, 0}},
                       {"audit_events", one_event}}};
    }
    if (is("POST", "/v1/organization/users/{user_id}/roles")) {
      const std::string user = AddMember("assign@example.com", "Assign").account.id;
      const std::string role = CreateRole("Assigned");
      return Prepared{"/v1/organization/users/" + user + "/roles",
                      json{{"role_id", role}}.dump(),
                      true,
                      {{"user_roles", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/users/{user_id}/roles/{role_id}")) {
      const std::string user = AddMember("unassign@example.com", "Unassign").account.id;
      const std::string role = CreateRole("Unassigned");
      EXPECT_EQ(Post("/v1/organization/users/" + user + "/roles", json{{"role_id", role}}).status(),
                200);
      return Prepared{"/v1/organization/users/" + user + "/roles/" + role,
                      "",
                      true,
                      {{"user_roles", {0, 1, 0}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/v1/organization/roles")) {
      return Prepared{"/v1/organization/roles",
                      R"({"role_name":"Created","permissions":["api.groups.read"]})",
                      true,
                      {{"roles", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/v1/organization/roles/{role_id}")) {
      const std::string role = CreateRole("Before update");
      return Prepared{"/v1/organization/roles/" + role,
                      R"({"role_name":"After update","permissions":["api.roles.read"]})",
                      true,
                      {{"roles", {0, 0, 1}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/roles/{role_id}")) {
      // A role with a holder: its assignment goes with it, with its own event.
      const std::string user = AddMember("holder@example.com", "Holder").account.id;
      const std::string role = CreateRole("Deleted role");
      EXPECT_EQ(Post("/v1/organization/users/" + user + "/roles", json{{"role_id", role}}).status(),
                200);
      return Prepared{
          "/v1/organization/roles/" + role,
          "",
          true,
          {{"roles", {0, 0, 1}}, {"user_roles", {0, 1, 0}}, {"audit_events", {2, 0, 0}}}};
    }
    if (is("POST", "/v1/organization/groups")) {
      return Prepared{"/v1/organization/groups",
                      R"({"name":"Created group"})",
                      true,
                      {{"groups", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/v1/organization/groups/{group_id}")) {
      const std::string group = NewGroup("Before rename");
      return Prepared{"/v1/organization/groups/" + group,
                      R"({"name":"After rename"})",
                      true,
                      {{"groups", {0, 0, 1}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/groups/{group_id}")) {
      // A group with a member and a role: both go with it.
      const std::string group = NewGroup("Deleted group");
      const std::string user = AddMember("grouped@example.com", "Grouped").account.id;
      const std::string role = CreateRole("Group's role");
      EXPECT_EQ(
          Post("/v1/organization/groups/" + group + "/users", json{{"user_id", user}}).status(),
          200);
      EXPECT_EQ(
          Post("/v1/organization/groups/" + group + "/roles", json{{"role_id", role}}).status(),
          200);
      return Prepared{"/v1/organization/groups/" + group,
                      "",
                      true,
                      {{"groups", {0, 0, 1}},
                       {"group_members", {0, 1, 0}},
                       {"group_roles", {0, 1, 0}},
                       {"audit_events", {2, 0, 0}}}};
    }
    if (is("POST", "/v1/organization/groups/{group_id}/users")) {
      const std::string group = NewGroup("Joined group");
      const std::string user = AddMember("joiner@example.com", "Joiner").account.id;
      // Group membership writes no audit event (docs/DECISIONS.md).
      return Prepared{"/v1/organization/groups/" + group + "/users",
                      json{{"user_id", user}}.dump(),
                      true,
                      {{"group_members", {1, 0, 0}}}};
    }
    if (is("DELETE", "/v1/organization/groups/{group_id}/users/{user_id}")) {
      const std::string group = NewGroup("Left group");
      const std::string user = AddMember("leaver@example.com", "Leaver").account.id;
      EXPECT_EQ(
          Post("/v1/organization/groups/" + group + "/users", json{{"user_id", user}}).status(),
          200);
      return Prepared{"/v1/organization/groups/" + group + "/users/" + user,
                      "",
                      true,
                      {{"group_members", {0, 1, 0}}}};
    }
    if (is("POST", "/v1/organization/groups/{group_id}/roles")) {
      const std::string group = NewGroup("Role-holding group");
      const std::string role = CreateRole("Held by group");
      return Prepared{"/v1/organization/groups/" + group + "/roles",
                      json{{"role_id", role}}.dump(),
                      true,
                      {{"group_roles", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/groups/{group_id}/roles/{role_id}")) {
      const std::string group = NewGroup("Role-losing group");
      const std::string role = CreateRole("Lost by group");
      EXPECT_EQ(
          Post("/v1/organization/groups/" + group + "/roles", json{{"role_id", role}}).status(),
          200);
      return Prepared{"/v1/organization/groups/" + group + "/roles/" + role,
                      "",
                      true,
                      {{"group_roles", {0, 1, 0}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/v1/organization/invites")) {
      return Prepared{"/v1/organization/invites",
                      R"({"email":"invitee@example.com","role":"reader"})",
                      true,
                      {{"invites", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/invites/{invite_id}")) {
      const std::string invite = NewInvite("revoked@example.com");
      return Prepared{"/v1/organization/invites/" + invite,
                      "",
                      true,
                      {{"invites", {0, 0, 1}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/roster/organization/invites/{invite_id}/link")) {
      // A new acceptance link: the invite's token hash changes.
      const std::string invite = NewInvite("relinked@example.com");
      return Prepared{
          "/roster/organization/invites/" + invite + "/link", "", true, {{"invites", {0, 0, 1}}}};
    }
    if (is("POST", "/v1/organization/admin_api_keys")) {
      return Prepared{"/v1/organization/admin_api_keys",
                      R"({"name":"Created key"})",
                      true,
                      {{"admin_keys", {1, 0, 0}}, {"audit_events", one_event}}};
    }
    if (is("DELETE", "/v1/organization/admin_api_keys/{key_id}")) {
      const Reply created = Post("/v1/organization/admin_api_keys", json{{"name", "Doomed key"}});
      EXPECT_EQ(created.status(), 200) << created.response.body;
      return Prepared{"/v1/organization/admin_api_keys/" + created.body.value("id", ""),
                      "",
                      true,
                      {{"admin_keys", {0, 0, 1}}, {"audit_events", one_event}}};
    }
    if (is("POST", "/roster/invites/accept")) {
      // The invitee is new: an account, a membership, the invite accepted, two events.
      const std::string invite = NewInvite("acceptor@example.com");
      const std::string token = TokenOf(invite);
      return Prepared{"/roster/invites/accept",
                      json{{"token", token}, {"name", "Acceptor"}}.dump(),
                      false,
                      {{"accounts", {1, 0, 0}},
                       {"memberships", {1, 0, 0}},
                       {"invites", {0, 0, 1}},
                       {"audit_events", {2, 0, 0}}}};
    }
    return std::nullopt;
  }

  std::string NewGroup(const std::string& name) {
    const Reply reply = Post("/v1/organization/groups", json{{"name", name}});
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }

  std::string NewInvite(const std::string& email) {
    const Reply reply =
        Post("/v1/organization/invites", json{{"email", email}, {"role", "reader"}});
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }

  // Sends `prepared` through a router over the fault-injecting store, failing store call n,
  // n = 1, 2, … until a request runs without hitting the fault. Returns how many faults it hit.
  int LoopFaults(const api::Route& route, const Prepared& prepared) {
    const std::string what = std::string(route.method) + " " + std::string(route.pattern);
    storage::FaultInjectingStore faulty(*store_);
    api::RouterOptions options;
    options.log = [](const api::RequestLogRecord&) {};
    api::Router router(faulty, clock_, options);
    constexpr int kMaxCalls = 50;  // no request makes this many store calls
    for (int n = 1; n <= kMaxCalls; ++n) {
      const Dump before = DumpStore(*store_);
      api::Request request = api::Request::Make(std::string(route.method), prepared.target,
                                                prepared.body, prepared.with_key ? Bearer() : "");
      if (route.method == "POST") request.content_type = "application/json";
      faulty.FailNthCall(static_cast<std::uint64_t>(n));
      const api::Response response = router.Handle(request);
      const std::string failed = faulty.failed_call();
      faulty.FailNthCall(0);
      const Dump after = DumpStore(*store_);
      const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
      SCOPED_TRACE(what + ", store call " + std::to_string(n) + " failing (" +
                   (failed.empty() ? "not reached" : failed) + "): " + response.body);
      EXPECT_TRUE(response.Header("x-request-id").has_value());
      if (failed.empty()) {
        // Fewer than n store calls: the request ran clean and made exactly its change.
        EXPECT_EQ(response.status, 200);
        const Delta delta = Diff(before, after);
        EXPECT_EQ(delta, prepared.intended)
            << "made " << Describe(delta) << " instead of " << Describe(prepared.intended);
        return n - 1;
      }
      // The fault was hit: the defined 503 with a retry hint, in the OpenAI envelope.
      EXPECT_EQ(response.status, 503);
      EXPECT_EQ(response.Header("retry-after"), std::optional<std::string>("1"));
      if (!body.is_object() || !body.contains("error") || !body.at("error").is_object()) {
        ADD_FAILURE() << "not an OpenAI error envelope: " << response.body;
        return n;
      }
      const json& error = body.at("error");
      EXPECT_EQ(error.size(), 4u);
      EXPECT_EQ(error.value("type", ""), "server_error");
      EXPECT_TRUE(error.at("message").is_string() && !error.at("message").empty());
      EXPECT_TRUE(error.at("param").is_null());
      EXPECT_TRUE(error.at("code").is_null());
      // And nothing of the write is left behind.
      const Delta delta = Diff(before, after);
      EXPECT_TRUE(delta.empty()) << "partial state: " << Describe(delta);
      if (!delta.empty()) return n;
    }
    ADD_FAILURE() << what << ": still hitting the fault after " << kMaxCalls << " store calls";
    return kMaxCalls;
  }
};

// Roster's stand-in controls (404 unless `serve --ephemeral --test-controls`) act on the whole
// state through app/stand_in, not through one store operation; tests/blackbox covers them.
bool IsStandInControl(const api::Route& route) {
  return route.pattern.starts_with("/roster/test/");
}

// Every write route of the table, with every store call failing in turn.
TEST_F(FaultInjectionTest, EveryWriteRouteFailsCleanlyWithNoPartialState) {
  int routes = 0;
  for (const api::Route& route : api::Routes()) {
    if (!api::IsWrite(route) || IsStandInControl(route)) continue;
    SCOPED_TRACE(std::string(route.method) + " " + std::string(route.pattern));
    const std::optional<Prepared> prepared = Prepare(route);
    if (!prepared) {
      ADD_FAILURE() << "no fault-injection fixture for the write route " << route.method << " "
                    << route.pattern << ": add one to Prepare()";
      continue;
    }
    const int faults = LoopFaults(route, *prepared);
    // Every route reaches the store at least once (a keyed one: the key lookup first).
    EXPECT_GE(faults, 1);
    ++routes;
  }
  EXPECT_GE(routes, 19);
}

// The bootstrap of `roster serve` on an empty store and of `roster orgs create`: one
// organization, its owner and a key, all or nothing.
TEST_F(FaultInjectionTest, BootstrapLeavesNoOrganizationWithoutOwnerOrKey) {
  storage::FaultInjectingStore faulty(*store_);
  api::BootstrapRequest request;
  request.org_name = "Faulty bootstrap";
  request.owner_email = "faulty-owner@example.com";
  for (int n = 1; n <= 20; ++n) {
    SCOPED_TRACE("store call " + std::to_string(n) + " failing");
    const Dump before = DumpStore(*store_);
    faulty.FailNthCall(static_cast<std::uint64_t>(n));
    bool failed = false;
    try {
      api::BootstrapOrganization(faulty, request);
    } catch (const core::Error& error) {
      failed = true;
      EXPECT_EQ(error.kind(), core::ErrorKind::kUnavailable);
    }
    const std::string failed_call = faulty.failed_call();
    faulty.FailNthCall(0);
    const Delta delta = Diff(before, DumpStore(*store_));
    EXPECT_EQ(failed, !failed_call.empty());
    if (failed) {
      EXPECT_TRUE(delta.empty()) << "partial state after failing " << failed_call << ": "
                                 << Describe(delta);
      continue;
    }
    // Two predefined roles, the owner (account and membership), the key, and their two events.
    const Delta intended = {{"organizations", {1, 0, 0}}, {"accounts", {1, 0, 0}},
                            {"memberships", {1, 0, 0}},   {"roles", {2, 0, 0}},
                            {"admin_keys", {1, 0, 0}},    {"audit_events", {2, 0, 0}}};
    EXPECT_EQ(delta, intended) << Describe(delta);
    return;
  }
  ADD_FAILURE() << "bootstrap still hitting the fault after 20 store calls";
}

}  // namespace
}  // namespace roster::apitest

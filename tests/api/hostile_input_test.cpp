// Hostile input through the whole router (issue 6): every field of every JSON body the API
// accepts set to null and to values of every other type and extreme, ill-formed bytes in paths,
// query strings and bodies, wrong content types, and the input limits of api/input_limits.hpp.
// The oracle everywhere: a clear 4xx in the OpenAI envelope (or a 200 where the value is legal),
// never a 5xx. Runs on SQLite and, in the api_postgres run, on PostgreSQL, whose text parameters
// refuse invalid UTF-8 and stop at NUL.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/api_helpers.hpp"
#include "api/input_limits.hpp"
#include "api/routes.hpp"

namespace roster::apitest {
namespace {

// A valid body of every route that reads one, by "METHOD pattern". A POST route missing here
// fails BodiesOfEveryRouteSurviveHostileFieldValues: add its body when adding the route.
const std::map<std::string, json>& SampleBodies() {
  static const std::map<std::string, json> kSamples = {
      {"POST /v1/organization/users/{user_id}",
       {{"role", "reader"},
        {"role_id", "role-x"},
        {"technical_level", "x"},
        {"developer_persona", "y"}}},
      {"POST /v1/organization/users/{user_id}/roles", {{"role_id", "role-x"}}},
      {"POST /v1/organization/roles",
       {{"role_name", "R"}, {"permissions", {"api.groups.read"}}, {"description", "d"}}},
      {"POST /v1/organization/roles/{role_id}",
       {{"role_name", "R2"}, {"permissions", {"api.groups.read"}}, {"description", "d"}}},
      {"POST /v1/organization/groups", {{"name", "G"}}},
      {"POST /v1/organization/groups/{group_id}", {{"name", "G2"}}},
      {"POST /v1/organization/groups/{group_id}/users", {{"user_id", "user-x"}}},
      {"POST /v1/organization/groups/{group_id}/roles", {{"role_id", "role-x"}}},
      {"POST /v1/organization/invites",
       {{"email", "new@example.com"},
        {"role", "reader"},
        {"projects", {{{"id", "proj_1"}, {"role", "member"}}}}}},
      {"POST /v1/organization/admin_api_keys", {{"name", "k"}, {"expires_in_seconds", 60}}},
      {"POST /roster/invites/accept", {{"token", "tok"}, {"name", "N"}}},
      // Reads no body: only the whole-body variants are sent.
      {"POST /roster/organization/invites/{invite_id}/link", json::object()},
  };
  return kSamples;
}

// Values every field is set to in turn: null, each JSON type, numbers beyond every integer type,
// negative zero, fractions, strings that are empty, huge, or hold NUL and non-ASCII.
std::vector<json> HostileValues() {
  std::vector<json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      json::parse("-0"),
      json::parse("-0.0"),
      1.5,
      json::parse("1e308"),
      json::parse("18446744073709551615"),  // 2^64 - 1: unsigned
      json::parse("18446744073709551616"),  // 2^64: a float
      json::parse("-9223372036854775808"),  // INT64_MIN
      json::parse("-9223372036854775809"),  // below it: a float
      json::parse("9223372036854775808"),   // INT64_MAX + 1: unsigned
      "",
      " ",
      std::string(5000, 'x'),
      "\xc3\xa9\xf0\x9f\x98\x80",
      std::string("a\0b", 3),
      "../../etc/passwd",
      json::array(),
      json::array({nullptr}),
      json::array({json::array({json::array()})}),
      json::object(),
      json{{"x", nullptr}},
  };
  return values;
}

// Every (path to a field, its value) in `body`: top-level fields and the fields of objects in
// arrays (`projects[0].id`), as JSON pointers.
void FieldPointers(const json& value, const json::json_pointer& at,
                   std::vector<json::json_pointer>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out.push_back(at / key);
      FieldPointers(item, at / key, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(at / i);
      FieldPointers(value[i], at / i, out);
    }
  }
}

class HostileInputTest : public ApiTest {
 protected:
  HostileInputTest() {
    member_id_ = AddMember("member@example.com", "Member").account.id;
    role_id_ = CreateRole("Hostile role");
    group_id_ =
        Post("/v1/organization/groups", json{{"name", "Hostile group"}}).body.value("id", "");
    invite_id_ =
        Post("/v1/organization/invites", json{{"email", "inv@example.com"}, {"role", "reader"}})
            .body.value("id", "");
    key_id_ =
        Post("/v1/organization/admin_api_keys", json{{"name", "second"}}).body.value("id", "");
  }

  // The pattern with each `{param}` replaced by an id that exists.
  std::string Fill(std::string_view pattern) const {
    const std::map<std::string, std::string> ids = {
        {"{user_id}", member_id_},   {"{role_id}", role_id_}, {"{group_id}", group_id_},
        {"{invite_id}", invite_id_}, {"{key_id}", key_id_},   {"{token}", "no-such-token"},
        {"{name}", "snap"},          {"{version}", "v"}};
    std::string path(pattern);
    for (const auto& [param, id] : ids) {
      for (std::size_t at = path.find(param); at != std::string::npos; at = path.find(param)) {
        path.replace(at, param.size(), id);
      }
    }
    return path;
  }

  // The raw reply, without the helpers' expectations about retryable statuses: the oracle here
  // is only "a 4xx or a 200, with the error envelope on a 4xx".
  api::Response Raw(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& content_type = "application/json") {
    api::Request request = api::Request::Make(method, target, body, Bearer());
    request.content_type = content_type;
    return router_->Handle(request);
  }

  static void ExpectClientOutcome(const api::Response& response, const std::string& what) {
    EXPECT_LT(response.status, 500) << what << " → " << response.body;
    if (response.status >= 400) {
      const json body = json::parse(response.body, nullptr, false);
      ASSERT_TRUE(body.is_object()) << what << " → " << response.body;
      const json& error = body["error"];
      ASSERT_TRUE(error.is_object()) << what << " → " << response.body;
      EXPECT_TRUE(error["message"].is_string()) << what;
      EXPECT_TRUE(error["type"].is_string()) << what;
      EXPECT_TRUE(error.contains("param") &&
                  (error["param"].is_null() || error["param"].is_string()))
          << what;
      EXPECT_TRUE(error.contains("code") && (error["code"].is_null() || error["code"].is_string()))
          << what;
    }
  }

  std::string member_id_, role_id_, group_id_, invite_id_, key_id_;
};

TEST_F(HostileInputTest, BodiesOfEveryRouteSurviveHostileFieldValues) {
  ASSERT_FALSE(role_id_.empty());
  ASSERT_FALSE(group_id_.empty());
  ASSERT_FALSE(invite_id_.empty());
  ASSERT_FALSE(key_id_.empty());
  std::set<std::string> covered;
  int requests = 0;
  for (const api::Route& route : api::Routes()) {
    if (route.method != "POST") continue;  // GET and DELETE read no body
    const std::string name = std::string(route.method) + " " + std::string(route.pattern);
    // The stand-in test controls are off here (they answer 404); their decoders are driven
    // directly by tests/unit/hostile_bodies_test.cpp.
    if (route.pattern.starts_with("/roster/test/")) continue;
    const auto sample = SampleBodies().find(name);
    if (sample == SampleBodies().end()) {
      // A POST without a body would be fine, but it must be said: list it with an empty body.
      ADD_FAILURE() << "no sample body for " << name << " in SampleBodies()";
      continue;
    }
    covered.insert(name);
    std::vector<json::json_pointer> fields;
    FieldPointers(sample->second, json::json_pointer(), fields);
    const std::string target = Fill(route.pattern);
    for (const json::json_pointer& field : fields) {
      for (const json& value : HostileValues()) {
        json body = sample->second;
        body[field] = value;
        const std::string what = name + " with " + field.to_string() + " = " +
                                 value.dump(-1, ' ', false, json::error_handler_t::replace);
        ExpectClientOutcome(Raw("POST", target, body.dump()), what);
        ++requests;
      }
      // The field removed, too.
      json body = sample->second;
      const json::json_pointer parent = field.parent_pointer();
      if (body[parent].is_object()) {
        body[parent].erase(field.back());
        ExpectClientOutcome(Raw("POST", target, body.dump()),
                            name + " without " + field.to_string());
        ++requests;
      }
    }
    // Whole bodies that are not the object expected.
    for (const char* text : {"null", "[]", "\"x\"", "1e400", "-0", "{", "{\"a\":1}}", "\xff\xfe{}",
                             "{\"role_name\":\"\xc0\xae\"}"}) {
      ExpectClientOutcome(
          Raw("POST", target, text),
          name + " with body " + json(text).dump(-1, ' ', false, json::error_handler_t::replace));
      ++requests;
    }
  }
  EXPECT_EQ(covered.size(), SampleBodies().size()) << "a sample body names no route";
  EXPECT_GT(requests, 500);
  // The organization is still whole: its key works.
  EXPECT_EQ(Get("/v1/organization/users").status(), 200);
}

// --- bytes that cannot be ids, in paths ------------------------------------------------------

TEST_F(HostileInputTest, PathIdsWithIllFormedBytesAre404) {
  const std::string users = "/v1/organization/users/";
  for (const std::string& id :
       {std::string("%FF"), std::string("%C0%AE%C0%AE"), std::string("%E0%80%AF"),
        std::string("%ED%A0%80"), std::string("%00"), member_id_ + "%00", member_id_ + "%00junk",
        std::string("%0A"), std::string("..%2F..%2Fetc%2Fpasswd"), std::string("%252e%252e%252f"),
        std::string(".."), std::string("%2e%2e"), std::string("%"), std::string("%4"),
        std::string("%zz"), std::string("%C3%A9")}) {
    SCOPED_TRACE(id);
    for (const char* method : {"GET", "DELETE"}) {
      const Reply reply = Call(method, users + id);
      EXPECT_EQ(reply.status(), 404) << reply.response.body;
      ExpectClientOutcome(reply.response, std::string(method) + " " + users + id);
    }
    const Reply roles = Get(users + id + "/roles");
    EXPECT_EQ(roles.status(), 404) << roles.response.body;
  }
  // A real id followed by an escaped NUL is not that id (PostgreSQL would stop at the NUL).
  EXPECT_EQ(Get(users + member_id_).status(), 200);
  EXPECT_EQ(Call("DELETE", users + member_id_ + "%00x").status(), 404);
  EXPECT_EQ(Get(users + member_id_).status(), 200);
}

TEST_F(HostileInputTest, IdsWithIllFormedBytesInEveryRouteNeverFail) {
  for (const api::Route& route : api::Routes()) {
    if (route.pattern.find('{') == std::string_view::npos) continue;
    for (const char* id : {"%FF", "%00", "%C0%80", "..%2F", "%252F", "x%00y", "%F4%90%80%80"}) {
      std::string path(route.pattern);
      while (path.find('{') != std::string::npos) {
        const std::size_t open = path.find('{');
        path.replace(open, path.find('}', open) - open + 1, id);
      }
      const std::string body = route.method == "POST" ? "{}" : "";
      ExpectClientOutcome(Raw(std::string(route.method), path, body),
                          std::string(route.method) + " " + path);
    }
  }
}

// --- query strings ---------------------------------------------------------------------------

std::string Emails(std::size_t count) {
  std::string query;
  for (std::size_t i = 0; i < count; ++i) {
    query += (i == 0 ? "?" : "&") + std::string("emails[]=u") + std::to_string(i) + "%40x.y";
  }
  return query;
}

TEST_F(HostileInputTest, QueryParameterCountEdge) {
  const std::size_t limit = api::limits::kMaxQueryParameters;
  EXPECT_EQ(Get("/v1/organization/users" + Emails(limit)).status(), 200);
  const Reply over = Get("/v1/organization/users" + Emails(limit + 1));
  ExpectError(over, 400, std::nullopt, "too_many_parameters");
  // On every list route, and before authentication has a say.
  const Reply audit = Call("GET", "/v1/organization/audit_logs" + Emails(limit + 1), {}, "");
  ExpectError(audit, 400, std::nullopt, "too_many_parameters");
}

TEST_F(HostileInputTest, QueryValuesWithIllFormedBytesAre400) {
  const std::string email = "member%40example.com";
  EXPECT_EQ(Get("/v1/organization/users?emails[]=" + email).body["data"].size(), 1U);
  const std::vector<std::string> queries = {
      "emails[]=" + email + "%00", "emails[]=%FF", "after=%C0%AE",
      "order=%ED%A0%80",           "limit=%FF",    "after=" + member_id_ + "%00"};
  for (const std::string& query : queries) {
    SCOPED_TRACE(query);
    const Reply reply = Get("/v1/organization/users?" + query);
    EXPECT_EQ(reply.status(), 400) << reply.response.body;
    ExpectClientOutcome(reply.response, query);
    if (reply.status() == 400) {
      EXPECT_EQ(reply.error()["code"], "invalid_value");
    }
  }
  for (const char* list :
       {"/v1/organization/roles", "/v1/organization/groups", "/v1/organization/invites",
        "/v1/organization/admin_api_keys", "/v1/organization/audit_logs"}) {
    for (const char* query : {"?after=%FF", "?limit=%00", "?order=%C0%AF", "?event_types[]=%FF",
                              "?after=..%2F..%2F", "?after=%252e", "?limit=1e400",
                              "?limit=18446744073709551616", "?limit=-0", "?limit=1.0"}) {
      ExpectClientOutcome(Raw("GET", std::string(list) + query, ""), std::string(list) + query);
    }
  }
}

// --- bodies ----------------------------------------------------------------------------------

TEST_F(HostileInputTest, ContentTypesOtherThanJsonAreRefused) {
  const std::string body = json{{"role_name", "CT"}, {"permissions", json::array()}}.dump();
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/xml", "json", "application/", "\xff/\xfe"}) {
    SCOPED_TRACE(type);
    const api::Response response = Raw("POST", "/v1/organization/roles", body, type);
    EXPECT_EQ(response.status, 400);
    ExpectClientOutcome(response, type);
    EXPECT_EQ(json::parse(response.body)["error"]["code"], "unsupported_content_type");
  }
  // No content type, JSON with a charset, and vendor +json are read as JSON.
  EXPECT_EQ(Raw("POST", "/v1/organization/roles", body, "").status, 200);
  EXPECT_EQ(Raw("POST", "/v1/organization/roles",
                json{{"role_name", "CT2"}, {"permissions", json::array()}}.dump(),
                "Application/JSON; charset=utf-8")
                .status,
            200);
}

TEST_F(HostileInputTest, DuplicateKeysAreRefusedAtEveryDepth) {
  const Reply top = Post("/v1/organization/roles",
                         std::string(R"({"role_name":"a","permissions":[],"role_name":"b"})"));
  ExpectError(top, 400, "role_name", "duplicate_parameter");
  const Reply nested = Post(
      "/v1/organization/invites",
      std::string(
          R"({"email":"d@example.com","role":"reader","projects":[{"id":"p","role":"member","role":"owner"}]})"));
  ExpectError(nested, 400, "projects", "duplicate_parameter");
}

TEST_F(HostileInputTest, HugeAndOddNumbersAreRefusedClearly) {
  const std::string keys = "/v1/organization/admin_api_keys";
  const std::map<std::string, std::optional<std::string>> cases = {
      {"1e400", std::nullopt},  // not representable: "could not parse"
      {"18446744073709551616", "invalid_type"},
      {"18446744073709551615", "integer_above_max_value"},
      {"9223372036854775807", "integer_above_max_value"},
      {"-9223372036854775808", "integer_below_min_value"},
      {"-9223372036854775809", "invalid_type"},
      {"-0", "integer_below_min_value"},
      {"-0.0", "invalid_type"},
      {"60.0", "invalid_type"},
      {"6e1", "invalid_type"},
      {"0x10", std::nullopt},
      {"NaN", std::nullopt},
      {"Infinity", std::nullopt},
  };
  for (const auto& [number, code] : cases) {
    SCOPED_TRACE(number);
    const Reply reply = Post(keys, R"({"name":"n","expires_in_seconds":)" + number + "}");
    ExpectError(reply, 400, code ? std::optional<std::string>("expires_in_seconds") : std::nullopt,
                code);
  }
}

TEST_F(HostileInputTest, JsonDepthEdgeThroughTheRouter) {
  auto nested = [](int depth) {  // depth counts the top-level object
    return R"({"role_name":"deep","permissions":)" + std::string(depth - 1, '[') +
           std::string(depth - 1, ']') + "}";
  };
  // At the limit the body parses; `permissions` is then of the wrong type.
  ExpectError(Post("/v1/organization/roles", nested(api::limits::kMaxJsonDepth)), 400,
              "permissions", "invalid_type");
  ExpectError(Post("/v1/organization/roles", nested(api::limits::kMaxJsonDepth + 1)), 400,
              std::nullopt, "json_too_deep");
  // Half a megabyte of '[': refused as too deep, long before memory or stack matter.
  ExpectError(Post("/v1/organization/roles", nested(500'000)), 400, std::nullopt, "json_too_deep");
}

TEST_F(HostileInputTest, ArrayLengthEdgeThroughTheRouter) {
  auto permissions = [](std::size_t count) {
    json list = json::array();
    for (std::size_t i = 0; i < count; ++i) list.push_back("api.groups.read");
    return list;
  };
  const std::size_t limit = api::limits::kMaxJsonArrayItems;
  const Reply ok = Post("/v1/organization/roles",
                        json{{"role_name", "Many"}, {"permissions", permissions(limit)}});
  EXPECT_EQ(ok.status(), 200) << ok.response.body;
  EXPECT_EQ(ok.body["permissions"].size(), 1U);  // deduplicated
  ExpectError(Post("/v1/organization/roles",
                   json{{"role_name", "Too many"}, {"permissions", permissions(limit + 1)}}),
              400, "permissions", "array_too_long");
}

TEST_F(HostileInputTest, StoredTextLengthEdges) {
  const std::string role = "/v1/organization/roles/" + role_id_;
  EXPECT_EQ(Post(role, json{{"description", std::string(api::limits::kMaxDescriptionChars, 'd')}})
                .status(),
            200);
  ExpectError(
      Post(role, json{{"description", std::string(api::limits::kMaxDescriptionChars + 1, 'd')}}),
      400, "description", "invalid_value");
  const std::string user = "/v1/organization/users/" + member_id_;
  EXPECT_EQ(Post(user, json{{"technical_level", std::string(api::limits::kMaxMetadataChars, 't')}})
                .status(),
            200);
  ExpectError(
      Post(user, json{{"developer_persona", std::string(api::limits::kMaxMetadataChars + 1, 'p')}}),
      400, "developer_persona", "invalid_value");
}

TEST_F(HostileInputTest, NulInBodyStringsIsRefused) {
  // A role id with a NUL must not reach PostgreSQL, which would read only up to it.
  ExpectError(Post("/v1/organization/users/" + member_id_ + "/roles",
                   json{{"role_id", role_id_ + std::string(1, '\0') + "x"}}),
              400, "role_id", "invalid_value");
  ExpectError(Post("/v1/organization/roles",
                   json{{"role_name", std::string("a\0b", 3)}, {"permissions", json::array()}}),
              400, "role_name", "invalid_value");
}

}  // namespace
}  // namespace roster::apitest

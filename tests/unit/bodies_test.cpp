// Strict body validation (CONTRACT §3.4) and the per-endpoint decoders.
#include "api/json/bodies.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/json/body_parser.hpp"
#include "unit/error_matchers.hpp"

namespace roster::api::json {
namespace {

using ::roster::testing::ExpectBadRequest;
using ::testing::ElementsAre;

Request Post(std::string body, std::string content_type = "application/json") {
  Request request = Request::Make("POST", "/v1/x", std::move(body));
  request.content_type = std::move(content_type);
  return request;
}

// --- ParseObjectBody -------------------------------------------------------------------------

TEST(ParseObjectBodyTest, EmptyBodyIsEmptyObject) {
  EXPECT_EQ(ParseObjectBody(Post("")), Json::object());
  EXPECT_EQ(ParseObjectBody(Post(" \r\n\t")), Json::object());
  // Even with a foreign content type: there is nothing to misread.
  EXPECT_EQ(ParseObjectBody(Post("", "text/plain")), Json::object());
  EXPECT_EQ(ParseObjectBody(Post("", "")), Json::object());
}

TEST(ParseObjectBodyTest, ParsesObjects) {
  const Json body = ParseObjectBody(Post(R"({"a":1,"b":{"a":2,"c":3}})"));
  EXPECT_EQ(body["a"], 1);
  EXPECT_EQ(body["b"]["c"], 3);
}

TEST(ParseObjectBodyTest, InvalidJson) {
  for (const char* text : {"{", "{\"a\":}", "nope", "{\"a\":1} trailing", "{'a':1}",
                           "{\"a\":\"\xff\"}", "[1,]", "{\"a\":1,}"}) {
    ExpectBadRequest([&] { ParseObjectBody(Post(text)); }, std::nullopt, std::nullopt,
                     "We could not parse the JSON body of your request.");
  }
}

TEST(ParseObjectBodyTest, JsonThatIsNotAnObject) {
  for (const char* text : {"[]", "[{\"a\":1}]", "1", "\"x\"", "null", "true"}) {
    ExpectBadRequest([&] { ParseObjectBody(Post(text)); }, std::nullopt, "invalid_type");
  }
}

TEST(ParseObjectBodyTest, DuplicateTopLevelKey) {
  ExpectBadRequest([] { ParseObjectBody(Post(R"({"role":"owner","role":"reader"})")); }, "role",
                   "duplicate_parameter");
  ExpectBadRequest([] { ParseObjectBody(Post(R"({"a":1,"b":2,"a":1})")); }, "a",
                   "duplicate_parameter");
}

TEST(ParseObjectBodyTest, NestedRepeatsAreNotTopLevelDuplicates) {
  // The same key in different objects is no duplicate; a key repeated inside one nested object is
  // (tests/unit/input_limits_test.cpp RepeatedKeysAreRefusedAtEveryDepth).
  EXPECT_NO_THROW(ParseObjectBody(Post(R"({"x":0,"a":{"x":1},"b":[{"x":1},{"x":2}]})")));
  ExpectBadRequest([] { ParseObjectBody(Post(R"({"a":{"x":1,"x":2}})")); }, "a",
                   "duplicate_parameter");
}

TEST(ParseObjectBodyTest, ContentTypes) {
  for (const char* ok :
       {"application/json", "application/json; charset=utf-8", "Application/JSON",
        " application/json ", "application/merge-patch+json", "application/vnd.api+JSON;x=y", ""}) {
    EXPECT_NO_THROW(ParseObjectBody(Post("{}", ok))) << ok;
  }
  for (const char* bad : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                          "application/jsonx", "text/json", "application/+json", "json"}) {
    ExpectBadRequest([&] { ParseObjectBody(Post("{}", bad)); }, std::nullopt,
                     "unsupported_content_type");
  }
}

TEST(ParseObjectBodyTest, IsJsonContentType) {
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("application/problem+json"));
  EXPECT_FALSE(IsJsonContentType("application/"));
  EXPECT_FALSE(IsJsonContentType(""));
}

TEST(ParseObjectBodyTest, RejectUnknownFields) {
  const Json body = Json::parse(R"({"role":"owner","extra":1})");
  ExpectBadRequest([&] { RejectUnknownFields(body, {"role"}); }, "extra", "unknown_parameter");
  EXPECT_NO_THROW(RejectUnknownFields(body, {"role", "extra"}));
}

// --- DecodeModifyUser ------------------------------------------------------------------------

TEST(DecodeModifyUserTest, AllFields) {
  const storage::MemberPatch patch = DecodeModifyUser(Post(
      R"({"role":"reader","role_id":"role_x","technical_level":"hi","developer_persona":"dev"})"));
  EXPECT_EQ(patch.base_role, core::BaseRole::kReader);
  EXPECT_EQ(patch.role_id, "role_x");
  EXPECT_EQ(patch.technical_level, "hi");
  EXPECT_EQ(patch.developer_persona, "dev");
}

TEST(DecodeModifyUserTest, EmptyAndNullMeanUnchanged) {
  for (const char* text :
       {"", "{}",
        R"({"role":null,"role_id":null,"technical_level":null,"developer_persona":null})"}) {
    const storage::MemberPatch patch = DecodeModifyUser(Post(text));
    EXPECT_FALSE(patch.base_role.has_value());
    EXPECT_FALSE(patch.role_id.has_value());
    EXPECT_FALSE(patch.technical_level.has_value());
    EXPECT_FALSE(patch.developer_persona.has_value());
  }
}

TEST(DecodeModifyUserTest, OwnerRole) {
  EXPECT_EQ(DecodeModifyUser(Post(R"({"role":"owner"})")).base_role, core::BaseRole::kOwner);
}

TEST(DecodeModifyUserTest, RoleEnum) {
  for (const char* role : {"member", "admin", "Owner", "", " owner"}) {
    const std::string body = Json{{"role", role}}.dump();
    ExpectBadRequest([&] { DecodeModifyUser(Post(body)); }, "role", "invalid_value",
                     "'owner' and 'reader'");
  }
}

TEST(DecodeModifyUserTest, WrongTypes) {
  ExpectBadRequest([] { DecodeModifyUser(Post(R"({"role":1})")); }, "role", "invalid_type");
  ExpectBadRequest([] { DecodeModifyUser(Post(R"({"role_id":true})")); }, "role_id",
                   "invalid_type");
  ExpectBadRequest([] { DecodeModifyUser(Post(R"({"technical_level":[]})")); }, "technical_level",
                   "invalid_type");
  ExpectBadRequest([] { DecodeModifyUser(Post(R"({"developer_persona":{}})")); },
                   "developer_persona", "invalid_type");
}

TEST(DecodeModifyUserTest, UnknownField) {
  ExpectBadRequest([] { DecodeModifyUser(Post(R"({"role":"owner","name":"x"})")); }, "name",
                   "unknown_parameter");
}

// --- DecodeAssignUserRole --------------------------------------------------------------------

TEST(DecodeAssignUserRoleTest, RoleIdRequired) {
  EXPECT_EQ(DecodeAssignUserRole(Post(R"({"role_id":"role_1"})")), "role_1");
  ExpectBadRequest([] { DecodeAssignUserRole(Post("")); }, "role_id", "missing_required_parameter");
  ExpectBadRequest([] { DecodeAssignUserRole(Post("{}")); }, "role_id",
                   "missing_required_parameter");
  ExpectBadRequest([] { DecodeAssignUserRole(Post(R"({"role_id":null})")); }, "role_id",
                   "invalid_type");
  ExpectBadRequest([] { DecodeAssignUserRole(Post(R"({"role_id":5})")); }, "role_id",
                   "invalid_type");
  ExpectBadRequest([] { DecodeAssignUserRole(Post(R"({"role_id":"r","x":1})")); }, "x",
                   "unknown_parameter");
}

// --- DecodeCreateRole ------------------------------------------------------------------------

TEST(DecodeCreateRoleTest, SortsAndDedupesPermissionsAndTrimsName) {
  const storage::NewRole role = DecodeCreateRole(
      Post(R"({"role_name":"  Ops  ","permissions":["api.groups.write","api.groups.read",
              "api.groups.write"],"description":"d"})"),
      {});
  EXPECT_EQ(role.name, "Ops");
  EXPECT_THAT(role.permissions, ElementsAre("api.groups.read", "api.groups.write"));
  EXPECT_EQ(role.description, "d");
}

TEST(DecodeCreateRoleTest, EmptyPermissionsAndNullDescription) {
  const storage::NewRole role =
      DecodeCreateRole(Post(R"({"role_name":"R","permissions":[],"description":null})"), {});
  EXPECT_TRUE(role.permissions.empty());
  EXPECT_FALSE(role.description.has_value());
}

TEST(DecodeCreateRoleTest, MissingFields) {
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"permissions":[]})"), {}); }, "role_name",
                   "missing_required_parameter");
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":"x"})"), {}); }, "permissions",
                   "missing_required_parameter");
  ExpectBadRequest([] { DecodeCreateRole(Post(""), {}); }, "role_name",
                   "missing_required_parameter");
}

TEST(DecodeCreateRoleTest, RoleNameRules) {
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":"","permissions":[]})"), {}); },
                   "role_name", "invalid_value");
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":"   ","permissions":[]})"), {}); },
                   "role_name", "invalid_value");
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":null,"permissions":[]})"), {}); },
                   "role_name", "invalid_type");
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":7,"permissions":[]})"), {}); },
                   "role_name", "invalid_type");
  const std::string longest(kMaxRoleNameChars, 'x');
  EXPECT_EQ(
      DecodeCreateRole(
          Post(Json{{"role_name", " " + longest + " "}, {"permissions", Json::array()}}.dump()), {})
          .name,
      longest);
  const std::string too_long(kMaxRoleNameChars + 1, 'x');
  ExpectBadRequest(
      [&] {
        DecodeCreateRole(Post(Json{{"role_name", too_long}, {"permissions", Json::array()}}.dump()),
                         {});
      },
      "role_name", "invalid_value");
}

TEST(DecodeCreateRoleTest, RoleNameLengthCountsCharactersNotBytes) {
  std::string name;
  for (std::size_t i = 0; i < kMaxRoleNameChars; ++i) name += "\xc3\xa9";  // é, 2 bytes
  EXPECT_NO_THROW(
      DecodeCreateRole(Post(Json{{"role_name", name}, {"permissions", Json::array()}}.dump()), {}));
}

TEST(DecodeCreateRoleTest, PermissionTypes) {
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":"x"})"), {}); },
                   "permissions", "invalid_type");
  ExpectBadRequest([] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":null})"), {}); },
                   "permissions", "invalid_type");
  ExpectBadRequest(
      [] {
        DecodeCreateRole(Post(R"({"role_name":"x","permissions":["api.groups.read",1]})"), {});
      },
      "permissions", "invalid_type");
}

TEST(DecodeCreateRoleTest, UnknownPermissionNamedInMessage) {
  ExpectBadRequest(
      [] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":["api.made.up"]})"), {}); },
      "permissions", "invalid_value", "'api.made.up'");
}

TEST(DecodeCreateRoleTest, AcceptUnknownPermissionsStillChecksSyntax) {
  const PermissionPolicy lenient{true};
  EXPECT_THAT(
      DecodeCreateRole(Post(R"({"role_name":"x","permissions":["string","api.made.up"]})"), lenient)
          .permissions,
      ElementsAre("api.made.up", "string"));
  ExpectBadRequest(
      [&] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":["Not Valid"]})"), lenient); },
      "permissions", "invalid_value", "'Not Valid'");
}

TEST(DecodeCreateRoleTest, DescriptionType) {
  ExpectBadRequest(
      [] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":[],"description":1})"), {}); },
      "description", "invalid_type");
}

TEST(DecodeCreateRoleTest, UnknownField) {
  ExpectBadRequest(
      [] { DecodeCreateRole(Post(R"({"role_name":"x","permissions":[],"name":"y"})"), {}); },
      "name", "unknown_parameter");
}

// --- DecodeUpdateRole ------------------------------------------------------------------------

TEST(DecodeUpdateRoleTest, EmptyBodyChangesNothing) {
  for (const char* text :
       {"", "{}", R"({"role_name":null,"permissions":null,"description":null})"}) {
    const storage::RolePatch patch = DecodeUpdateRole(Post(text), {});
    EXPECT_FALSE(patch.name.has_value());
    EXPECT_FALSE(patch.permissions.has_value());
    EXPECT_FALSE(patch.description.has_value());
  }
}

TEST(DecodeUpdateRoleTest, AllFields) {
  const storage::RolePatch patch = DecodeUpdateRole(
      Post(R"({"role_name":" New ","permissions":["api.usage.read"],"description":"d"})"), {});
  EXPECT_EQ(patch.name, "New");
  ASSERT_TRUE(patch.permissions.has_value());
  EXPECT_THAT(*patch.permissions, ElementsAre("api.usage.read"));
  EXPECT_EQ(patch.description, "d");
}

TEST(DecodeUpdateRoleTest, EmptyPermissionsReplaceTheSet) {
  const storage::RolePatch patch = DecodeUpdateRole(Post(R"({"permissions":[]})"), {});
  ASSERT_TRUE(patch.permissions.has_value());
  EXPECT_TRUE(patch.permissions->empty());
}

TEST(DecodeUpdateRoleTest, Errors) {
  ExpectBadRequest([] { DecodeUpdateRole(Post(R"({"role_name":""})"), {}); }, "role_name",
                   "invalid_value");
  ExpectBadRequest([] { DecodeUpdateRole(Post(R"({"permissions":"x"})"), {}); }, "permissions",
                   "invalid_type");
  ExpectBadRequest([] { DecodeUpdateRole(Post(R"({"permissions":["nope.nope"]})"), {}); },
                   "permissions", "invalid_value");
  ExpectBadRequest([] { DecodeUpdateRole(Post(R"({"role":"x"})"), {}); }, "role",
                   "unknown_parameter");
  ExpectBadRequest([] { DecodeUpdateRole(Post("[]"), {}); }, std::nullopt, "invalid_type");
}

}  // namespace
}  // namespace roster::api::json

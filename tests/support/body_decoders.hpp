// Every JSON body decoder of api/json with a valid sample body: the table the hostile-body unit
// test and the decoder fuzz target (fuzz/fuzz_json_bodies.cpp) both run over. A new decoder goes
// here too.
#pragma once

#include <array>
#include <string_view>

#include "api/json/admin_key_bodies.hpp"
#include "api/json/bodies.hpp"
#include "api/json/group_bodies.hpp"
#include "api/json/invite_bodies.hpp"
#include "api/json/test_control_codecs.hpp"

namespace roster::testsupport {

struct BodyDecoder {
  std::string_view name;
  void (*decode)(const api::Request& request);  // throws core::Error on a refused body
  std::string_view sample;                      // a body the decoder accepts
};

inline constexpr api::json::PermissionPolicy kStrict{false};
inline constexpr api::json::PermissionPolicy kLenient{true};

inline constexpr std::array kBodyDecoders = {
    BodyDecoder{
        "ModifyUser", [](const api::Request& r) { api::json::DecodeModifyUser(r); },
        R"({"role":"reader","role_id":"role-x","technical_level":"t","developer_persona":"p"})"},
    BodyDecoder{"AssignUserRole", [](const api::Request& r) { api::json::DecodeAssignUserRole(r); },
                R"({"role_id":"role-x"})"},
    BodyDecoder{"CreateRole",
                [](const api::Request& r) { api::json::DecodeCreateRole(r, kStrict); },
                R"({"role_name":"R","permissions":["api.groups.read"],"description":"d"})"},
    BodyDecoder{"CreateRoleLenient",
                [](const api::Request& r) { api::json::DecodeCreateRole(r, kLenient); },
                R"({"role_name":"R","permissions":["x.y_z"],"description":null})"},
    BodyDecoder{"UpdateRole",
                [](const api::Request& r) { api::json::DecodeUpdateRole(r, kStrict); },
                R"({"role_name":"R","permissions":["api.groups.read"],"description":"d"})"},
    BodyDecoder{"GroupName", [](const api::Request& r) { api::json::DecodeGroupName(r); },
                R"({"name":"G"})"},
    BodyDecoder{"AddGroupUser", [](const api::Request& r) { api::json::DecodeAddGroupUser(r); },
                R"({"user_id":"user-x"})"},
    BodyDecoder{"AssignGroupRole",
                [](const api::Request& r) { api::json::DecodeAssignGroupRole(r); },
                R"({"role_id":"role-x"})"},
    BodyDecoder{"CreateInvite", [](const api::Request& r) { api::json::DecodeCreateInvite(r); },
                R"({"email":"a@b.c","role":"reader","projects":[{"id":"p","role":"member"}]})"},
    BodyDecoder{"AcceptInvite", [](const api::Request& r) { api::json::DecodeAcceptInvite(r); },
                R"({"token":"t","name":"N"})"},
    BodyDecoder{"CreateAdminKey", [](const api::Request& r) { api::json::DecodeCreateAdminKey(r); },
                R"({"name":"k","expires_in_seconds":60})"},
    BodyDecoder{"ClockChange", [](const api::Request& r) { api::json::DecodeClockChange(r); },
                R"({"advance_seconds":60})"},
    BodyDecoder{
        "Fault", [](const api::Request& r) { api::json::DecodeFault(r); },
        R"({"method":"GET","route":"/v1/organization/users","status":503,"retry_after_ms":10,"count":2})"},
};

}  // namespace roster::testsupport

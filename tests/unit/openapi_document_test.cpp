// GET /v1/openapi.json: the document and the routes table describe the same set of routes.
#include "api/json/openapi_document.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "api/routes.hpp"

namespace roster::api {
namespace {

using nlohmann::json;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApiDocumentTest, EveryRouteAndNothingElse) {
  const json doc = json::parse(api::json::OpenApiDocument());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::pair<std::string, std::string>> in_doc;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      in_doc.emplace(method, path);
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  std::set<std::pair<std::string, std::string>> in_table;
  for (const Route& route : Routes()) in_table.emplace(Lower(route.method), route.pattern);
  EXPECT_EQ(in_doc, in_table);
}

TEST(OpenApiDocumentTest, OpenAiRoutesKeepTheUpstreamOperation) {
  const json doc = json::parse(api::json::OpenApiDocument());
  const json& paths = doc["paths"];
  EXPECT_EQ(paths["/v1/organization/users"]["get"]["operationId"], "list-users");
  EXPECT_EQ(paths["/v1/organization/admin_api_keys/{key_id}"]["delete"]["operationId"],
            "admin-api-keys-delete");
  // Upstream paths Roster does not serve are not described.
  EXPECT_FALSE(paths.contains("/v1/organization/projects"));
  EXPECT_FALSE(paths.contains("/organization/users"));
  // Roster's own routes: tagged, keyless ones without security.
  const json& healthz = paths["/healthz"]["get"];
  EXPECT_EQ(healthz["tags"], json::array({"Roster"}));
  EXPECT_EQ(healthz["security"], json::array());
  const json& restore = paths["/roster/test/snapshots/{name}/restore"]["post"];
  EXPECT_EQ(restore["parameters"][0]["name"], "name");
  EXPECT_EQ(doc["servers"][0]["url"], "/");
  // Every $ref still resolves inside the document.
  const std::string text = doc.dump();
  std::size_t at = 0;
  while ((at = text.find("\"$ref\":\"#/", at)) != std::string::npos) {
    const std::size_t start = at + 9;  // the '/' after "#
    const std::size_t end = text.find('"', start);
    const json::json_pointer pointer(text.substr(start, end - start));
    EXPECT_TRUE(doc.contains(pointer)) << pointer.to_string();
    at = end;
  }
}

}  // namespace
}  // namespace roster::api

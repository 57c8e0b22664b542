// The OpenAPI document of this server: the upstream subset filtered to the routes table.
#include "api/json/openapi_document.hpp"

#include <cctype>

#include "api/json/json_text.hpp"
#include "api/routes.hpp"

namespace roster::api::json {
namespace {

constexpr std::string_view kApiPrefix = "/v1";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `roster-get-roster-test-clock` from GET /roster/test/clock.
std::string OperationId(const Route& route) {
  std::string id = "roster-" + Lower(route.method);
  for (char c : route.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      id += c;
    } else if (c == '/' || c == '_' || c == '.') {
      if (!id.ends_with('-')) id += '-';
    }
  }
  while (id.ends_with('-')) id.pop_back();
  return id;
}

// A minimal operation for a route the upstream subset does not describe.
Json RosterOperation(const Route& route) {
  Json operation{
      {"operationId", OperationId(route)},
      {"summary", "Roster: " + std::string(route.method) + " " + std::string(route.pattern)},
      {"tags", Json::array({"Roster"})},
      {"responses", {{"200", {{"description", "OK"}}}}}};
  Json parameters = Json::array();
  std::string_view rest = route.pattern;
  while (true) {
    const std::size_t open = rest.find('{');
    if (open == std::string_view::npos) break;
    const std::size_t close = rest.find('}', open);
    parameters.push_back({{"name", std::string(rest.substr(open + 1, close - open - 1))},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
    rest.remove_prefix(close + 1);
  }
  if (!parameters.empty()) operation["parameters"] = std::move(parameters);
  // Keyless routes override the document's default security (the admin key).
  if (route.access == Access::kPublic) operation["security"] = Json::array();
  return operation;
}

std::string Build() {
  Json spec = Json::parse(EmbeddedOpenApiSubset());
  const Json& upstream = spec.at("paths");
  Json paths = Json::object();
  for (const Route& route : Routes()) {
    const std::string method = Lower(route.method);
    const std::string pattern(route.pattern);
    Json& item = paths[pattern];
    if (pattern.starts_with(std::string(kApiPrefix) + "/")) {
      const std::string upstream_path = pattern.substr(kApiPrefix.size());
      const auto it = upstream.find(upstream_path);
      if (it != upstream.end() && it->contains(method)) {
        item[method] = it->at(method);
        continue;
      }
    }
    item[method] = RosterOperation(route);
  }
  spec["paths"] = std::move(paths);
  spec["servers"] = Json::array({{{"url", "/"}, {"description", "this Roster server"}}});
  spec["info"]["title"] = "Roster";
  spec["info"]["description"] =
      "The routes this Roster server serves: OpenAI Admin API operations (upstream text) and "
      "Roster's own routes (tag Roster).";
  spec["tags"].push_back(
      {{"name", "Roster"}, {"description", "Roster's own routes, outside the OpenAI API."}});
  return Dump(spec);
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string document = Build();
  return document;
}

}  // namespace roster::api::json

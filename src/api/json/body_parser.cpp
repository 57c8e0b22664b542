// Strict JSON body reading: content type, syntax, top-level object, duplicate keys.
#include "api/json/body_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_set>

#include "core/error.hpp"

namespace roster::api::json {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

constexpr std::string_view kUnparsableBody =
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
    "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was "
    "not valid JSON. If you have trouble figuring out how to fix this, please contact us through "
    "our help center at help.openai.com.)";

std::string_view Trim(std::string_view text) noexcept {
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

}  // namespace

bool IsJsonContentType(std::string_view content_type) noexcept {
  const std::string_view media = Trim(content_type.substr(0, content_type.find(';')));
  constexpr std::string_view kApplication = "application/";
  if (media.size() <= kApplication.size()) return false;
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  auto equals_ci = [&](std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == y; });
  };
  if (!equals_ci(media.substr(0, kApplication.size()), kApplication)) return false;
  const std::string_view subtype = media.substr(kApplication.size());
  if (equals_ci(subtype, "json")) return true;
  constexpr std::string_view kSuffix = "+json";
  return subtype.size() > kSuffix.size() &&
         equals_ci(subtype.substr(subtype.size() - kSuffix.size()), kSuffix);
}

Json ParseObjectBody(const Request& request) {
  const std::string_view body = Trim(request.body);
  if (body.empty()) return Json::object();

  const std::string_view content_type = Trim(request.content_type);
  if (!content_type.empty() && !IsJsonContentType(content_type)) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Invalid Content-Type header (" + std::string(content_type) +
                          "). This endpoint only accepts request bodies with 'Content-Type: "
                          "application/json'.",
                      std::nullopt, "unsupported_content_type");
  }

  // nlohmann keeps the last of repeated keys silently; the parser callback sees every key, so a
  // repeated top-level key (depth 1) is caught without a hand-written parser.
  std::optional<std::string> duplicate;
  std::unordered_set<std::string> seen;
  auto watch_keys = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 && !duplicate) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!seen.insert(key).second) duplicate = key;
    }
    return true;
  };
  Json value = Json::parse(body, watch_keys, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    throw core::Error(core::ErrorKind::kInvalidRequest, std::string(kUnparsableBody));
  }
  if (!value.is_object()) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Invalid type for request body: expected an object, but got " +
                          DescribeType(value) + " instead.",
                      std::nullopt, std::string(core::codes::kInvalidType));
  }
  if (duplicate) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Duplicate parameter: '" + *duplicate + "' appears more than once.",
                      *duplicate, "duplicate_parameter");
  }
  return value;
}

void RejectUnknownFields(const Json& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw core::Error(core::ErrorKind::kInvalidRequest,
                        "Unrecognized request argument supplied: " + key, key,
                        std::string(core::codes::kUnknownParameter));
    }
  }
}

}  // namespace roster::api::json

// Strict JSON body reading: content type, syntax, top-level object, duplicate keys.
#include "api/json/body_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "api/input_limits.hpp"
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

// Watches the parser's events (nlohmann's callback: `depth` is the number of open containers
// before a start event and inside them for keys and values) and throws 400 when the body breaks a
// limit: nesting, array length, or a NUL character in a string (it would be cut short by C-string
// database APIs and is never meaningful in an id, a name or an email).
class BodyLimits {
 public:
  void Observe(int depth, Json::parse_event_t event, const Json& parsed) {
    using Event = Json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        CountElement(depth);
        if (depth + 1 > limits::kMaxJsonDepth) {
          throw core::Error(core::ErrorKind::kInvalidRequest,
                            "The JSON body of your request is nested too deeply (more than " +
                                std::to_string(limits::kMaxJsonDepth) + " levels).",
                            std::nullopt, "json_too_deep");
        }
        open_.emplace_back();
        open_.back().array = event == Event::array_start;
        break;
      case Event::object_end:
      case Event::array_end:
        if (!open_.empty()) open_.pop_back();
        break;
      case Event::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (depth == 1) field_ = key;
        RejectNul(key);
        // Repeated keys of nested objects (`projects[0]`); the top level's are ParseObjectBody's.
        if (depth >= 2 && static_cast<std::size_t>(depth) <= open_.size() && !nested_duplicate_ &&
            !open_[static_cast<std::size_t>(depth) - 1].keys.insert(key).second) {
          nested_duplicate_ = key;
          field_of_duplicate_ = field_;
        }
        break;
      }
      case Event::value:
        CountElement(depth);
        if (parsed.is_string()) RejectNul(parsed.get_ref<const std::string&>());
        break;
    }
  }

  // A repeated key inside a nested object, and the top-level field it is under.
  std::optional<std::pair<std::string, std::string>> NestedDuplicate() const {
    if (!nested_duplicate_) return std::nullopt;
    return std::make_pair(field_of_duplicate_, *nested_duplicate_);
  }

 private:
  struct Open {
    bool array = false;
    std::size_t items = 0;
    std::unordered_set<std::string> keys{};
  };

  std::optional<std::string> Param() const {
    return field_.empty() ? std::nullopt : std::optional<std::string>(field_);
  }

  // An element of the container open at level `depth` (when that container is an array).
  void CountElement(int depth) {
    if (depth <= 0 || static_cast<std::size_t>(depth) > open_.size()) return;
    Open& parent = open_[static_cast<std::size_t>(depth) - 1];
    if (parent.array && ++parent.items > limits::kMaxJsonArrayItems) {
      throw core::Error(core::ErrorKind::kInvalidRequest,
                        "Invalid value" +
                            (field_.empty() ? std::string() : " for '" + field_ + "'") +
                            ": array too long. Expected at most " +
                            std::to_string(limits::kMaxJsonArrayItems) + " items.",
                        Param(), "array_too_long");
    }
  }

  void RejectNul(const std::string& text) const {
    if (text.find('\0') == std::string::npos) return;
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Invalid value" + (field_.empty() ? std::string() : " for '" + field_ + "'") +
                          ": strings must not contain the NUL character (\\u0000).",
                      Param(), std::string(core::codes::kInvalidValue));
  }

  std::vector<Open> open_;
  std::string field_;  // the top-level key being parsed, for `param`
  std::optional<std::string> nested_duplicate_;
  std::string field_of_duplicate_;
};

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
  // repeated top-level key (depth 1) is caught without a hand-written parser. The same callback
  // enforces the limits of api/input_limits.hpp while parsing: it throws before a too deep or too
  // long structure is built.
  std::optional<std::string> duplicate;
  std::unordered_set<std::string> seen;
  BodyLimits checks;
  auto watch = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::key && depth == 1 && !duplicate) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!seen.insert(key).second) duplicate = key;
    }
    checks.Observe(depth, event, parsed);
    return true;
  };
  Json value = Json::parse(body, watch, /*allow_exceptions=*/false);
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
  if (const auto nested = checks.NestedDuplicate()) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Duplicate parameter: '" + nested->second + "' appears more than once in '" +
                          nested->first + "'.",
                      nested->first, "duplicate_parameter");
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

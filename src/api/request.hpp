// The transport-independent HTTP request and response that the API layer works on. transport/
// converts Beast messages to and from these; nothing in api/ sees Beast.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace roster::api {

// A decoded query string. Keys and values are percent-decoded ('+' is a space). Arrays arrive as
// `key[]=v` (the SDKs) or as repeated `key=v` (hand-written URLs); both are read by GetAll(key).
class Query {
 public:
  Query() = default;
  // Parses the part of a target after '?'. Malformed percent-escapes are kept literally.
  static Query Parse(std::string_view raw);

  // The last value of `key` (not `key[]`), or nullopt.
  std::optional<std::string> Get(std::string_view key) const;
  // Every value of `key[]` and of `key`, in order of appearance.
  std::vector<std::string> GetAll(std::string_view key) const;
  bool Has(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Percent-decodes `in`; with `plus_is_space`, '+' becomes ' '. Returns nullopt on a malformed
// escape (`%zz`, truncated `%4`).
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

// True when `text` is well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text) noexcept;

struct Request {
  std::string method;  // "GET", "POST", "DELETE", …
  std::string target;  // raw request target as received, e.g. "/v1/organization/users?limit=2"
  std::string path;    // raw path part of target (not percent-decoded)
  Query query;
  std::string authorization;                       // raw `Authorization` header ("" if absent)
  std::string content_type;                        // raw `Content-Type` header ("" if absent)
  std::optional<std::string> openai_organization;  // `OpenAI-Organization`, if sent
  std::string if_none_match;                       // raw `If-None-Match` ("" if absent)
  std::string body;
  // The client's address as the transport saw it (IP text, no port); "" when unknown (in-process
  // callers). Keys the failed-authentication throttle (api/auth_throttle.hpp).
  std::string peer;

  // Splits `target` into path and query. Used by transport and by tests.
  static Request Make(std::string method, std::string target, std::string body = {},
                      std::string authorization = {});
};

struct Response {
  int status = 200;
  std::string body;  // JSON (the console's pages and assets: their own content_type)
  std::string content_type = "application/json";
  // Extra headers (x-request-id, retry-after, x-should-retry, …), lowercase names.
  std::vector<std::pair<std::string, std::string>> headers;

  // The value of an extra header, or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

}  // namespace roster::api

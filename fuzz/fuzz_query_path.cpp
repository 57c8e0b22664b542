// Fuzz target: query-string and path parsing (api/request.hpp, api/list_params.hpp,
// api/routes.hpp). The first byte picks the method, the rest is a request target. Oracles: only
// 400 core::Errors; a matched route's parameters are UTF-8 text without control characters; a
// parsed `limit` lies within its rule; IsValidUtf8 agrees with nlohmann's strict serializer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "api/list_params.hpp"
#include "api/request.hpp"
#include "api/routes.hpp"
#include "core/error.hpp"

namespace {

[[noreturn]] void Finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "finding: %s: %s\n", what, detail.c_str());
  std::abort();
}

// nlohmann's strict dump throws type_error 316 exactly on ill-formed UTF-8.
bool NlohmannAcceptsUtf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

void CheckUtf8Agreement(const std::string& text) {
  if (roster::api::IsValidUtf8(text) != NlohmannAcceptsUtf8(text)) {
    Finding("IsValidUtf8 disagrees with nlohmann", text);
  }
}

template <typename Call>
void ExpectOnly400(const char* what, Call&& call) {
  try {
    call();
  } catch (const roster::core::Error& error) {
    if (error.kind() != roster::core::ErrorKind::kInvalidRequest) Finding(what, error.message());
  } catch (const std::exception& error) {
    Finding(what, error.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace roster::api;
  if (size < 1) return 0;
  static constexpr const char* kMethods[] = {"GET", "POST", "DELETE", "PUT"};
  const std::string method = kMethods[data[0] % std::size(kMethods)];
  const std::string target(reinterpret_cast<const char*>(data + 1), size - 1);

  const Request request = Request::Make(method, target);
  CheckUtf8Agreement(target);
  if (auto match = MatchRoute(method, request.path)) {
    for (const std::string& param : match->params) {
      if (!IsValidUtf8(param)) Finding("route parameter is not UTF-8", param);
      for (const char c : param) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) Finding("control byte", param);
      }
    }
  }
  for (const bool plus : {false, true}) {
    if (auto decoded = PercentDecode(request.path, plus)) CheckUtf8Agreement(*decoded);
  }
  ExpectOnly400("ValidateQuery", [&] { ValidateQuery(request.query); });
  for (const LimitRule& rule : {kUsersLimit, kRolesLimit}) {
    ExpectOnly400("ParseLimit", [&] {
      const int limit = ParseLimit(request.query, rule);
      if (limit < rule.min || limit > rule.max || (limit == 0 && rule.zero_means_default)) {
        Finding("limit outside its rule", std::to_string(limit));
      }
    });
  }
  ExpectOnly400("ParseOrder", [&] { ParseOrder(request.query, roster::core::SortOrder::kAsc); });
  ExpectOnly400("ParseAfter", [&] { ParseAfter(request.query); });
  for (const auto& [key, value] : request.query.pairs()) {
    (void)request.query.GetAll(key);
    CheckUtf8Agreement(value);
  }
  return 0;
}

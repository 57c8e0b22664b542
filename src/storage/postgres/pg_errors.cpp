// SQLSTATE → core::Error. Codes only: messages vary between server versions and locales.
#include "storage/postgres/pg_errors.hpp"

#include <string>

namespace roster::storage::postgres {
namespace {

core::Error Unavailable(std::string detail) {
  return core::Error(core::ErrorKind::kUnavailable, std::string(kUnavailableMessage), std::nullopt,
                     std::nullopt, std::move(detail));
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

core::Error MapError(std::string_view sqlstate, bool connection_lost,
                     std::string_view driver_message, std::string_view context,
                     UniqueMeaning unique) {
  std::string detail = "postgres error " +
                       (sqlstate.empty() ? std::string("(none)") : std::string(sqlstate)) + ": " +
                       std::string(driver_message);
  if (!context.empty()) detail += " [" + std::string(context.substr(0, 200)) + "]";

  if (sqlstate == "40001" || sqlstate == "40P01") throw RetryableError(detail);
  if (connection_lost || sqlstate.empty() || StartsWith(sqlstate, "08") ||
      StartsWith(sqlstate, "53") || StartsWith(sqlstate, "58") || sqlstate == "25006" ||
      sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "55P03" ||
      sqlstate == "57014") {
    return Unavailable(std::move(detail));
  }
  if (sqlstate == "23505" && unique == UniqueMeaning::kRoleNameTaken) {
    // The store checks names before writing; this is the race-free backstop of the unique index.
    return core::BusinessRule(std::string(core::codes::kRoleNameTaken),
                              "A role with this name already exists in the organization.",
                              "role_name");
  }
  return InternalError(std::move(detail));
}

core::Error ConnectFailed(std::string detail) {
  return Unavailable("postgres connection failed: " + std::move(detail));
}

core::Error InternalError(std::string detail) {
  return core::Error(core::ErrorKind::kInternal, std::string(kInternalMessage), std::nullopt,
                     std::nullopt, std::move(detail));
}

}  // namespace roster::storage::postgres

// SQLite result code → core::Error. Codes only: messages vary between SQLite versions and locales.
#include "storage/sqlite/sqlite_errors.hpp"

#include <sqlite3.h>

#include <string>

namespace roster::storage::sqlite {

core::Error MapError(int extended_code, std::string_view driver_message, std::string_view context,
                     UniqueMeaning unique) {
  std::string detail = "sqlite error " + std::to_string(extended_code) + " (" +
                       sqlite3_errstr(extended_code) + "): " + std::string(driver_message);
  if (!context.empty()) detail += " [" + std::string(context) + "]";

  switch (extended_code & 0xFF) {
    // Transient or environmental: another writer holds the lock beyond busy_timeout, the disk is
    // full or failing, the file went read-only or away. The client may retry later.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:  // WAL lock race that outlasted SQLite's own retries
      return core::Error(core::ErrorKind::kUnavailable, std::string(kUnavailableMessage),
                         std::nullopt, std::nullopt, std::move(detail));
    default:
      break;
  }
  if (extended_code == SQLITE_CONSTRAINT_UNIQUE && unique == UniqueMeaning::kRoleNameTaken) {
    // The store checks names before writing; this is the race-free backstop of the unique index.
    return core::BusinessRule(std::string(core::codes::kRoleNameTaken),
                              "A role with this name already exists in the organization.",
                              "role_name");
  }
  return core::Error(core::ErrorKind::kInternal, std::string(kInternalMessage), std::nullopt,
                     std::nullopt, std::move(detail));
}

core::Error InternalError(std::string detail) {
  return core::Error(core::ErrorKind::kInternal, std::string(kInternalMessage), std::nullopt,
                     std::nullopt, std::move(detail));
}

}  // namespace roster::storage::sqlite

// What the shell commands share: exit codes, the refusal type they report, opening the store and
// choosing the organization a command acts on.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/clock.hpp"
#include "core/model.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

namespace roster::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and was refused or failed
inline constexpr int kExitUsage = 2;    // bad flags or arguments

inline constexpr const char* kDefaultDbPath = "./roster.db";

// A refusal worth a one-line message on stderr and exit code `exit_code`.
class CommandError : public std::runtime_error {
 public:
  explicit CommandError(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// The clock every command uses.
const core::Clock& SystemClock();

// Opens (creating and migrating if needed) the store named by `db`: a PostgreSQL database for a
// `postgres://` / `postgresql://` URL, else the SQLite file at that path. `pool_size` bounds the
// connections. Throws core::Error (kUnavailable when the database cannot be reached).
std::unique_ptr<storage::Store> OpenStore(const std::string& db, int pool_size);

// The organization named by `org_id`, or the only one in the store. Throws CommandError when it
// does not exist, when the store is empty, or when there are several and none was named (the
// message lists them).
core::Organization ResolveOrganization(storage::Store& store,
                                       const std::optional<std::string>& org_id);

}  // namespace roster::app

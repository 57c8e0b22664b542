// `roster backup --to FILE` and `roster restore --from FILE`: consistent copies of a SQLite
// store with SQLite's online backup API.
#pragma once

#include <string>

namespace roster::app {

// Copies the live database at `db` to `to` (replaced atomically) while a server may keep
// writing; prints what it wrote. Returns the exit code.
int Backup(const std::string& db, const std::string& to);

// Replaces the database at `db` with the backup `from` (checked first). Stop the server first:
// a running server keeps serving its own connections' view. Returns the exit code.
int Restore(const std::string& db, const std::string& from);

}  // namespace roster::app

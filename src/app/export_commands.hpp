// `roster export` and `roster import`: the whole database as JSON Lines
// (storage/export_format.hpp), to move a deployment between backends (SQLite → PostgreSQL).
#pragma once

#include <optional>
#include <string>

namespace roster::app {

// Writes every row of `db` to `out` (replaced atomically: written to `out.tmp`, then renamed),
// or to stdout when `out` is nullopt; a summary goes to stderr. Returns the exit code.
int Export(const std::string& db, const std::optional<std::string>& out);

// Loads the export file `in` into `db`, which must be empty (freshly created or migrated), in
// one transaction: on any error nothing is written. Returns the exit code.
int Import(const std::string& db, const std::string& in);

}  // namespace roster::app

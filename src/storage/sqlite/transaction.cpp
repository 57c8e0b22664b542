// RAII transaction guard over cached BEGIN/COMMIT/ROLLBACK statements.
#include "storage/sqlite/transaction.hpp"

#include "storage/sqlite/sql.hpp"

namespace roster::storage::sqlite {

Transaction::Transaction(Connection& connection, Mode mode) : connection_(connection) {
  connection_.Prepare(mode == Mode::kWrite ? kBeginImmediate : kBeginDeferred).Run();
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back on its own.
    if (!connection_.InAutocommit()) connection_.Prepare(kRollback).Run();
  } catch (...) {
    // Nothing useful to do: the connection stays usable, and the original error is in flight.
  }
}

void Transaction::Commit() {
  connection_.Prepare(kCommit).Run();
  done_ = true;
}

}  // namespace roster::storage::sqlite

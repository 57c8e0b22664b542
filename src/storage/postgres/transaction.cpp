// RAII transaction guard.
#include "storage/postgres/transaction.hpp"

#include "storage/postgres/sql.hpp"

namespace roster::storage::postgres {

Transaction::Transaction(Connection& connection, Mode mode, std::string_view writer_lock)
    : connection_(connection) {
  if (mode == Mode::kWrite && !writer_lock.empty()) {
    connection_.Prepare(kLockWriter).BindText(1, writer_lock).Run();
    lock_ = std::string(writer_lock);
  }
  try {
    connection_.Execute(mode == Mode::kWrite ? kBeginWrite : kBeginRead);
  } catch (...) {
    Unlock();
    throw;
  }
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      if (!connection_.Broken() && connection_.InTransaction()) connection_.Execute(kRollback);
    } catch (...) {
      // The pool closes a connection left in a transaction; the original error is in flight.
    }
  }
  Unlock();
}

void Transaction::Commit() {
  done_ = true;  // a failed COMMIT has ended the transaction too
  connection_.Execute(kCommit);
}

void Transaction::Unlock() noexcept {
  if (lock_.empty()) return;
  try {
    if (connection_.Broken() || connection_.InTransaction()) {
      connection_.Discard();
    } else {
      connection_.Prepare(kUnlockWriter).BindText(1, lock_).Run();
    }
  } catch (...) {
    // A connection that could not unlock goes back to no one: closing it releases the lock.
    connection_.Discard();
  }
  lock_.clear();
}

}  // namespace roster::storage::postgres

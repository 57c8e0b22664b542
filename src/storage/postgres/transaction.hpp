// RAII transaction: BEGIN on construction, ROLLBACK on scope exit unless committed.
#pragma once

#include <string>
#include <string_view>

#include "storage/postgres/connection.hpp"

namespace roster::storage::postgres {

class Transaction {
 public:
  enum class Mode {
    // REPEATABLE READ, READ ONLY: one snapshot for multi-statement reads.
    kRead,
    // SERIALIZABLE: the checks a write makes (last owner, name taken) hold at commit, as under
    // SQLite's single writer; a conflicting concurrent write fails with 40001 and the whole
    // operation is retried by PostgresStore.
    kWrite,
  };

  // A write with `writer_lock` (the organization id) first takes a session-level advisory lock
  // on it, before BEGIN, so the writers of one organization run one after another (on every
  // node) with a snapshot taken after the previous one committed: under contention they queue
  // instead of failing serialization and retrying. SERIALIZABLE remains the guarantee (for
  // writes across organizations, e.g. accounts); the lock is only the fast path.
  Transaction(Connection& connection, Mode mode, std::string_view writer_lock = {});
  // Rolls back when Commit() was not reached (an exception is unwinding). Never throws.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit();

 private:
  void Unlock() noexcept;

  Connection& connection_;
  std::string lock_;  // the advisory lock held, if any
  bool done_ = false;
};

}  // namespace roster::storage::postgres

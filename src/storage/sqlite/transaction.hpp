// RAII transaction: BEGIN on construction, ROLLBACK on scope exit unless committed.
#pragma once

#include "storage/sqlite/connection.hpp"

namespace roster::storage::sqlite {

class Transaction {
 public:
  enum class Mode {
    // BEGIN DEFERRED: a consistent snapshot for multi-statement reads; never takes the write lock.
    kRead,
    // BEGIN IMMEDIATE: takes the write lock up front (waiting up to busy_timeout), so the checks
    // a write makes (last owner, name taken) cannot be invalidated before it commits, and a
    // deferred upgrade can never fail with SQLITE_BUSY_SNAPSHOT halfway through.
    kWrite,
  };

  Transaction(Connection& connection, Mode mode);
  // Rolls back when Commit() was not reached (an exception is unwinding). Never throws.
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Commits. Every Statement of the transaction must be out of scope (reset) by now.
  void Commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace roster::storage::sqlite

// Group commit of write transactions (see group_commit.hpp).
#include "storage/sqlite/group_commit.hpp"

#include <sqlite3.h>

#include <string_view>
#include <utility>

#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/sqlite_errors.hpp"

namespace roster::storage::sqlite {
namespace {

constexpr std::string_view kSavepoint = "SAVEPOINT roster_write";
constexpr std::string_view kReleaseSavepoint = "RELEASE roster_write";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO roster_write";

}  // namespace

GroupCommitter::GroupCommitter(ConnectionPool& pool, std::unique_ptr<Connection> writer)
    : pool_(pool), writer_(std::move(writer)) {}

void GroupCommitter::FinishBatch(std::exception_ptr failure) noexcept {
  if (!current_) return;
  if (!failure) {
    try {
      writer_->Prepare(kCommit).Run();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  if (failure) {
    try {
      if (!writer_->InAutocommit()) writer_->Prepare(kRollback).Run();
    } catch (...) {
      // The connection rolls back on its own when it can; the members get `failure` either way.
    }
  }
  if (!failure) {
    writes_ += static_cast<std::uint64_t>(current_->members);
    ++batches_;
  }
  current_->failure = failure;
  current_->finished = true;
  current_.reset();
  finished_.notify_all();
}

void GroupCommitter::SettleBatch() noexcept {
  if (!current_) return;
  if (writer_->InAutocommit()) {
    // SQLite rolled the whole batch back after an error: every member's write is gone.
    FinishBatch(std::make_exception_ptr(
        MapError(SQLITE_IOERR, "the batch transaction was rolled back by SQLite", "group commit")));
  } else if (queued_.load() == 0 || current_->members >= kMaxBatch) {
    FinishBatch(nullptr);
  }
}

void GroupCommitter::ExecuteOnWriter(std::string_view sql) {
  if (!writer_) {
    auto lease = pool_.Acquire();
    lease->Execute(sql);
    return;
  }
  ++queued_;
  const std::lock_guard<std::mutex> lock(mutex_);
  --queued_;
  FinishBatch(nullptr);  // its members wait for a COMMIT that no one else would lead now
  writer_->Execute(sql);
}

WriteTransaction::WriteTransaction(GroupCommitter& committer) : committer_(committer) {
  GroupCommitter& c = committer_;
  if (!c.writer_) {
    // A Lease cannot move; `new` initializes it in place from Acquire()'s result.
    lease_.reset(new ConnectionPool::Lease(c.pool_.Acquire()));
    connection_ = &**lease_;
    connection_->Prepare(kBeginImmediate).Run();
    return;
  }
  ++c.queued_;
  lock_ = std::unique_lock<std::mutex>(c.mutex_);
  --c.queued_;
  connection_ = c.writer_.get();
  try {
    if (!c.current_) {
      connection_->Prepare(kBeginImmediate).Run();
      c.current_ = std::make_shared<GroupCommitter::Batch>();
    }
    batch_ = c.current_;
    connection_->Prepare(kSavepoint).Run();
  } catch (...) {
    c.SettleBatch();  // do not leave a batch open that no one will finish
    throw;
  }
}

WriteTransaction::~WriteTransaction() {
  if (done_) return;
  if (lease_) {
    try {
      if (!connection_->InAutocommit()) connection_->Prepare(kRollback).Run();
    } catch (...) {
      // The connection stays usable; the original error is in flight.
    }
    return;
  }
  try {
    if (!connection_->InAutocommit()) {
      connection_->Prepare(kRollbackToSavepoint).Run();
      connection_->Prepare(kReleaseSavepoint).Run();
    }
  } catch (...) {
    // SettleBatch fails the batch if SQLite had to roll all of it back.
  }
  committer_.SettleBatch();
}

void WriteTransaction::Commit() {
  if (lease_) {
    connection_->Prepare(kCommit).Run();
    done_ = true;
    ++committer_.writes_;
    ++committer_.batches_;
    return;
  }
  connection_->Prepare(kReleaseSavepoint).Run();  // on failure the destructor rolls back
  done_ = true;
  ++batch_->members;
  committer_.SettleBatch();
  const std::shared_ptr<GroupCommitter::Batch> batch = batch_;
  committer_.finished_.wait(lock_, [&batch] { return batch->finished; });
  lock_.unlock();
  if (batch->failure) std::rethrow_exception(batch->failure);
}

}  // namespace roster::storage::sqlite

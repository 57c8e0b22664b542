// Group commit of write transactions (see group_commit.hpp).
#include "storage/sqlite/group_commit.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
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
    : pool_(pool), writer_(std::move(writer)), sync_(::fdatasync) {
  if (!writer_) return;
  auto mode = writer_->Prepare("PRAGMA journal_mode");
  if (!mode.Step() || mode.Text(0) != "wal") return;  // keeps synchronous=FULL
  mode.Reset();
  const char* wal = sqlite3_filename_wal(sqlite3_db_filename(writer_->handle(), "main"));
  if (wal == nullptr || *wal == '\0') return;
  writer_->Execute("PRAGMA synchronous = NORMAL");
  wal_path_ = wal;
}

GroupCommitter::~GroupCommitter() {
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

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
  Batch& batch = *current_;
  if (!failure) {
    writes_ += static_cast<std::uint64_t>(batch.members);
    ++batches_;
    batch.sequence = committed_.load(std::memory_order_relaxed) + 1;
    committed_.store(batch.sequence, std::memory_order_release);
    // Without WAL syncing the COMMIT itself was durable (synchronous=FULL).
    if (wal_path_.empty()) durable_.store(batch.sequence, std::memory_order_release);
  }
  batch.failure = failure;
  batch.state.store(failure ? Batch::kFailed : Batch::kCommitted, std::memory_order_release);
  batch.state.notify_all();
  current_.reset();
}

bool GroupCommitter::SyncWal() {
  struct stat opened {};
  struct stat named {};
  if (wal_fd_ >= 0 && (::fstat(wal_fd_, &opened) != 0 || ::stat(wal_path_.c_str(), &named) != 0 ||
                       opened.st_ino != named.st_ino || opened.st_dev != named.st_dev)) {
    ::close(wal_fd_);  // SQLite replaced the file: the frames to sync are in the new one
    wal_fd_ = -1;
  }
  if (wal_fd_ < 0) {
    wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return false;
    // The WAL's directory entry must be durable too; SQLite syncs it when it creates the file
    // only under synchronous=FULL.
    const std::string::size_type slash = wal_path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : wal_path_.substr(0, slash + 1);
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return false;
    const int rc = ::fsync(dir_fd);
    ::close(dir_fd);
    if (rc != 0) return false;
  }
  ++syncs_;
  return sync_(wal_fd_) == 0;
}

void GroupCommitter::ThrowSyncFailed() const {
  throw MapError(SQLITE_IOERR_FSYNC,
                 "syncing the write-ahead log " + wal_path_ + " failed (" +
                     std::generic_category().message(sync_errno_.load(std::memory_order_relaxed)) +
                     "); writes stay refused until roster restarts",
                 "group commit");
}

void GroupCommitter::WaitDurable(std::uint64_t sequence) {
  for (;;) {
    const std::uint64_t epoch = sync_epoch_.load(std::memory_order_acquire);
    if (durable_.load(std::memory_order_acquire) >= sequence) return;
    if (sync_failed_.load(std::memory_order_acquire)) ThrowSyncFailed();
    std::unique_lock<std::mutex> syncing(sync_mutex_, std::try_to_lock);
    if (!syncing.owns_lock()) {
      sync_epoch_.wait(epoch, std::memory_order_acquire);  // another writer is syncing
      continue;
    }
    if (durable_.load(std::memory_order_acquire) >= sequence) return;
    // Every batch committed so far has its frames in the WAL file: one sync covers them all.
    const std::uint64_t target = committed_.load(std::memory_order_acquire);
    if (SyncWal()) {
      durable_.store(target, std::memory_order_release);
    } else {
      sync_errno_.store(errno, std::memory_order_relaxed);
      sync_failed_.store(true, std::memory_order_release);
    }
    sync_epoch_.fetch_add(1, std::memory_order_release);
    sync_epoch_.notify_all();
  }
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
  if (c.sync_failed_.load(std::memory_order_acquire)) c.ThrowSyncFailed();
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
  lock_.unlock();  // the next writer may start the next batch while this one waits
  GroupCommitter::Batch& batch = *batch_;
  int state = batch.state.load(std::memory_order_acquire);
  while (state == GroupCommitter::Batch::kOpen) {
    batch.state.wait(state, std::memory_order_acquire);
    state = batch.state.load(std::memory_order_acquire);
  }
  if (state == GroupCommitter::Batch::kFailed) std::rethrow_exception(batch.failure);
  committer_.WaitDurable(batch.sequence);
}

}  // namespace roster::storage::sqlite

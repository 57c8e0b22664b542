// Group commit of write transactions (see group_commit.hpp).
#include "storage/sqlite/group_commit.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <optional>
#include <stdexcept>
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

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t) &&
              std::atomic<std::uint32_t>::is_always_lock_free);

// Sleeps while `word` holds `expected`. A plain futex wait: libstdc++'s atomic::wait first spins
// with sched_yield, which took a tenth of the CPU of a write on two cores (perf, 32 writers).
void WaitWhileEqual(const std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  while (word.load(std::memory_order_acquire) == expected) {
    ::syscall(SYS_futex, reinterpret_cast<const std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE,
              expected, nullptr, nullptr, 0);
  }
}

void WakeAll(std::atomic<std::uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX,
            nullptr, nullptr, 0);
}

}  // namespace

GroupCommitter::GroupCommitter(ConnectionPool& pool, std::unique_ptr<Connection> writer)
    : pool_(pool), writer_(std::move(writer)), sync_(::fdatasync) {
  if (!writer_) return;
  auto mode = writer_->Prepare("PRAGMA journal_mode");
  if (!mode.Step() || mode.Text(0) != "wal") return;  // keeps synchronous=FULL
  mode.Reset();
  const char* db_file = sqlite3_db_filename(writer_->handle(), "main");
  const char* wal = sqlite3_filename_wal(db_file);
  if (wal == nullptr || *wal == '\0') return;
  writer_->Execute("PRAGMA synchronous = NORMAL");
  wal_path_ = wal;
  // Checkpoints leave the write path: the WAL hook (which replaces SQLite's automatic checkpoint)
  // asks the checkpointer thread, on its own connection, once the WAL holds kCheckpointPages.
  checkpoint_connection_ = std::make_unique<Connection>(db_file, 5000);
  sqlite3_wal_hook(writer_->handle(), &GroupCommitter::OnWalCommit, this);
  checkpointer_ = std::thread([this] { RunCheckpointer(); });
}

GroupCommitter::~GroupCommitter() {
  if (checkpointer_.joinable()) {
    {
      const std::lock_guard<std::mutex> lock(checkpoint_mutex_);
      checkpoint_stop_ = true;
    }
    checkpoint_wanted_cv_.notify_all();
    checkpointer_.join();
  }
  if (writer_) sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

int GroupCommitter::OnWalCommit(void* self, sqlite3* db, const char* /*schema*/, int pages) {
  auto& committer = *static_cast<GroupCommitter*>(self);
  if (pages >= kInlineCheckpointPages) {
    // The checkpointer has not kept up (each of its checkpoints ends short of frames committed
    // meanwhile): the writer checkpoints itself, as SQLite would, so the WAL stays bounded.
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++committer.inline_checkpoints_;
  } else if (pages >= kCheckpointPages) {
    {
      const std::lock_guard<std::mutex> lock(committer.checkpoint_mutex_);
      committer.checkpoint_wanted_ = true;
    }
    committer.checkpoint_wanted_cv_.notify_one();
  }
  return SQLITE_OK;
}

void GroupCommitter::RunCheckpointer() {
  std::unique_lock<std::mutex> lock(checkpoint_mutex_);
  for (;;) {
    checkpoint_wanted_cv_.wait(lock, [this] { return checkpoint_wanted_ || checkpoint_stop_; });
    if (checkpoint_stop_) return;
    checkpoint_wanted_ = false;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits for the writer or readers. With
    // this connection's synchronous=FULL, SQLite syncs the WAL before and the database after,
    // and only then marks the frames copied, so a WAL restart never overwrites a frame that is
    // not durable in the database. Errors (busy, a full disk) leave the frames for next time.
    sqlite3_wal_checkpoint_v2(checkpoint_connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                              nullptr, nullptr);
    ++checkpoints_;
    lock.lock();
  }
}

void GroupCommitter::FinishBatch(std::optional<core::Error> failure) noexcept {
  if (!current_) return;
  if (!failure) {
    try {
      writer_->Prepare(kCommit).Run();
    } catch (const core::Error& e) {
      failure = e;
    } catch (const std::exception& e) {
      failure = InternalError(std::string("group commit: ") + e.what());
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
  const bool failed = failure.has_value();
  batch.failure = std::move(failure);
  batch.state.store(failed ? Batch::kFailed : Batch::kCommitted, std::memory_order_release);
  WakeAll(batch.state);
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
  if (sync_(wal_fd_) != 0) return false;
  ++syncs_;
  return true;
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
    const std::uint32_t epoch = sync_epoch_.load(std::memory_order_acquire);
    if (durable_.load(std::memory_order_acquire) >= sequence) return;
    if (sync_failed_.load(std::memory_order_acquire)) ThrowSyncFailed();
    std::unique_lock<std::mutex> syncing(sync_mutex_, std::try_to_lock);
    if (!syncing.owns_lock()) {
      // Another writer holds sync_mutex_. Every holder bumps the epoch after it lets go, so this
      // wakes up at the latest then and tries again (it may have synced too little for us).
      WaitWhileEqual(sync_epoch_, epoch);
      continue;
    }
    if (durable_.load(std::memory_order_acquire) < sequence) {
      // Every batch committed so far has its frames in the WAL file: one sync covers them all.
      const std::uint64_t target = committed_.load(std::memory_order_acquire);
      if (SyncWal()) {
        durable_.store(target, std::memory_order_release);
      } else {
        sync_errno_.store(errno, std::memory_order_relaxed);
        sync_failed_.store(true, std::memory_order_release);
      }
    }
    syncing.unlock();
    sync_epoch_.fetch_add(1, std::memory_order_release);
    WakeAll(sync_epoch_);
  }
}

void GroupCommitter::SettleBatch() noexcept {
  if (!current_) return;
  if (writer_->InAutocommit()) {
    // SQLite rolled the whole batch back after an error: every member's write is gone.
    FinishBatch(
        MapError(SQLITE_IOERR, "the batch transaction was rolled back by SQLite", "group commit"));
  } else if (queued_.load() == 0 || current_->members >= kMaxBatch) {
    FinishBatch(std::nullopt);
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
  FinishBatch(std::nullopt);  // its members wait for a COMMIT that no one else would lead now
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
  WaitWhileEqual(batch.state, GroupCommitter::Batch::kOpen);
  if (batch.state.load(std::memory_order_acquire) == GroupCommitter::Batch::kFailed)
    throw core::Error(*batch.failure);  // a copy per member: no exception object is shared
  committer_.WaitDurable(batch.sequence);
}

}  // namespace roster::storage::sqlite

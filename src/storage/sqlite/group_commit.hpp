// Group commit: the write transactions of concurrent requests share one SQLite transaction and so
// one fsync, without weakening durability — no write is acknowledged before the COMMIT that holds
// it is on disk.
//
// Writes of a file database run on one dedicated writer connection (SQLite has one writer at a
// time anyway). A WriteTransaction takes the writer, opens the shared batch transaction if none is
// open (BEGIN IMMEDIATE), and runs its own statements inside a SAVEPOINT, so a write that fails is
// rolled back alone. On Commit() it releases its savepoint and then either leads — when no other
// writer is waiting for the writer connection, or the batch is full, it COMMITs the batch and
// wakes its members — or leaves the batch open for the writers queued behind it and waits for the
// COMMIT they will lead. A batch that fails to commit fails every member; none was acknowledged.
//
// Syncing is pipelined behind the writer. In WAL mode the writer runs with synchronous=NORMAL, so
// a COMMIT only writes the batch's frames to the WAL file; the writer connection is then free for
// the next batch while one of the committed writers fdatasync()s the WAL, which makes every batch
// committed before the call durable at once. Commit() returns only after such a sync covers its
// batch. A failed sync fails its writers and every later write (the page cache's state is unknown
// after an fsync error, so retrying it proves nothing; a restart recovers from what is on disk).
// Checkpoints run off the write path too: once the WAL holds kCheckpointPages, a checkpointer
// thread runs a PASSIVE checkpoint on its own connection (synchronous=FULL: the WAL is synced
// before it is copied into the database, the database after); should the WAL still reach
// kInlineCheckpointPages, the writer checkpoints itself, so the WAL stays bounded under any load.
// A database not in WAL mode keeps synchronous=FULL and SQLite's own checkpoints.
//
// A private database (":memory:", one connection) has no separate writer: each write is its own
// BEGIN IMMEDIATE … COMMIT on the pool's connection, as without grouping.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/error.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/connection_pool.hpp"

namespace roster::storage::sqlite {

class GroupCommitter {
 public:
  // Largest number of writes sharing one COMMIT, so a batch under endless load still ends.
  static constexpr int kMaxBatch = 256;
  // WAL pages (4 KiB each) at which the checkpointer thread is asked to checkpoint (SQLite's
  // automatic checkpoint uses the same), and at which the writer checkpoints itself.
  static constexpr int kCheckpointPages = 1000;
  static constexpr int kInlineCheckpointPages = 10000;

  // `writer`: the connection used only for writes, or nullptr for a private database, whose
  // writes then run one by one on a connection of `pool`.
  GroupCommitter(ConnectionPool& pool, std::unique_ptr<Connection> writer);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  struct Stats {
    std::uint64_t writes = 0;       // write transactions committed
    std::uint64_t batches = 0;      // COMMITs that made them durable
    std::uint64_t syncs = 0;        // fdatasync()s of the WAL that acknowledged them (WAL mode)
    std::uint64_t checkpoints = 0;  // by the checkpointer thread
    std::uint64_t inline_checkpoints = 0;  // by the writer, the checkpointer having fallen behind
  };
  Stats stats() const noexcept {
    return {writes_.load(), batches_.load(), syncs_.load(), checkpoints_.load(),
            inline_checkpoints_.load()};
  }
  // Whether COMMIT leaves syncing to the committer (a file database in WAL mode).
  bool syncs_wal() const noexcept { return !wal_path_.empty(); }

  // Replaces fdatasync(2) for the WAL (tests: a sync that blocks or fails). Set before any write.
  void SetSyncForTesting(std::function<int(int fd)> sync) { sync_ = std::move(sync); }
  // Writers waiting for the writer connection right now.
  int waiting() const noexcept { return queued_.load(); }

  // Runs `sql` on the connection writes use, between batches (an open batch is committed first):
  // for test hooks that change the writer's limits (SqliteStore::ExecuteOnWriter). Throws
  // core::Error.
  void ExecuteOnWriter(std::string_view sql);

 private:
  friend class WriteTransaction;

  // One batch transaction and its outcome, shared by its members, who wait for `state` to leave
  // kOpen without taking mutex_.
  struct Batch {
    static constexpr std::uint32_t kOpen = 0, kCommitted = 1, kFailed = 2;
    int members = 0;                          // writes released into it; needs mutex_
    std::uint64_t sequence = 0;               // its place in commit order, set before state
    std::optional<core::Error> failure;       // set before state when it did not commit
    std::atomic<std::uint32_t> state{kOpen};  // a futex word
  };

  // Commits the open batch — or, given a failure, rolls it back — and wakes its members. Needs
  // mutex_.
  void FinishBatch(std::optional<core::Error> failure) noexcept;
  // Finishes the open batch when no other writer will: none is waiting for the writer, or the
  // batch is full, or SQLite already rolled it back (an I/O error, a full disk). Needs mutex_.
  void SettleBatch() noexcept;
  // Returns once the batch committed as `sequence` is on disk: syncs the WAL itself unless another
  // writer's sync is in progress, then waits for that one and checks again. Throws core::Error
  // (unavailable) when a sync failed.
  void WaitDurable(std::uint64_t sequence);
  // fdatasync of the WAL file, opened on first use (its directory synced once, for the file's
  // creation) and reopened should SQLite ever have replaced it. Needs sync_mutex_. False on error.
  bool SyncWal();
  [[noreturn]] void ThrowSyncFailed() const;
  // sqlite3_wal_hook of the writer: after each COMMIT, with the pages now in the WAL.
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int pages);
  void RunCheckpointer();

  ConnectionPool& pool_;
  const std::unique_ptr<Connection> writer_;

  std::mutex mutex_;                // owns writer_ and current_
  std::atomic<int> queued_{0};      // writers waiting to take mutex_
  std::shared_ptr<Batch> current_;  // the open batch transaction on writer_, if any
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> batches_{0};

  // Pipelined syncing (WAL mode only; wal_path_ empty otherwise).
  std::string wal_path_;
  std::function<int(int)> sync_;
  std::mutex sync_mutex_;  // held by the writer that is syncing; owns wal_fd_
  int wal_fd_ = -1;
  std::atomic<std::uint64_t> committed_{0};   // sequence of the last committed batch
  std::atomic<std::uint64_t> durable_{0};     // sequence up to which batches are on disk
  std::atomic<std::uint32_t> sync_epoch_{0};  // bumped after every sync attempt; a futex word
  std::atomic<bool> sync_failed_{false};
  std::atomic<int> sync_errno_{0};
  std::atomic<std::uint64_t> syncs_{0};

  // Checkpoints off the write path (WAL mode only).
  std::unique_ptr<Connection> checkpoint_connection_;
  std::mutex checkpoint_mutex_;  // owns checkpoint_wanted_, checkpoint_stop_
  std::condition_variable checkpoint_wanted_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> inline_checkpoints_{0};
  std::thread checkpointer_;  // last: started after, and joined before, everything it uses
};

// One write: the connection to write on, inside its own savepoint of the shared batch.
// Usage: WriteTransaction txn(committer); Connection& db = txn.connection(); …; txn.Commit();
class WriteTransaction {
 public:
  explicit WriteTransaction(GroupCommitter& committer);
  // Without Commit(): rolls back this write's changes only. Never throws.
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Connection& connection() const noexcept { return *connection_; }
  // Returns once the write is durable; throws the batch's error when its COMMIT (or the sync that
  // would make it durable) failed. Every Statement of the write must be out of scope by now.
  void Commit();

 private:
  GroupCommitter& committer_;
  std::shared_ptr<GroupCommitter::Batch> batch_;  // grouped: the batch this write joined
  std::unique_ptr<ConnectionPool::Lease> lease_;  // private database: the pool's connection
  std::unique_lock<std::mutex> lock_;             // grouped: held until Commit() or destruction
  Connection* connection_ = nullptr;
  bool done_ = false;
};

}  // namespace roster::storage::sqlite

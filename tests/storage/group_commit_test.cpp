// Group commit (storage/sqlite/group_commit.hpp): concurrent writes share one COMMIT, a failing
// write is rolled back alone, and nothing is acknowledged before its batch is on disk.
#include "storage/sqlite/group_commit.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/connection_pool.hpp"
#include "storage/store_test_support.hpp"

namespace roster::storage::testing {
namespace {

using sqlite::Connection;
using sqlite::ConnectionPool;
using sqlite::GroupCommitter;
using sqlite::WriteTransaction;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Connection setup(path_, 5000);
    setup.Execute("CREATE TABLE t (v INTEGER PRIMARY KEY)");
  }
  void TearDown() override { CleanTestDir(); }

  std::unique_ptr<ConnectionPool> Pool() {
    std::vector<std::unique_ptr<Connection>> connections;
    connections.push_back(std::make_unique<Connection>(path_, 5000));
    return std::make_unique<ConnectionPool>(std::move(connections));
  }

  // Rows as seen by a fresh connection, i.e. what is committed.
  int CommittedRows() {
    Connection reader(path_, 5000);
    auto stmt = reader.Prepare("SELECT COUNT(*) FROM t");
    stmt.Step();
    return static_cast<int>(stmt.Int(0));
  }

  static void Insert(WriteTransaction& txn, int v) {
    txn.connection().Prepare("INSERT INTO t (v) VALUES (?1)").BindInt(1, v).Run();
  }

  std::string path_ = NewDbPath().string();
};

// Writers queued behind a write in progress join its batch: one COMMIT for all of them.
TEST_F(GroupCommitTest, QueuedWritersShareOneCommit) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  constexpr int kQueued = 7;
  std::atomic<bool> writing{false};
  // The first write holds the writer until the others queue behind it; only then it commits.
  // Released into the batch while others wait to join, its Commit() returns only once the last
  // of them has committed the batch.
  std::thread first([&] {
    WriteTransaction txn(committer);
    Insert(txn, 0);
    writing = true;
    while (committer.waiting() < kQueued) std::this_thread::yield();
    txn.Commit();
  });
  while (!writing) std::this_thread::yield();
  std::vector<std::thread> threads;
  for (int i = 1; i <= kQueued; ++i) {
    threads.emplace_back([&committer, i] {
      WriteTransaction txn(committer);
      Insert(txn, i);
      txn.Commit();
    });
  }
  first.join();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(CommittedRows(), kQueued + 1);
  EXPECT_EQ(committer.stats().writes, static_cast<std::uint64_t>(kQueued + 1));
  EXPECT_LT(committer.stats().batches, committer.stats().writes);
}

// Under endless load a batch still ends: at kMaxBatch members it commits although writers wait.
TEST_F(GroupCommitTest, AFullBatchCommitsWhileWritersStillWait) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  constexpr int kQueued = GroupCommitter::kMaxBatch + 20;
  std::atomic<bool> writing{false};
  std::thread first([&] {
    WriteTransaction txn(committer);
    Insert(txn, 0);
    writing = true;
    while (committer.waiting() < kQueued) std::this_thread::yield();
    txn.Commit();
  });
  while (!writing) std::this_thread::yield();
  std::vector<std::thread> threads;
  for (int i = 1; i <= kQueued; ++i) {
    threads.emplace_back([&committer, i] {
      WriteTransaction txn(committer);
      Insert(txn, i);
      txn.Commit();
    });
  }
  first.join();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(CommittedRows(), kQueued + 1);
  // The first batch closes at kMaxBatch with writers still queued; the rest form a second one.
  EXPECT_EQ(committer.stats().writes, static_cast<std::uint64_t>(kQueued + 1));
  EXPECT_EQ(committer.stats().batches, 2u);
}

// A write that fails inside a batch is rolled back alone; the batch's other writes commit.
TEST_F(GroupCommitTest, AFailingWriteIsRolledBackAlone) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> acknowledged{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int v = t * kPerThread + i + 1;
        try {
          WriteTransaction txn(committer);
          Insert(txn, v);
          if (i % 4 == 0) throw std::runtime_error("refused after writing");
          txn.Commit();
          ++acknowledged;
        } catch (const std::runtime_error&) {
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(refused.load(), kThreads * kPerThread / 4);
  EXPECT_EQ(CommittedRows(), acknowledged.load());
  Connection reader(path_, 5000);
  auto stmt = reader.Prepare("SELECT COUNT(*) FROM t WHERE (v - 1) % 40 = 0");
  stmt.Step();
  EXPECT_EQ(stmt.Int(0), 0) << "a refused write left its row";
}

// A batch whose COMMIT fails fails every member: none of them was acknowledged.
TEST_F(GroupCommitTest, AFailedCommitFailsTheWholeBatch) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  {
    WriteTransaction txn(committer);
    // A deferred foreign-key violation is checked at COMMIT, so the COMMIT itself fails.
    txn.connection().Execute(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (p INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
    txn.Commit();
  }
  WriteTransaction txn(committer);
  Insert(txn, 42);
  txn.connection().Execute("INSERT INTO child (p) VALUES (7)");
  EXPECT_THROW(txn.Commit(), core::Error);
  EXPECT_EQ(CommittedRows(), 0);
  // The writer is usable again afterwards.
  WriteTransaction next(committer);
  Insert(next, 43);
  next.Commit();
  EXPECT_EQ(CommittedRows(), 1);
}

// When SQLite rolls the whole batch transaction back by itself (as it may after SQLITE_FULL,
// SQLITE_IOERR or SQLITE_NOMEM), every member of the batch — also those already released into it
// and waiting for its COMMIT — gets the error, none is acknowledged, and the next batch works.
// SQLite's own rollback is staged with a ROLLBACK on the writer, which is what it does.
TEST_F(GroupCommitTest, ABatchRolledBackBySqliteFailsEveryMember) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  constexpr int kQueued = 3;  // one breaks the batch; the others join it before or a new one after
  std::atomic<bool> writing{false};
  std::atomic<bool> first_acknowledged{false};
  std::atomic<int> failed{0};
  std::atomic<int> acknowledged{0};
  std::atomic<bool> broken{false};
  // The first write is released into the batch while the others queue, then waits for a COMMIT
  // that one of them leads.
  std::thread first([&] {
    try {
      WriteTransaction txn(committer);
      Insert(txn, 0);
      writing = true;
      while (committer.waiting() < kQueued) std::this_thread::yield();
      txn.Commit();
      first_acknowledged = true;
    } catch (const core::Error& e) {
      EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable);
      ++failed;
    }
  });
  while (!writing) std::this_thread::yield();
  std::vector<std::thread> threads;
  for (int i = 1; i <= kQueued; ++i) {
    threads.emplace_back([&, i] {
      try {
        WriteTransaction txn(committer);
        Insert(txn, i);
        if (!broken.exchange(true)) {
          // The first queued writer to run meets an error after which SQLite rolled back the
          // whole transaction.
          txn.connection().Execute("ROLLBACK");
          throw core::Error(core::ErrorKind::kUnavailable, "disk I/O error (staged)");
        }
        txn.Commit();
        ++acknowledged;
      } catch (const core::Error& e) {
        EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable);
        ++failed;
      }
    });
  }
  first.join();
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(first_acknowledged.load()) << "a write of the rolled-back batch was acknowledged";
  // Every acknowledged write is committed, and nothing else: the batch's writes are all gone.
  EXPECT_EQ(CommittedRows(), acknowledged.load());
  EXPECT_EQ(acknowledged.load() + failed.load(), kQueued + 1);
  {
    Connection reader(path_, 5000);
    auto stmt = reader.Prepare("SELECT COUNT(*) FROM t WHERE v = 0");
    stmt.Step();
    EXPECT_EQ(stmt.Int(0), 0) << "the first write of the rolled-back batch is on disk";
  }
  // The writer serves the next batch.
  WriteTransaction next(committer);
  Insert(next, 100);
  next.Commit();
  EXPECT_EQ(CommittedRows(), acknowledged.load() + 1);
}

// A real full disk (the writer's `max_page_count` at the file's size): the write that needs a new
// page fails with kUnavailable; whether SQLite undid that statement or the whole batch, a write
// is acknowledged exactly when it is committed, and once space is back writes work again.
TEST_F(GroupCommitTest, AFullDiskFailsTheWriteAndWritesResumeWhenSpaceReturns) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  {
    WriteTransaction txn(committer);
    txn.connection().Execute("CREATE TABLE big (b BLOB)");
    txn.Commit();
  }
  committer.ExecuteOnWriter("PRAGMA max_page_count = 1");  // = the current size: no page to grow
  std::atomic<bool> writing{false};
  std::atomic<bool> small_acknowledged{false};
  std::thread small([&] {
    try {
      WriteTransaction txn(committer);
      Insert(txn, 1);
      writing = true;
      while (committer.waiting() < 1) std::this_thread::yield();
      txn.Commit();
      small_acknowledged = true;
    } catch (const core::Error& e) {
      EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable);
    }
  });
  while (!writing) std::this_thread::yield();
  std::thread large([&] {
    WriteTransaction txn(committer);
    EXPECT_THROW(
        {
          try {
            txn.connection().Execute("INSERT INTO big (b) VALUES (zeroblob(1000000))");
          } catch (const core::Error& e) {
            EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable) << e.detail();
            EXPECT_NE(e.detail().find("full"), std::string::npos) << e.detail();
            throw;
          }
        },
        core::Error);
  });
  small.join();
  large.join();
  EXPECT_EQ(CommittedRows(), small_acknowledged.load() ? 1 : 0);
  // Space returns: the same large write goes through.
  committer.ExecuteOnWriter("PRAGMA max_page_count = 1073741823");
  {
    WriteTransaction txn(committer);
    txn.connection().Execute("INSERT INTO big (b) VALUES (zeroblob(1000000))");
    Insert(txn, 2);
    txn.Commit();
  }
  Connection reader(path_, 5000);
  auto check = reader.Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.Text(0), "ok");
}

// In WAL mode a COMMIT only writes the batch to the WAL; the write is acknowledged once a sync of
// the WAL file covers it, and the writer connection serves the next batch meanwhile.
TEST_F(GroupCommitTest, AWriteIsAcknowledgedOnlyOnceTheWalIsSynced) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  ASSERT_TRUE(committer.syncs_wal());
  std::atomic<int> syncs_entered{0};
  std::atomic<bool> release{false};
  std::string synced_file;
  committer.SetSyncForTesting([&](int fd) {
    char target[4096] = {};
    const ssize_t n =
        ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), target, sizeof target - 1);
    synced_file.assign(target, n > 0 ? static_cast<std::size_t>(n) : 0);
    ++syncs_entered;
    while (!release) std::this_thread::yield();
    return ::fdatasync(fd);
  });
  std::atomic<int> acknowledged{0};
  std::thread first([&] {
    WriteTransaction txn(committer);
    Insert(txn, 1);
    txn.Commit();
    ++acknowledged;
  });
  while (syncs_entered == 0) std::this_thread::yield();
  EXPECT_EQ(CommittedRows(), 1);  // committed in SQLite …
  // … and while the first sync hangs, a second write commits its own batch on the writer.
  std::thread second([&] {
    WriteTransaction txn(committer);
    Insert(txn, 2);
    txn.Commit();
    ++acknowledged;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (CommittedRows() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(CommittedRows(), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(acknowledged.load(), 0) << "acknowledged before the WAL was synced";
  release = true;
  first.join();
  second.join();
  EXPECT_EQ(acknowledged.load(), 2);
  EXPECT_EQ(synced_file, path_ + "-wal");
  // The second batch committed after the first sync began, so a second sync covered it.
  EXPECT_EQ(syncs_entered.load(), 2);
  EXPECT_EQ(committer.stats().batches, 2u);
  EXPECT_EQ(committer.stats().syncs, 2u);
}

// A failed sync fails the writes it would have acknowledged and every later write: after an
// fsync error the state of the page cache is unknown, so a retry would prove nothing.
TEST_F(GroupCommitTest, AFailedSyncFailsTheWriteAndEveryLaterOne) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  committer.SetSyncForTesting([](int) {
    errno = EIO;
    return -1;
  });
  WriteTransaction txn(committer);
  Insert(txn, 1);
  try {
    txn.Commit();
    ADD_FAILURE() << "a write was acknowledged without a successful sync";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable);
  }
  EXPECT_EQ(committer.stats().syncs, 0u);
  try {
    WriteTransaction later(committer);
    ADD_FAILURE() << "a write started after a failed sync";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable);
  }
}

// Checkpoints run on the checkpointer thread, and the WAL stays bounded under sustained writes.
TEST_F(GroupCommitTest, CheckpointsRunOffTheWriterAndTheWalStaysBounded) {
  auto pool = Pool();
  GroupCommitter committer(*pool, std::make_unique<Connection>(path_, 5000));
  committer.SetSyncForTesting([](int) { return 0; });  // durability is not what is tested here
  constexpr int kWrites = 12000;                       // each at least one 4 KiB page
  std::uintmax_t largest_wal = 0;
  for (int i = 0; i < kWrites; ++i) {
    WriteTransaction txn(committer);
    txn.connection().Prepare("INSERT INTO t (v) VALUES (?1)").BindInt(1, i).Run();
    txn.connection().Prepare("CREATE TABLE IF NOT EXISTS blobs (b BLOB)").Run();
    txn.connection().Prepare("INSERT INTO blobs (b) VALUES (randomblob(3500))").Run();
    txn.Commit();
    if (i % 500 == 0)
      largest_wal = std::max(largest_wal, std::filesystem::file_size(path_ + "-wal"));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (committer.stats().checkpoints == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(committer.stats().checkpoints, 1u);
  // WAL frame: 24-byte header + 4 KiB page. The writes add about 3 × kWrites = 36,000 frames;
  // without restarts the WAL would hold them all. It restarts once checkpoints catch up: those of
  // the checkpointer, or the writer's own from kInlineCheckpointPages on (which yields to a
  // checkpoint in progress, so the WAL may pass that mark while one runs).
  constexpr std::uintmax_t kFrame = 24 + 4096;
  EXPECT_LE(largest_wal, 2 * GroupCommitter::kInlineCheckpointPages * kFrame)
      << "the WAL was not kept bounded";
  EXPECT_EQ(CommittedRows(), kWrites);
  Connection reader(path_, 5000);
  auto check = reader.Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.Text(0), "ok");
}

// A private database (":memory:") has no separate writer: each write commits on its own.
TEST_F(GroupCommitTest, PrivateDatabasesCommitEachWrite) {
  std::vector<std::unique_ptr<Connection>> connections;
  connections.push_back(std::make_unique<Connection>(":memory:", 5000));
  ConnectionPool pool(std::move(connections));
  GroupCommitter committer(pool, nullptr);
  EXPECT_FALSE(committer.syncs_wal());
  {
    WriteTransaction txn(committer);
    txn.connection().Execute("CREATE TABLE t (v INTEGER)");
    txn.Commit();
  }
  for (int i = 0; i < 3; ++i) {
    WriteTransaction txn(committer);
    Insert(txn, i);
    txn.Commit();
  }
  {
    WriteTransaction txn(committer);
    Insert(txn, 99);
  }  // not committed: rolled back
  auto lease = pool.Acquire();
  auto stmt = lease->Prepare("SELECT COUNT(*) FROM t");
  stmt.Step();
  EXPECT_EQ(stmt.Int(0), 3);
  EXPECT_EQ(committer.stats().batches, 4u);
}

}  // namespace
}  // namespace roster::storage::testing

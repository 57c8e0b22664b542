// The stand-in mode of `roster serve` for other projects' test suites: an in-memory store
// (--ephemeral), a fixture to start from (--seed FILE) and the state side of the test controls
// (reset and named snapshots, as whole-database copies).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "api/test_controls.hpp"
#include "core/clock.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"

namespace roster::app {

// Reset and snapshots over a SqliteStore: Reset() returns to the state captured at construction.
class SnapshotState final : public api::StateControl {
 public:
  explicit SnapshotState(storage::sqlite::SqliteStore& store);
  void Reset() override;
  void SaveSnapshot(const std::string& name) override;
  bool RestoreSnapshot(const std::string& name) override;

 private:
  storage::sqlite::SqliteStore& store_;
  std::shared_ptr<const storage::sqlite::SqliteStore::Snapshot> initial_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const storage::sqlite::SqliteStore::Snapshot>> saved_;
};

// What a fixture held, for the startup summary.
struct FixtureSummary {
  std::size_t organizations = 0;
  std::size_t members = 0;
  std::size_t roles = 0;
  std::size_t groups = 0;
  std::size_t invites = 0;
  std::size_t keys = 0;
};

// Loads the JSON fixture at `path` into `store` (ids, tokens and key values as written; see
// docs/TESTING-WITH-ROSTER.md for the format). `now` and `invite_ttl_seconds` give invites without
// `expires_at` their expiry. Throws CommandError naming the file and the offending entry.
FixtureSummary LoadFixture(storage::Store& store, const std::string& path, core::Timestamp now,
                           core::Timestamp invite_ttl_seconds);

}  // namespace roster::app

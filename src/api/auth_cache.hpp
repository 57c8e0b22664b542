// Cheap authentication per request (issue 5): the key record of a key hash — key, owner, the
// owner's effective permissions — kept in memory and reused while the organization's
// authentication version (storage::Store::AuthGeneration) is unchanged.
//
// Correct across processes and nodes without a TTL: every write that can change what a key may do
// gives its organization a new version in the same transaction (database triggers, storage
// migration 3), and each lookup compares the cached record's version with the current one — one
// primary-key read instead of the key + permissions query. A record is cached with the version
// read in the same snapshot as the record, so a record is never newer-tagged than what it shows.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/store.hpp"

namespace roster::api {

class AuthCache {
 public:
  // Largest number of keys kept; beyond it an arbitrary entry makes room (a miss costs one query).
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit AuthCache(std::size_t capacity = kDefaultCapacity)
      : capacity_(capacity > 0 ? capacity : 1) {}
  AuthCache(const AuthCache&) = delete;
  AuthCache& operator=(const AuthCache&) = delete;

  // The live key with this hash as of now (the store's FindKeyByHash), or null. Unknown keys are
  // not remembered (a guesser must not fill memory). Thread-safe.
  std::shared_ptr<const storage::KeyRecord> Find(storage::Store& store,
                                                 const std::string& key_hash);

  // The cached record of `key_hash` as last validated, without checking that it is still current
  // (for decisions that a stale record cannot make unsafe), or null.
  std::shared_ptr<const storage::KeyRecord> Peek(const std::string& key_hash) const;

  struct Stats {
    std::uint64_t hits = 0;    // answered from memory after a version check
    std::uint64_t misses = 0;  // read from the store (first use, or the version had changed)
  };
  Stats stats() const noexcept { return {hits_.load(), misses_.load()}; }
  std::size_t size() const;

 private:
  using Entry = std::shared_ptr<const storage::KeyRecord>;

  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // key hash → record
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace roster::api

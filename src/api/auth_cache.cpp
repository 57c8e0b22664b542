// The key-record cache, validated per request against the organization's authentication version.
#include "api/auth_cache.hpp"

#include <mutex>
#include <utility>

namespace roster::api {

std::shared_ptr<const storage::KeyRecord> AuthCache::Find(storage::Store& store,
                                                          const std::string& key_hash) {
  Entry cached;
  {
    std::shared_lock lock(mutex_);
    if (auto it = entries_.find(key_hash); it != entries_.end()) cached = it->second;
  }
  if (cached) {
    const std::optional<std::int64_t> now = store.AuthGeneration(cached->key.org_id);
    if (now && now == cached->auth_generation) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return cached;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  std::optional<storage::KeyRecord> record = store.FindKeyByHash(key_hash);
  if (!record) {
    if (cached) {
      std::unique_lock lock(mutex_);
      entries_.erase(key_hash);
    }
    return nullptr;
  }
  auto fresh = std::make_shared<const storage::KeyRecord>(std::move(*record));
  if (fresh->auth_generation) {
    std::unique_lock lock(mutex_);
    auto [it, inserted] = entries_.try_emplace(key_hash, fresh);
    if (!inserted) {
      it->second = fresh;
    } else if (entries_.size() > capacity_) {
      // Any other entry: the one just read is about to be used.
      auto victim = entries_.begin();
      if (victim == it) ++victim;
      entries_.erase(victim);
    }
  }
  return fresh;
}

std::shared_ptr<const storage::KeyRecord> AuthCache::Peek(const std::string& key_hash) const {
  std::shared_lock lock(mutex_);
  const auto it = entries_.find(key_hash);
  return it == entries_.end() ? nullptr : it->second;
}

std::size_t AuthCache::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

}  // namespace roster::api

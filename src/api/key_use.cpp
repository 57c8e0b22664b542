// The per-process throttle of admin key use recording.
#include "api/key_use.hpp"

namespace roster::api {

bool KeyUseThrottle::ShouldRecord(std::string_view key_id,
                                  std::optional<core::Timestamp> stored_last_used,
                                  core::Timestamp now) {
  if (stored_last_used && now - *stored_last_used < interval_) return false;
  std::lock_guard lock(mutex_);
  Prune(now);
  const auto [it, inserted] = recorded_.try_emplace(std::string(key_id), now);
  if (!inserted) {
    if (now - it->second < interval_) return false;
    it->second = now;
  }
  return true;
}

bool KeyUseThrottle::WouldRecord(std::string_view key_id,
                                 std::optional<core::Timestamp> stored_last_used,
                                 core::Timestamp now) {
  if (stored_last_used && now - *stored_last_used < interval_) return false;
  std::lock_guard lock(mutex_);
  const auto it = recorded_.find(std::string(key_id));
  return it == recorded_.end() || now - it->second >= interval_;
}

void KeyUseThrottle::Prune(core::Timestamp now) {
  if (now - last_prune_ < interval_) return;
  last_prune_ = now;
  std::erase_if(recorded_, [&](const auto& entry) { return now - entry.second >= interval_; });
}

}  // namespace roster::api

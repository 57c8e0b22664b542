// When to record an admin key's use (`last_used_at`, CONTRACT §10.2): coarsely, so that
// authenticating a request does not turn into a database write per request.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/model.hpp"

namespace roster::api {

class KeyUseThrottle {
 public:
  // Recording a use of a key at most once per `interval` seconds keeps `last_used_at` within
  // `interval` of the truth.
  static constexpr core::Timestamp kDefaultInterval = 60;

  explicit KeyUseThrottle(core::Timestamp interval = kDefaultInterval) : interval_(interval) {}

  // True when a use of `key_id` at `now` should be written: neither the stored value
  // (`stored_last_used`, as read with the key, which covers other processes) nor this process's
  // last recording is within `interval` of `now`. A true answer counts as a recording, so of
  // many concurrent callers only one is told to write. Thread-safe.
  bool ShouldRecord(std::string_view key_id, std::optional<core::Timestamp> stored_last_used,
                    core::Timestamp now);
  // What ShouldRecord would answer now, without counting as a recording. Thread-safe.
  bool WouldRecord(std::string_view key_id, std::optional<core::Timestamp> stored_last_used,
                   core::Timestamp now);

 private:
  // Forgets recordings older than the interval: they no longer suppress anything, and keeping
  // them would grow the map with every key ever used.
  void Prune(core::Timestamp now);

  const core::Timestamp interval_;
  std::mutex mutex_;
  std::unordered_map<std::string, core::Timestamp> recorded_;  // key id → last recording
  core::Timestamp last_prune_ = 0;
};

}  // namespace roster::api

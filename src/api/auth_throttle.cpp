// Per-address failed-authentication counters in fixed windows, bounded in number.
#include "api/auth_throttle.hpp"

#include <algorithm>

namespace roster::api {
namespace {

bool IsLoopback(std::string_view peer) noexcept {
  return peer.starts_with("127.") || peer == "::1" || peer.starts_with("::ffff:127.");
}

}  // namespace

core::Timestamp AuthFailureThrottle::Remaining(const Client& client, core::Timestamp now) const {
  return std::max<core::Timestamp>(1, client.window_start + options_.window_seconds - now);
}

bool AuthFailureThrottle::Exempt(std::string_view peer) const noexcept {
  return peer.empty() || (options_.exempt_loopback && IsLoopback(peer));
}

core::Timestamp AuthFailureThrottle::BlockedFor(std::string_view peer, core::Timestamp now) {
  if (!enabled() || size_.load(std::memory_order_acquire) == 0 || Exempt(peer)) return 0;
  std::lock_guard lock(mutex_);
  // Windows that are over are forgotten, so a quiet server is back to the lock-free check.
  while (!order_.empty() && now - order_.front().window_start >= options_.window_seconds) {
    clients_.erase(order_.front().peer);
    order_.pop_front();
  }
  size_.store(order_.size(), std::memory_order_release);
  const auto it = clients_.find(peer);
  if (it == clients_.end()) return 0;
  const Client& client = *it->second;
  if (now - client.window_start >= options_.window_seconds) return 0;
  return client.failures >= options_.max_failures ? Remaining(client, now) : 0;
}

core::Timestamp AuthFailureThrottle::RecordFailure(std::string_view peer, core::Timestamp now) {
  if (!enabled() || Exempt(peer)) return 0;
  std::lock_guard lock(mutex_);
  auto it = clients_.find(peer);
  if (it != clients_.end() && now - it->second->window_start >= options_.window_seconds) {
    // The window is over: a fresh one starts now, at the back of the order.
    order_.splice(order_.end(), order_, it->second);
    it->second->window_start = now;
    it->second->failures = 0;
  }
  if (it == clients_.end()) {
    // Forget expired windows first, then (all windows live, table full) the oldest.
    while (!order_.empty() && (now - order_.front().window_start >= options_.window_seconds ||
                               order_.size() >= options_.max_clients)) {
      clients_.erase(order_.front().peer);
      order_.pop_front();
    }
    order_.push_back(Client{std::string(peer), now, 0});
    it = clients_.emplace(std::string_view(order_.back().peer), std::prev(order_.end())).first;
    size_.store(order_.size(), std::memory_order_release);
  }
  Client& client = *it->second;
  if (client.failures >= options_.max_failures) return Remaining(client, now);
  ++client.failures;
  return 0;
}

}  // namespace roster::api

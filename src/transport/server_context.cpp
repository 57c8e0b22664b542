// Shared server state: the worker pool and the registry of live sessions.
#include "transport/server_context.hpp"

#include <utility>

namespace roster::transport {

ServerContext::ServerContext(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      workers_(static_cast<std::size_t>(options_.worker_threads)) {}

void ServerContext::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void ServerContext::Unregister(const Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::size_t ServerContext::SessionCount() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerContext::LiveSessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard lock(mutex_);
  live.reserve(sessions_.size());
  for (const auto& [key, weak] : sessions_) {
    // A session whose destructor is running (and about to unregister) yields null here.
    if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  return live;
}

}  // namespace roster::transport

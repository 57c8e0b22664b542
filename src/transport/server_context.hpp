// State shared by the listener and every session of one Server: options, the handler, the worker
// pool, the stopping flag and the registry of live sessions (so Stop() can close idle ones).
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "transport/server.hpp"

namespace roster::transport {

class Session;

class ServerContext {
 public:
  ServerContext(ServerOptions options, Handler handler);

  const ServerOptions& options() const { return options_; }
  const Handler& handler() const { return handler_; }
  boost::asio::thread_pool& workers() { return workers_; }

  // Set once by Server::Stop(); sessions then stop keeping connections alive.
  bool stopping() const { return stopping_.load(); }
  void SetStopping() { stopping_.store(true); }

  // Registry of live sessions. Thread-safe.
  void Register(const std::shared_ptr<Session>& session);
  void Unregister(const Session* session);
  std::vector<std::shared_ptr<Session>> LiveSessions();
  // How many sessions (client connections) are registered now.
  std::size_t SessionCount();

 private:
  const ServerOptions options_;
  const Handler handler_;
  boost::asio::thread_pool workers_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace roster::transport

// State shared by the listener and every session of one Server: options, the handler, the worker
// pool, the stopping flag and the registry of live sessions (so Stop() can close idle ones).
#pragma once

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "transport/server.hpp"

namespace roster::transport {

class Session;

// The server side of TLS 1.2 and 1.3 with the certificate chain and key of `options` (PEM files);
// nullopt when neither is set. Throws as Server's constructor documents; each message names the
// file and the reason, for a clear startup error.
std::optional<boost::asio::ssl::context> LoadTls(const ServerOptions& options);

class ServerContext {
 public:
  // Loads the TLS files when set (throws as Server's constructor documents).
  ServerContext(ServerOptions options, Handler handler);

  const ServerOptions& options() const { return options_; }
  // The TLS context every session's stream uses; null for plain HTTP.
  boost::asio::ssl::context* tls() { return tls_ ? &*tls_ : nullptr; }
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
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::thread_pool workers_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;
};

}  // namespace roster::transport

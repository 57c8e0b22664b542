// The HTTP server: the only code that knows Boost.Beast/Asio. Accepts connections on IO threads,
// parses requests with Beast's parser under named limits, hands each request to the handler on a
// worker pool (IO threads never wait on the store) and writes the response back in order.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/request.hpp"

namespace roster::transport {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = any free port (see Server::port())
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t body_limit = 1 << 20;        // larger bodies → 413
  std::size_t header_limit = 16 << 10;     // larger headers → 431
  std::chrono::seconds read_timeout{30};   // a request must arrive whole within this
  std::chrono::seconds idle_timeout{60};   // keep-alive connections idle longer are closed
  std::chrono::seconds write_timeout{30};  // a response must be taken by the client within this
  std::size_t url_limit = 8 << 10;         // longer request targets → 414
  // Client connections served at once; a connection accepted beyond it is answered 503 with
  // `retry-after` and closed (docs/SECURITY.md). 0 = no limit.
  std::size_t max_connections = 10000;
  // TLS: both set = every connection speaks HTTPS (PEM files: certificate chain, private key).
  // Both empty = plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::chrono::seconds handshake_timeout{10};  // a TLS handshake must complete within this
  // Requests for which this returns true are handled on the IO thread that read them, skipping the
  // two thread handoffs of the worker pool. Only for requests whose handling cannot block (reads
  // of SQLite in WAL mode); must be cheap and thread-safe. Null: every request goes to the pool.
  std::function<bool(const api::Request&)> answer_inline;
};

// Loads the TLS files of `options` as Server's constructor does and throws the same errors, so a
// caller can refuse bad files before any other startup work. No-op for plain HTTP.
void CheckTls(const ServerOptions& options);

// Runs `handler` for each request. The handler must be thread-safe and must not throw.
using Handler = std::function<api::Response(const api::Request&)>;

class Server {
 public:
  // Starts the worker pool and loads the TLS certificate and key when set. Throws
  // std::invalid_argument when a thread count is below 1 or only one of the TLS files is set,
  // std::runtime_error when a TLS file cannot be loaded (the message names the file and why).
  Server(ServerOptions options, Handler handler);
  // Stops and waits.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then starts the IO threads; throws std::runtime_error when the address
  // cannot be resolved or bound, std::logic_error when called twice or after Stop().
  void Start();
  // The bound port (the real one when options.port was 0). Valid after Start().
  std::uint16_t port() const;
  // Blocks until Stop() has completed: IO threads and worker pool joined. Must not be called from
  // an IO or worker thread.
  void Wait();
  // Graceful stop: refuse new connections, finish requests in flight, close idle connections.
  // "In flight" means handed to the handler: its response is written (with `Connection: close`).
  // A request still arriving is dropped with its connection, so a slow client cannot delay the
  // stop. Thread-safe and idempotent; may be called from a signal-handling thread. Does not wait;
  // Wait() does.
  void Stop();
  // True when called from one of this server's IO threads (tests use it to show that handlers
  // never run there). Thread-safe.
  bool OnIoThread() const;
  // Client connections open now (the metrics gauge). Thread-safe.
  std::size_t OpenConnections() const;
  // True when connections speak TLS (the certificate and key were given).
  bool tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::transport

// `roster serve`: open the store, bootstrap an empty one, and run the HTTP server until SIGINT or
// SIGTERM.
#pragma once

#include <algorithm>
#include <string>
#include <thread>

#include "api/request_log.hpp"
#include "app/command_support.hpp"
#include "app/request_logger.hpp"

namespace roster::app {

// One IO thread per core: with a SQLite file, reads are answered on the IO threads themselves
// (no handoff to the worker pool), so they do most of the work (docs/PERFORMANCE.md).
inline int DefaultIoThreads() {
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 = any free port
  std::string db = kDefaultDbPath;
  int io_threads = DefaultIoThreads();
  int workers =
      32;  // threads blocked on the store are cheap; more of them make larger commit groups
  bool accept_unknown_permissions = false;
  int invite_ttl_days = 7;  // how long a new invite stays pending (CONTRACT N-16)
  // Client connections served at once; beyond it a connection gets 503 + retry-after
  // (docs/SECURITY.md).
  int max_connections = 10000;
  // HTTPS when both are set (PEM files); plain HTTP otherwise.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Failed-authentication throttle per client address (api/auth_throttle.hpp): this many unknown
  // or revoked keys within the window → 429 until the window ends. 0 = off.
  int auth_failure_limit = 50;
  int auth_failure_window = 60;  // seconds
  // Per-key token bucket (api/key_rate_limit.hpp): requests per second, bucket size (0 = rps).
  // rps 0 = no rate limit (the default).
  double rate_limit_rps = 0;
  double rate_limit_burst = 0;
  // SQLite file databases: answer GET requests on the IO thread (no handoff to the worker pool;
  // WAL readers never wait for the writer). PostgreSQL and --ephemeral always use the pool.
  bool inline_reads = true;
  // Operations: the request log's threshold and format (app/request_logger.hpp).
  api::LogLevel log_level = api::LogLevel::kInfo;
  LogFormat log_format = LogFormat::kJson;
  // Stand-in mode (docs/TESTING-WITH-ROSTER.md): an in-memory store instead of `db`, a fixture
  // to start from instead of the bootstrap organization, and the /roster/test/ routes.
  bool ephemeral = false;
  std::string seed;  // JSON fixture file; "" = none
  bool test_controls = false;
};

// The environment variable that supplies the bootstrap admin key instead of a random one.
inline constexpr const char* kBootstrapKeyEnv = "ROSTER_BOOTSTRAP_ADMIN_KEY";

// Runs the server; returns the process exit code. Prints the bootstrap details (first start
// only) and `roster listening on http://HOST:PORT` (https:// with TLS) to stdout, flushed.
int Serve(const ServeOptions& options);

}  // namespace roster::app

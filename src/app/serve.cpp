// The server command: wiring of store, router and transport, first-start bootstrap, and a
// graceful stop on SIGINT/SIGTERM.
#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "api/bootstrap.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/test_controls.hpp"
#include "app/stand_in.hpp"
#include "app/version.hpp"
#include "core/error.hpp"
#include "storage/metered_store.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "transport/listen_address.hpp"
#include "transport/server.hpp"

namespace roster::app {
namespace {

// Creates the first organization, its owner and an admin key, and says so once. The key is
// printed only when it was generated here: a key from the environment is already known to whoever
// set it, and printing it would copy a secret into logs.
void BootstrapEmptyStore(storage::Store& store) {
  api::BootstrapRequest request;
  const char* env_key = std::getenv(kBootstrapKeyEnv);
  if (env_key != nullptr) request.admin_key = std::string(env_key);
  api::BootstrapResult result;
  try {
    result = api::BootstrapOrganization(store, request);
  } catch (const core::Error& e) {
    if (env_key != nullptr && e.kind() == core::ErrorKind::kInvalidRequest) {
      throw CommandError(std::string(kBootstrapKeyEnv) + ": " + e.message());
    }
    throw;
  }
  std::cout << "created organization " << result.organization.id << " (" << result.organization.name
            << ")\n"
            << "owner: " << result.owner.account.email << " (" << result.owner.account.id << ")\n";
  if (env_key != nullptr) {
    std::cout << "admin key: taken from " << kBootstrapKeyEnv << " (not printed)\n";
  } else {
    std::cout << "admin key: " << result.admin_key_value << '\n'
              << "  (shown once: only its hash is stored)\n";
  }
  std::cout << std::flush;
}

// Each connection is a file descriptor: the soft limit (often 1024) is raised towards the hard
// one so max_connections can be reached; a warning says when it cannot.
void RaiseOpenFileLimit(int max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  // Room for the database, the listener and connections being refused.
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    std::cerr << "roster: warning: the open-file limit (" << limit.rlim_cur
              << ") is below --max-connections + 256; raise `ulimit -n`\n";
  }
}

}  // namespace

int Serve(const ServeOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto listen = transport::ParseListenAddress(options.listen);
  if (!listen) {
    throw CommandError("invalid --listen '" + options.listen + "': expected HOST:PORT", kExitUsage);
  }

  // Blocked before any thread exists, so every thread inherits the mask and the signals reach
  // only the sigwait below, never an IO or worker thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (options.test_controls && !options.ephemeral) {
    throw CommandError("--test-controls needs --ephemeral (they can wipe the whole state)",
                       kExitUsage);
  }
  transport::ServerOptions server_options;
  server_options.host = listen->host;
  server_options.port = listen->port;
  server_options.io_threads = options.io_threads;
  server_options.worker_threads = options.workers;
  server_options.max_connections = static_cast<std::size_t>(options.max_connections);
  server_options.tls_cert_file = options.tls_cert_file;
  server_options.tls_key_file = options.tls_key_file;
  // Bad TLS files fail the start before the store is touched (and before a bootstrap key is
  // printed for a server that then would not run).
  if (server_options.tls_cert_file.empty() != server_options.tls_key_file.empty()) {
    throw CommandError("--tls-cert and --tls-key go together", kExitUsage);
  }
  transport::CheckTls(server_options);
  RaiseOpenFileLimit(options.max_connections);
  const core::Timestamp invite_ttl_seconds = core::Timestamp{options.invite_ttl_days} * 24 * 3600;
  // Stand-in mode (--ephemeral): an in-memory store on a clock the test controls can set.
  core::SettableClock stand_in_clock;
  const core::Clock& clock = options.ephemeral ? stand_in_clock : SystemClock();
  std::unique_ptr<storage::sqlite::SqliteStore> memory_store;
  decltype(OpenStore(options.db, options.workers)) file_store;
  if (options.ephemeral) {
    memory_store = std::make_unique<storage::sqlite::SqliteStore>(":memory:", stand_in_clock);
  } else {
    // Each worker holds at most one connection at a time.
    file_store = OpenStore(options.db, options.workers);
  }
  // Every store call is timed for GET /metrics.
  storage::MeteredStore store(options.ephemeral ? static_cast<storage::Store&>(*memory_store)
                                                : *file_store);
  if (!options.seed.empty()) {
    if (!store.ListOrganizations().empty()) {
      throw CommandError("--seed needs an empty database ('" + options.db + "' has data)");
    }
    const FixtureSummary summary =
        LoadFixture(store, options.seed, clock.Now(), invite_ttl_seconds);
    std::cout << "seeded from " << options.seed << ": " << summary.organizations
              << " organization(s), " << summary.members << " member(s), " << summary.roles
              << " role(s), " << summary.groups << " group(s), " << summary.invites
              << " invite(s), " << summary.keys << " key(s)\n";
  } else if (store.ListOrganizations().empty()) {
    BootstrapEmptyStore(store);
  } else if (std::getenv(kBootstrapKeyEnv) != nullptr) {
    std::cerr << "roster: " << kBootstrapKeyEnv
              << " ignored: the database already has an organization\n";
  }

  api::Metrics metrics{std::string(kVersion)};
  metrics.SetStore(&store);
  // Taken after bootstrap and seed: what POST /roster/test/reset returns to.
  std::unique_ptr<SnapshotState> state;
  std::unique_ptr<api::TestControls> test_controls;
  if (options.test_controls) {
    state = std::make_unique<SnapshotState>(*memory_store);
    test_controls.reset(new api::TestControls{*state, stand_in_clock});
  }

  api::RouterOptions router_options;
  router_options.accept_unknown_permissions = options.accept_unknown_permissions;
  router_options.invite_ttl_seconds = invite_ttl_seconds;
  router_options.log = MakeRequestLogger(options.log_level, options.log_format);
  router_options.metrics = &metrics;
  router_options.test_controls = test_controls.get();
  router_options.auth_throttle.max_failures = options.auth_failure_limit;
  router_options.auth_throttle.window_seconds = options.auth_failure_window;
  router_options.rate_limit.rate = options.rate_limit_rps;
  router_options.rate_limit.burst = options.rate_limit_burst;
  // Reads answered on IO threads (issue 5): only where a read cannot wait — a SQLite file in WAL
  // mode, with its own read connections, and only GETs that write nothing (Router::IsReadOnly:
  // the first use of a key each minute records `last_used_at` and goes to the worker pool). The
  // in-memory store has one connection shared with writes, and PostgreSQL reads are network round
  // trips: those stay on the pool.
  const bool inline_reads =
      options.inline_reads && !options.ephemeral && !storage::postgres::IsPostgresUrl(options.db);
  // Should a use become due between that check and the handling (a minute boundary), its write
  // is left to this thread rather than to the IO thread.
  boost::asio::thread_pool key_use_writer(1);
  const transport::Server* running = nullptr;
  if (inline_reads) {
    router_options.defer_key_use = [&key_use_writer, &running](std::function<void()> task) {
      if (running != nullptr && running->OnIoThread()) {
        boost::asio::post(key_use_writer, std::move(task));
      } else {
        task();
      }
    };
  }
  api::Router router(store, clock, router_options);
  if (inline_reads) {
    server_options.answer_inline = [&router](const api::Request& request) {
      return router.IsReadOnly(request);
    };
  }

  transport::Server server(
      server_options, [&router](const api::Request& request) { return router.Handle(request); });
  metrics.SetOpenConnections([&server] { return server.OpenConnections(); });
  running = &server;
  server.Start();
  // Tests and scripts wait for this line on a pipe: it must be flushed now, not at exit.
  std::cout << "roster listening on " << (server.tls() ? "https://" : "http://")
            << transport::FormatHostPort(listen->host, server.port()) << std::endl;
  if (options.ephemeral) {
    // The stand-in mode's start-up cost (store, migrations, fixture, listener), for test suites
    // that start one server per run.
    std::cout << "roster: in-memory store ready in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count()
              << " ms" << std::endl;
  }

  std::thread signal_waiter([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // Stop first: once this line is out, new connections are refused (tests rely on it).
    server.Stop();
    std::cout << "roster: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
              << " received, finishing requests in flight" << std::endl;
  });
  server.Wait();
  signal_waiter.join();
  key_use_writer.join();  // the last deferred `last_used_at` writes
  std::cout << "roster stopped" << std::endl;
  return kExitOk;
}

}  // namespace roster::app

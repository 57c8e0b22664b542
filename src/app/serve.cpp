// The server command: wiring of store, router and transport, first-start bootstrap, and a
// graceful stop on SIGINT/SIGTERM.
#include "app/serve.hpp"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "api/bootstrap.hpp"
#include "api/router.hpp"
#include "core/error.hpp"
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

}  // namespace

int Serve(const ServeOptions& options) {
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

  // Each worker holds at most one connection at a time.
  auto store = OpenStore(options.db, options.workers);
  if (store->ListOrganizations().empty()) {
    BootstrapEmptyStore(*store);
  } else if (std::getenv(kBootstrapKeyEnv) != nullptr) {
    std::cerr << "roster: " << kBootstrapKeyEnv
              << " ignored: the database already has an organization\n";
  }

  api::RouterOptions router_options;
  router_options.accept_unknown_permissions = options.accept_unknown_permissions;
  router_options.invite_ttl_seconds = core::Timestamp{options.invite_ttl_days} * 24 * 3600;
  api::Router router(*store, SystemClock(), router_options);

  transport::ServerOptions server_options;
  server_options.host = listen->host;
  server_options.port = listen->port;
  server_options.io_threads = options.io_threads;
  server_options.worker_threads = options.workers;
  transport::Server server(
      server_options, [&router](const api::Request& request) { return router.Handle(request); });
  server.Start();
  // Tests and scripts wait for this line on a pipe: it must be flushed now, not at exit.
  std::cout << "roster listening on http://"
            << transport::FormatHostPort(listen->host, server.port()) << std::endl;

  std::thread signal_waiter([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cout << "roster: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
              << " received, finishing requests in flight" << std::endl;
    server.Stop();
  });
  server.Wait();
  signal_waiter.join();
  std::cout << "roster stopped" << std::endl;
  return kExitOk;
}

}  // namespace roster::app

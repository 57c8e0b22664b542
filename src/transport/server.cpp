// Server: binds the listener, runs one io_context on each IO thread, and stops gracefully (close
// the acceptor, close idle connections, let requests in flight finish, then join every thread).
#include "transport/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "transport/listen_address.hpp"
#include "transport/listener.hpp"
#include "transport/server_context.hpp"
#include "transport/session.hpp"

namespace roster::transport {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Identifies the server whose io_context the current thread runs (nullptr elsewhere).
thread_local const void* current_io_server = nullptr;

ServerOptions Validated(ServerOptions options) {
  if (options.io_threads < 1) throw std::invalid_argument("io_threads must be at least 1");
  if (options.worker_threads < 1) throw std::invalid_argument("worker_threads must be at least 1");
  return options;
}

tcp::endpoint ResolveEndpoint(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return {address, port};
  // A host name (e.g. "localhost"): resolved once at startup, the first address wins.
  net::io_context resolver_context;
  tcp::resolver resolver(resolver_context);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve host '" + host +
                             "': " + (ec ? ec.message() : std::string("no address")));
  }
  return results.begin()->endpoint();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler)
      : context(Validated(std::move(options)), std::move(handler)) {
    // One io_context per IO thread (concurrency hint 1): a connection lives on one thread, and the
    // threads share no scheduler lock and never wake each other for a connection's handlers.
    for (int i = 0; i < context.options().io_threads; ++i) {
      io_contexts.push_back(std::make_unique<net::io_context>(1));
      idle_guards.emplace_back(net::make_work_guard(*io_contexts.back()));
    }
  }

  std::vector<net::io_context*> IoContexts() const {
    std::vector<net::io_context*> all;
    for (const auto& io : io_contexts) all.push_back(io.get());
    return all;
  }

  void RunIo(net::io_context& io_context) {
    current_io_server = this;
    for (;;) {
      // Completion handlers do not throw by design; should one do so anyway (bad_alloc), that
      // connection is lost but the thread keeps serving the others.
      try {
        io_context.run();
        return;
      } catch (const std::exception& e) {
        std::cerr << "roster: transport: " << e.what() << '\n';
      }
    }
  }

  // Declaration order is destruction order in reverse: the io_context (and any session it still
  // owns) goes before the context those sessions reference.
  ServerContext context;
  std::vector<std::unique_ptr<net::io_context>> io_contexts;
  // Keep each io_context running while it has no connection; released by Stop().
  std::vector<net::executor_work_guard<net::io_context::executor_type>> idle_guards;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> io_threads;

  mutable std::mutex mutex;
  std::condition_variable cv;
  std::uint16_t port = 0;
  bool started = false;
  bool stop_requested = false;
  bool joining = false;
  bool joined = false;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
  Stop();
  Wait();
}

void Server::Start() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->started) throw std::logic_error("Server::Start called twice");
  if (impl_->stop_requested) throw std::logic_error("Server::Start called after Stop");
  const ServerOptions& options = impl_->context.options();
  const tcp::endpoint endpoint = ResolveEndpoint(options.host, options.port);
  try {
    impl_->listener = std::make_shared<Listener>(impl_->IoContexts(), endpoint, impl_->context);
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error("cannot listen on " + FormatHostPort(options.host, options.port) +
                             ": " + e.code().message());
  }
  impl_->port = impl_->listener->local_endpoint().port();
  impl_->listener->Run();
  for (const auto& io : impl_->io_contexts) {
    impl_->io_threads.emplace_back([impl = impl_.get(), io = io.get()] { impl->RunIo(*io); });
  }
  impl_->started = true;
}

std::uint16_t Server::port() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->port;
}

void Server::Stop() {
  std::shared_ptr<Listener> listener;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stop_requested) return;
    impl_->stop_requested = true;
    listener = impl_->listener;
  }
  // Set before the snapshot of sessions: a session registering after the snapshot sees the flag
  // (ServerContext::Register and LiveSessions share a mutex).
  impl_->context.SetStopping();
  if (listener) listener->Stop();
  for (const auto& session : impl_->context.LiveSessions()) session->Shutdown();
  // The io threads leave run() by themselves once the acceptor is closed and the last connection
  // of their io_context has finished: nothing else keeps an io_context busy after this.
  for (auto& guard : impl_->idle_guards) guard.reset();
  impl_->cv.notify_all();
}

void Server::Wait() {
  std::unique_lock lock(impl_->mutex);
  impl_->cv.wait(lock, [&] { return impl_->stop_requested; });
  if (impl_->joining) {
    impl_->cv.wait(lock, [&] { return impl_->joined; });
    return;
  }
  impl_->joining = true;
  lock.unlock();
  for (auto& thread : impl_->io_threads) thread.join();
  // Every handler has returned by now (each held tracked work on its io_context).
  impl_->context.workers().join();
  lock.lock();
  impl_->joined = true;
  impl_->cv.notify_all();
}

bool Server::OnIoThread() const { return current_io_server == impl_.get(); }

std::size_t Server::OpenConnections() const { return impl_->context.SessionCount(); }

bool Server::tls() const { return impl_->context.tls() != nullptr; }

}  // namespace roster::transport

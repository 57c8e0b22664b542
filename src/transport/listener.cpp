// The accept loop.
#include "transport/listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <chrono>
#include <iostream>
#include <utility>

#include "transport/session.hpp"

namespace roster::transport {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// Accept errors are usually resource exhaustion (EMFILE, ENFILE, ENOBUFS); retrying at once would
// spin a core without freeing anything.
constexpr std::chrono::milliseconds kAcceptBackoff{100};
// Connections beyond max_connections are answered 503 and closed; at most this many such
// refusals run at once, further connections are closed without an answer (a flood must not turn
// the refusals themselves into the exhaustion the limit prevents).
constexpr std::size_t kMaxRefusing = 64;

}  // namespace

Listener::Listener(const std::vector<net::io_context*>& io_contexts, const tcp::endpoint& endpoint,
                   ServerContext& context)
    : io_contexts_(io_contexts),
      context_(context),
      acceptor_(net::make_strand(*io_contexts.front())),
      backoff_(acceptor_.get_executor()) {
  acceptor_.open(endpoint.protocol());
  // Lets a restarted server bind while old connections sit in TIME_WAIT; on Linux it does not
  // allow two live listeners on one port.
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  local_endpoint_ = acceptor_.local_endpoint();
}

void Listener::Run() {
  net::dispatch(acceptor_.get_executor(),
                beast::bind_front_handler(&Listener::Accept, shared_from_this()));
}

void Listener::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
}

void Listener::Accept() {
  if (!acceptor_.is_open()) return;
  // Each connection gets its own strand, so its handlers never run concurrently, on the next IO
  // thread's io_context: one thread serves it from accept to close, with no lock shared between
  // IO threads.
  net::io_context& io_context = *io_contexts_[next_];
  next_ = (next_ + 1) % io_contexts_.size();
  acceptor_.async_accept(net::make_strand(io_context),
                         beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open() || context_.stopping()) return;  // the socket closes as it goes
  if (ec) {
    std::cerr << "roster: accept failed: " << ec.message() << '\n';
    backoff_.expires_after(kAcceptBackoff);
    backoff_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->Accept();
    });
    return;
  }
  const std::size_t limit = context_.options().max_connections;
  const std::size_t open = limit == 0 ? 0 : context_.SessionCount();
  if (limit > 0 && open >= limit + kMaxRefusing) {
    beast::error_code close_ec;
    socket.close(close_ec);
  } else {
    std::make_shared<Session>(std::move(socket), context_, limit > 0 && open >= limit)->Run();
  }
  Accept();
}

}  // namespace roster::transport

// Accepts TCP connections and starts a Session for each, each on its own strand of the next IO
// thread's io_context (round robin).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <cstddef>
#include <memory>
#include <vector>

#include "transport/server_context.hpp"

namespace roster::transport {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens on `endpoint`; accepts on the first of `io_contexts` and hands the
  // connections to all of them in turn. Throws boost::system::system_error on failure.
  Listener(const std::vector<boost::asio::io_context*>& io_contexts,
           const boost::asio::ip::tcp::endpoint& endpoint, ServerContext& context);

  // The bound address (the real port when 0 was asked for).
  boost::asio::ip::tcp::endpoint local_endpoint() const { return local_endpoint_; }
  // Starts accepting.
  void Run();
  // Closes the acceptor so no further connection is accepted. Thread-safe.
  void Stop();

 private:
  void Accept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  const std::vector<boost::asio::io_context*> io_contexts_;
  std::size_t next_ = 0;  // the io_context of the next connection (accept handlers are serial)
  ServerContext& context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;  // after accept failures such as EMFILE
  boost::asio::ip::tcp::endpoint local_endpoint_;
};

}  // namespace roster::transport

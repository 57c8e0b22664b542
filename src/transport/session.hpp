// One HTTP/1.1 connection: reads one request at a time under the server's limits and timeouts,
// runs the handler on the worker pool, writes the response on the connection's strand, and
// keeps the connection alive. Pipelined requests are answered in order because the next request
// is read only after the previous response has been written. Over TLS the same state machine runs
// on an ssl_stream after the handshake (one code path; see WithStream).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "api/request.hpp"
#include "core/error.hpp"
#include "transport/message_adapter.hpp"
#include "transport/server_context.hpp"

namespace roster::transport {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand executor: every member below runs on it. Speaks TLS when the
  // context has a TLS context. `over_limit`: the connection is beyond max_connections and is
  // answered 503 (after the TLS handshake, if any) and closed.
  Session(boost::asio::ip::tcp::socket&& socket, ServerContext& context, bool over_limit = false);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Registers with the context and starts serving. Call once, right after make_shared.
  void Run();
  // Server stop: closes the connection at once unless a request is being handled or its response
  // written; those finish and then close. Thread-safe.
  void Shutdown();

 private:
  enum class State {
    kHandshaking,  // TLS only: detecting and completing the handshake
    kIdle,         // waiting for the first byte of the next request
    kReading,      // a request has started arriving
    kHandling,     // the handler runs on the worker pool
    kWriting,      // the response is being written
    kLingering,    // response sent, send side shut; draining input so the client sees it
    kClosed,
  };

  using PlainStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // Runs `f(stream)` with the connection's stream, plain or TLS: every HTTP read and write goes
  // through here, so both kinds share the code below.
  template <class F>
  void WithStream(F&& f) {
    std::visit(f, stream_);
  }
  // The TCP layer under either stream: deadlines, socket shutdown, close.
  boost::beast::tcp_stream& Tcp();

  void Start();
  void OnDetect(boost::beast::error_code ec, bool is_tls);
  void OnHandshake(boost::beast::error_code ec, std::size_t bytes_used);
  void Serve();
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec, std::size_t bytes);
  void OnContinueWritten(boost::beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec, std::size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void Reject(const core::Error& error);
  void RejectHeadersTooLarge();
  void Dispatch();
  api::Response RunHandler(const api::Request& request) const;
  // The client's IP address (api::Request::peer), looked up once per connection.
  const std::string& Peer();
  void OnHandled(api::Response&& response);
  void Write();
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void LingeringClose();
  void Drain();
  void OnDrain(boost::beast::error_code ec, std::size_t bytes);
  void Close();

  ServerContext& context_;
  std::variant<PlainStream, TlsStream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  BeastResponse response_;
  State state_ = State::kIdle;
  bool first_request_ = true;
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  bool request_unfinished_ = false;  // a refused request may still be arriving
  std::string peer_;                 // Peer(), once known
  const bool over_limit_;
  bool plain_on_tls_ = false;  // a plain HTTP request came to the TLS port: answered in plain text
};

}  // namespace roster::transport

// One HTTP/1.1 connection: reads one request at a time under the server's limits and timeouts,
// runs the handler on the worker pool, writes the response on the connection's strand, and
// keeps the connection alive. Pipelined requests are answered in order because the next request
// is read only after the previous response has been written.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "api/request.hpp"
#include "core/error.hpp"
#include "transport/message_adapter.hpp"
#include "transport/server_context.hpp"

namespace roster::transport {

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand executor: every member below runs on it.
  Session(boost::asio::ip::tcp::socket&& socket, ServerContext& context);
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
    kIdle,       // waiting for the first byte of the next request
    kReading,    // a request has started arriving
    kHandling,   // the handler runs on the worker pool
    kWriting,    // the response is being written
    kLingering,  // response sent, send side shut; draining input so the client sees it
    kClosed,
  };

  void Start();
  void WaitForRequest();
  void OnFirstBytes(boost::beast::error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(boost::beast::error_code ec, std::size_t bytes);
  void OnContinueWritten(boost::beast::error_code ec, std::size_t bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec, std::size_t bytes);
  void OnReadError(boost::beast::error_code ec);
  void Reject(const core::Error& error);
  void Dispatch();
  api::Response RunHandler(const api::Request& request) const;
  void OnHandled(api::Response&& response);
  void Write();
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void LingeringClose();
  void Drain();
  void OnDrain(boost::beast::error_code ec, std::size_t bytes);
  void Close();

  ServerContext& context_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_;
  BeastResponse response_;
  State state_ = State::kIdle;
  bool first_request_ = true;
  unsigned request_version_ = 11;
  bool request_keep_alive_ = false;
  bool request_unfinished_ = false;  // a refused request may still be arriving
};

}  // namespace roster::transport

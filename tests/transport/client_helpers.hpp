// Helpers for transport tests: a real Server on 127.0.0.1:0 with a stub handler, a Beast sync
// client, and raw-socket reads with deadlines for malformed input and timeouts.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "transport/server.hpp"

namespace roster::transport::testing {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Options for a test server: an ephemeral port on loopback, small pools, short timeouts.
ServerOptions TestOptions();

// A handler that answers 200 with a JSON echo of what it received
// ({"method","path","target","query":{k:v},"body","authorization","content_type",
// "openai_organization"}), an `x-request-id: req_echo` header, and 404 for the path "/missing".
api::Response EchoHandler(const api::Request& request);

// A started server, stopped and joined on destruction.
class RunningServer {
 public:
  RunningServer(ServerOptions options, Handler handler);
  ~RunningServer();
  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<Server> server_;
};

// A blocking client connection to 127.0.0.1:port.
class Client {
 public:
  explicit Client(std::uint16_t port);
  boost::asio::ip::tcp::socket& socket() { return socket_; }

  // Writes the request (Host and Content-Length filled in) and reads one response.
  HttpResponse RoundTrip(HttpRequest request);
  void Send(const std::string& bytes);
  HttpResponse ReadResponse();
  // Reads until the server closes the connection or `timeout` passes. `closed` tells which.
  struct ReadResult {
    std::string data;
    bool closed = false;
    std::chrono::steady_clock::duration elapsed{};
  };
  ReadResult ReadUntilClosed(std::chrono::milliseconds timeout);

 private:
  boost::asio::io_context io_context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;  // bytes read past the last parsed response
};

HttpRequest MakeRequest(boost::beast::http::verb method, std::string target, std::string body = {});

// Generous bound for "promptly" so a loaded CI machine does not fail a correct server.
inline constexpr std::chrono::seconds kPrompt{10};

inline nlohmann::json BodyJson(const HttpResponse& response) {
  return nlohmann::json::parse(response.body());
}

// A one-shot gate a handler can block on.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }
  void WaitOpen() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace roster::transport::testing

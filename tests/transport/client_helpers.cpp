// Test server, stub handler and blocking client used by the transport tests.
#include "transport/client_helpers.hpp"

#include <poll.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>
#include <utility>

namespace roster::transport::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

ServerOptions TestOptions() {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 2;
  options.worker_threads = 2;
  options.read_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(5);
  options.write_timeout = std::chrono::seconds(5);
  return options;
}

api::Response EchoHandler(const api::Request& request) {
  nlohmann::json query = nlohmann::json::object();
  for (const auto& [key, value] : request.query.pairs()) query[key] = value;
  nlohmann::json echo = {
      {"method", request.method},
      {"target", request.target},
      {"path", request.path},
      {"query", query},
      {"body", request.body},
      {"authorization", request.authorization},
      {"content_type", request.content_type},
      {"openai_organization", request.openai_organization
                                  ? nlohmann::json(*request.openai_organization)
                                  : nlohmann::json(nullptr)},
  };
  api::Response response;
  response.status = request.path == "/missing" ? 404 : 200;
  response.body = echo.dump();
  response.headers.emplace_back("x-request-id", "req_echo");
  return response;
}

RunningServer::RunningServer(ServerOptions options, Handler handler)
    : server_(std::make_unique<Server>(std::move(options), std::move(handler))) {
  server_->Start();
}

RunningServer::~RunningServer() {
  server_->Stop();
  server_->Wait();
}

Client::Client(std::uint16_t port) : socket_(io_context_) {
  socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
}

HttpResponse Client::RoundTrip(HttpRequest request) {
  request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  http::write(socket_, request);
  return ReadResponse();
}

void Client::Send(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }

HttpResponse Client::ReadResponse() {
  HttpResponse response;
  http::read(socket_, buffer_, response);
  return response;
}

Client::ReadResult Client::ReadUntilClosed(std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + timeout;
  ReadResult result;
  result.data = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  std::array<char, 4096> chunk{};
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    pollfd descriptor{socket_.native_handle(), POLLIN, 0};
    const auto wait_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    if (::poll(&descriptor, 1, static_cast<int>(wait_ms) + 1) <= 0) continue;
    beast::error_code ec;
    const std::size_t n = socket_.read_some(net::buffer(chunk), ec);
    if (ec) {  // EOF or reset: the server closed the connection
      result.closed = true;
      break;
    }
    result.data.append(chunk.data(), n);
  }
  result.elapsed = std::chrono::steady_clock::now() - start;
  return result;
}

HttpRequest MakeRequest(http::verb method, std::string target, std::string body) {
  HttpRequest request{method, target, 11};
  request.body() = std::move(body);
  return request;
}

}  // namespace roster::transport::testing

// Helpers for TLS transport tests: a throwaway CA and a server certificate for 127.0.0.1 and
// localhost, generated with the OpenSSL API at test time (no private key is committed), and a
// blocking Beast TLS client that trusts that CA.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "transport/client_helpers.hpp"

namespace roster::transport::testing {

// PEM files in a fresh temporary directory, removed on destruction.
class TestPki {
 public:
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string ca_cert() const { return (dir_ / "ca.pem").string(); }
  std::string server_cert() const { return (dir_ / "server.pem").string(); }
  std::string server_key() const { return (dir_ / "server.key").string(); }
  // A second, unrelated key (does not match server_cert()).
  std::string other_key() const { return (dir_ / "other.key").string(); }
  std::filesystem::path dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

// A blocking TLS client connection to 127.0.0.1:port that verifies the server against `ca_file`
// (hostname 127.0.0.1). The constructor connects and completes the handshake; it throws
// boost::system::system_error when either fails.
class TlsClient {
 public:
  TlsClient(std::uint16_t port, const std::string& ca_file);

  HttpResponse RoundTrip(HttpRequest request);
  HttpResponse ReadResponse();
  boost::beast::ssl_stream<boost::beast::tcp_stream>& stream() { return stream_; }

 private:
  boost::asio::io_context io_context_;
  boost::asio::ssl::context ssl_context_;
  boost::beast::ssl_stream<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace roster::transport::testing

// The transport over TLS (--tls-cert/--tls-key): a real Beast TLS client that trusts a test CA
// made at test time; the same limits, timeouts, pipelining and graceful stop as plain HTTP; the
// handshake timeout; plain HTTP sent to the TLS port; bad certificate and key files.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "transport/client_helpers.hpp"
#include "transport/server.hpp"
#include "transport/tls_helpers.hpp"

namespace roster::transport {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::BodyJson;
using testing::Client;
using testing::EchoHandler;
using testing::Gate;
using testing::kPrompt;
using testing::MakeRequest;
using testing::RunningServer;
using testing::TestOptions;
using testing::TestPki;
using testing::TlsClient;

ServerOptions TlsOptions(const TestPki& pki) {
  ServerOptions options = TestOptions();
  options.tls_cert_file = pki.server_cert();
  options.tls_key_file = pki.server_key();
  return options;
}

// Reads from a TLS stream until the server closes (EOF, truncation or reset) or `timeout`
// passes; returns the bytes and whether it closed. The read runs on a thread so a server that
// never closes fails the test instead of hanging it.
struct TlsReadResult {
  std::string data;
  bool closed = false;
};
TlsReadResult ReadUntilClosed(TlsClient& client, std::chrono::seconds timeout) {
  auto reading = std::async(std::launch::async, [&client] {
    TlsReadResult result;
    std::array<char, 4096> chunk{};
    for (;;) {
      boost::system::error_code ec;
      const std::size_t n = client.stream().read_some(net::buffer(chunk), ec);
      result.data.append(chunk.data(), n);
      if (ec) {
        result.closed = true;
        return result;
      }
    }
  });
  if (reading.wait_for(timeout) != std::future_status::ready) {
    boost::system::error_code ec;
    boost::beast::get_lowest_layer(client.stream())
        .socket()
        .shutdown(net::ip::tcp::socket::shutdown_both, ec);
    auto result = reading.get();
    result.closed = false;
    return result;
  }
  return reading.get();
}

TEST(TlsTest, RoundTripsAndKeepAliveOverTlsWithTheTestCa) {
  TestPki pki;
  RunningServer server(TlsOptions(pki), EchoHandler);
  EXPECT_TRUE(server.server().tls());
  TlsClient client(server.port(), pki.ca_cert());
  for (int i = 0; i < 3; ++i) {
    auto request = MakeRequest(http::verb::post, "/v1/organization/roles?i=" + std::to_string(i),
                               R"({"role_name":"x"})");
    request.set(http::field::authorization, "Bearer sk-admin-test");
    request.set(http::field::content_type, "application/json");
    const auto response = client.RoundTrip(request);
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
    const auto echo = BodyJson(response);
    EXPECT_EQ(echo["path"], "/v1/organization/roles");
    EXPECT_EQ(echo["query"]["i"], std::to_string(i));
    EXPECT_EQ(echo["body"], R"({"role_name":"x"})");
    EXPECT_EQ(echo["authorization"], "Bearer sk-admin-test");
  }
}

TEST(TlsTest, ClientThatDoesNotTrustTheCertificateFailsTheHandshake) {
  TestPki pki;
  TestPki other;  // another CA: the server's certificate does not chain to it
  RunningServer server(TlsOptions(pki), EchoHandler);
  EXPECT_THROW(TlsClient(server.port(), other.ca_cert()), boost::system::system_error);
  // The server is unharmed.
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
}

TEST(TlsTest, PipelinedRequestsAreAnsweredInOrderOverTls) {
  TestPki pki;
  RunningServer server(TlsOptions(pki), EchoHandler);
  TlsClient client(server.port(), pki.ca_cert());
  std::string pipelined;
  for (int i = 0; i < 5; ++i) {
    pipelined += "GET /v1/x?i=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  net::write(client.stream(), net::buffer(pipelined));
  for (int i = 0; i < 5; ++i) {
    const auto response = client.ReadResponse();
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_EQ(BodyJson(response)["query"]["i"], std::to_string(i));
  }
}

TEST(TlsTest, BodyOverLimitGets413OverTls) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.body_limit = 1024;
  RunningServer server(options, EchoHandler);
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(
      client.RoundTrip(MakeRequest(http::verb::post, "/v1/p", std::string(1024, 'a'))).result_int(),
      200);
  const auto refused =
      client.RoundTrip(MakeRequest(http::verb::post, "/v1/p", std::string(1025, 'a')));
  EXPECT_EQ(refused.result_int(), 413);
  EXPECT_EQ(BodyJson(refused)["error"]["type"], "invalid_request_error");
  EXPECT_FALSE(refused.keep_alive());
}

TEST(TlsTest, HeadersOverLimitGet431AndLongUrlGets414OverTls) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.header_limit = 1024;
  options.url_limit = 256;
  RunningServer server(options, EchoHandler);
  {
    TlsClient client(server.port(), pki.ca_cert());
    auto request = MakeRequest(http::verb::get, "/v1/x");
    request.set("X-Big", std::string(2048, 'b'));
    EXPECT_EQ(client.RoundTrip(request).result_int(), 431);
  }
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x?q=" + std::string(300, 'u')))
                .result_int(),
            414);
}

TEST(TlsTest, TricklingClientIsCutOffByTheReadTimeoutOverTls) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.read_timeout = 1s;
  RunningServer server(options, EchoHandler);
  TlsClient client(server.port(), pki.ca_cert());
  // Half a request, then nothing: the read deadline closes the connection.
  net::write(client.stream(), net::buffer(std::string("GET /v1/x HTTP/1.1\r\nHo")));
  const auto result = ReadUntilClosed(client, kPrompt);
  EXPECT_TRUE(result.closed);
  EXPECT_EQ(result.data, "");
}

TEST(TlsTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeoutOverTls) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.idle_timeout = 1s;
  RunningServer server(options, EchoHandler);
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  EXPECT_TRUE(ReadUntilClosed(client, kPrompt).closed);
}

TEST(TlsTest, ClientThatNeverHandshakesIsCutOffByTheHandshakeTimeout) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.handshake_timeout = 1s;
  options.read_timeout = 30s;  // far beyond kPrompt: the handshake deadline must do it
  RunningServer server(options, EchoHandler);
  {
    Client silent(server.port());  // TCP only, not a byte sent
    const auto result = silent.ReadUntilClosed(kPrompt);
    EXPECT_TRUE(result.closed);
    EXPECT_EQ(result.data, "");
  }
  {
    // The start of a ClientHello record, then nothing.
    Client stalled(server.port());
    stalled.Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
    EXPECT_TRUE(stalled.ReadUntilClosed(kPrompt).closed);
  }
  EXPECT_TRUE(server.server().OpenConnections() <= 1u);  // at most one still being torn down
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
}

TEST(TlsTest, PlainHttpToTheTlsPortGets400InPlainTextAndIsClosed) {
  TestPki pki;
  std::atomic<int> calls{0};
  RunningServer server(TlsOptions(pki), [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  Client plain(server.port());
  plain.Send("GET /v1/organization/users HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto result = plain.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ASSERT_EQ(result.data.rfind("HTTP/1.1 400", 0), 0u) << result.data;
  const auto body = nlohmann::json::parse(result.data.substr(result.data.find("\r\n\r\n") + 4));
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("HTTPS"), std::string::npos);
  EXPECT_EQ(calls.load(), 0);
  // Garbage that is neither TLS nor HTTP is refused the same way, and the server goes on.
  Client garbage(server.port());
  garbage.Send(std::string("\x00\xff\x00\xff garbage\r\n\r\n", 16));
  EXPECT_TRUE(garbage.ReadUntilClosed(kPrompt).closed);
  TlsClient client(server.port(), pki.ca_cert());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
}

TEST(TlsTest, GracefulStopFinishesInFlightRequestOverTls) {
  TestPki pki;
  Gate entered;
  Gate release;
  auto server = std::make_unique<Server>(TlsOptions(pki), [&](const api::Request& request) {
    if (request.path == "/v1/slow") {
      entered.Open();
      release.WaitOpen();
    }
    return EchoHandler(request);
  });
  server->Start();
  TlsClient idle(server->port(), pki.ca_cert());
  EXPECT_EQ(idle.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  TlsClient busy(server->port(), pki.ca_cert());
  auto request = MakeRequest(http::verb::get, "/v1/slow");
  request.set(http::field::host, "x");
  http::write(busy.stream(), request);
  entered.WaitOpen();

  server->Stop();
  auto waited = std::async(std::launch::async, [&] { server->Wait(); });
  EXPECT_TRUE(ReadUntilClosed(idle, kPrompt).closed);
  release.Open();
  const auto response = busy.ReadResponse();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(BodyJson(response)["path"], "/v1/slow");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_EQ(waited.wait_for(kPrompt), std::future_status::ready);
}

TEST(TlsTest, MaxConnectionsRefusalIs503OverTls) {
  TestPki pki;
  auto options = TlsOptions(pki);
  options.max_connections = 1;
  RunningServer server(options, EchoHandler);
  TlsClient first(server.port(), pki.ca_cert());
  EXPECT_EQ(first.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  TlsClient second(server.port(), pki.ca_cert());
  const auto refused = second.RoundTrip(MakeRequest(http::verb::get, "/v1/x"));
  EXPECT_EQ(refused.result_int(), 503);
  EXPECT_EQ(refused["retry-after"], "1");
  EXPECT_EQ(BodyJson(refused)["error"]["type"], "server_error");
}

TEST(TlsTest, BadCertificateOrKeyFilesFailClearlyAtConstruction) {
  TestPki pki;
  const auto garbage = (pki.dir() / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  const auto missing = (pki.dir() / "missing.pem").string();
  const auto server_with = [&](const std::string& cert, const std::string& key) {
    auto options = TestOptions();
    options.tls_cert_file = cert;
    options.tls_key_file = key;
    Server server(options, EchoHandler);
  };
  const auto expect_message = [&](const std::string& cert, const std::string& key,
                                  const std::string& needle) {
    SCOPED_TRACE(cert + " / " + key);
    try {
      server_with(cert, key);
      ADD_FAILURE() << "no exception";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
    // CheckTls refuses the same files before any server exists.
    auto options = TestOptions();
    options.tls_cert_file = cert;
    options.tls_key_file = key;
    EXPECT_ANY_THROW(CheckTls(options));
  };
  expect_message(missing, pki.server_key(), "cannot read TLS file '" + missing + "'");
  expect_message(pki.server_cert(), missing, "cannot read TLS file '" + missing + "'");
  expect_message(garbage, pki.server_key(), "cannot load TLS certificate '" + garbage + "'");
  expect_message(pki.server_cert(), garbage, "cannot load TLS key '" + garbage + "'");
  expect_message(pki.server_cert(), pki.other_key(), "does not match the certificate");
  expect_message(pki.server_cert(), "", "both a certificate file and a key file");
  // Valid files pass, and no files at all mean plain HTTP.
  auto options = TestOptions();
  EXPECT_NO_THROW(CheckTls(options));
  EXPECT_FALSE(Server(options, EchoHandler).tls());
  EXPECT_NO_THROW(CheckTls(TlsOptions(pki)));
}

}  // namespace
}  // namespace roster::transport

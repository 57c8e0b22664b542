// Transport limits at their edges: the default body limit (1 MiB), the header limit, the URL
// limit (414), and the maximum number of connections (503 + retry-after beyond it).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "transport/client_helpers.hpp"
#include "transport/server.hpp"

namespace roster::transport {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::Client;
using testing::EchoHandler;
using testing::kPrompt;
using testing::MakeRequest;
using testing::RunningServer;
using testing::TestOptions;

// Splits a raw response into its head and its JSON body, checking the OpenAI error envelope.
nlohmann::json ExpectEnvelope(const std::string& raw, int status, const std::string& type,
                              std::string* head_out = nullptr) {
  EXPECT_EQ(raw.rfind("HTTP/1.1 " + std::to_string(status), 0), 0u) << raw.substr(0, 200);
  const auto header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos) {
    ADD_FAILURE() << "no complete head: " << raw.substr(0, 200);
    return {};
  }
  const std::string head = raw.substr(0, header_end);
  EXPECT_NE(head.find("x-request-id: req_"), std::string::npos) << head;
  EXPECT_NE(head.find("application/json"), std::string::npos) << head;
  const auto body = nlohmann::json::parse(raw.substr(header_end + 4), nullptr, false);
  EXPECT_TRUE(body.is_object() && body.contains("error")) << raw;
  if (body.is_object() && body.contains("error")) {
    EXPECT_EQ(body["error"]["type"], type);
    for (const char* key : {"message", "type", "param", "code"}) {
      EXPECT_TRUE(body["error"].contains(key)) << key;
    }
  }
  if (head_out != nullptr) *head_out = head;
  return body;
}

// A GET whose header (request line, Host header, padding header and the final CRLF CRLF) is
// exactly `size` bytes.
std::string HeaderOfSize(std::size_t size) {
  const std::string start = "GET /v1/x HTTP/1.1\r\nHost: x\r\nX-Pad: ";
  const std::string end = "\r\n\r\n";
  return start + std::string(size - start.size() - end.size(), 'p') + end;
}

// A GET whose request target is exactly `size` bytes: "/v1/x?q=" and padding.
std::string TargetOfSize(std::size_t size) {
  const std::string path = "/v1/x?q=";
  return path + std::string(size - path.size(), 'u');
}

TEST(LimitsTest, BodyExactlyAtTheDefault1MiBLimitIsServed) {
  const ServerOptions options = TestOptions();
  ASSERT_EQ(options.body_limit, std::size_t{1} << 20);  // the documented default
  RunningServer server(options, [](const api::Request& request) {
    api::Response response;
    response.body = "{\"size\":" + std::to_string(request.body.size()) + "}";
    return response;
  });
  Client client(server.port());
  const auto response =
      client.RoundTrip(MakeRequest(http::verb::post, "/v1/p", std::string(1 << 20, 'a')));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(nlohmann::json::parse(response.body())["size"], 1 << 20);
  EXPECT_TRUE(response.keep_alive());
}

TEST(LimitsTest, BodyOneByteOverThe1MiBLimitGets413) {
  std::atomic<int> calls{0};
  RunningServer server(TestOptions(), [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  Client client(server.port());
  const std::size_t size = (std::size_t{1} << 20) + 1;
  client.Send("POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) +
              "\r\n\r\n" + std::string(size, 'a'));
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectEnvelope(result.data, 413, "invalid_request_error");
  EXPECT_EQ(calls.load(), 0);
}

TEST(LimitsTest, HeadersExactlyAtTheLimitAreServedOneByteMoreGet431) {
  const ServerOptions options = TestOptions();
  ASSERT_EQ(options.header_limit, std::size_t{16} << 10);  // the documented default
  RunningServer server(options, EchoHandler);
  {
    Client client(server.port());
    client.Send(HeaderOfSize(options.header_limit));
    EXPECT_EQ(client.ReadResponse().result_int(), 200);
  }
  Client client(server.port());
  client.Send(HeaderOfSize(options.header_limit + 1));
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectEnvelope(result.data, 431, "invalid_request_error");
}

TEST(LimitsTest, UrlExactlyAtTheLimitIsServedOneByteMoreGets414) {
  const ServerOptions options = TestOptions();
  ASSERT_EQ(options.url_limit, std::size_t{8} << 10);  // the documented default
  std::atomic<int> calls{0};
  RunningServer server(options, [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  {
    Client client(server.port());
    const auto response =
        client.RoundTrip(MakeRequest(http::verb::get, TargetOfSize(options.url_limit)));
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_EQ(nlohmann::json::parse(response.body())["target"].get<std::string>().size(),
              options.url_limit);
  }
  EXPECT_EQ(calls.load(), 1);
  Client client(server.port());
  client.Send("GET " + TargetOfSize(options.url_limit + 1) + " HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  const auto body = ExpectEnvelope(result.data, 414, "invalid_request_error");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("8192"), std::string::npos);
  EXPECT_EQ(calls.load(), 1);  // the handler never saw it
}

TEST(LimitsTest, UrlBeyondTheHeaderLimitGets414Not431) {
  // The request line alone overflows the 16 KiB header limit: still the URL's fault.
  RunningServer server(TestOptions(), EchoHandler);
  for (const bool line_ended : {true, false}) {
    SCOPED_TRACE(line_ended);
    Client client(server.port());
    std::string request = "GET " + TargetOfSize(20 << 10);
    if (line_ended) request += " HTTP/1.1\r\nHost: x\r\n\r\n";
    client.Send(request);
    const auto result = client.ReadUntilClosed(kPrompt);
    EXPECT_TRUE(result.closed);
    ExpectEnvelope(result.data, 414, "invalid_request_error");
  }
}

TEST(LimitsTest, LongHeaderWithShortUrlStillGets431) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  client.Send(HeaderOfSize(20 << 10));
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectEnvelope(result.data, 431, "invalid_request_error");
}

// Waits (bounded) until the server counts at most `count` open connections.
bool WaitForOpenConnectionsAtMost(Server& server, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + kPrompt;
  while (server.OpenConnections() > count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

TEST(LimitsTest, MaxConnectionsServesNRefusesTheNextWith503AndServesAgainAfterOneCloses) {
  constexpr std::size_t kLimit = 3;
  auto options = TestOptions();
  options.max_connections = kLimit;
  std::atomic<int> calls{0};
  RunningServer server(options, [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < kLimit; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    EXPECT_EQ(clients.back()->RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  }
  EXPECT_EQ(server.server().OpenConnections(), kLimit);

  // N + 1: answered 503 with retry-after, without reaching the handler, and closed.
  {
    Client extra(server.port());
    extra.Send("GET /v1/x HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto result = extra.ReadUntilClosed(kPrompt);
    EXPECT_TRUE(result.closed);
    std::string head;
    const auto body = ExpectEnvelope(result.data, 503, "server_error", &head);
    EXPECT_NE(head.find("retry-after: 1\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("retry-after-ms: 1000"), std::string::npos) << head;
    EXPECT_NE(head.find("Connection: close"), std::string::npos) << head;
    EXPECT_NE(body["error"]["message"].get<std::string>().find("limit is 3"), std::string::npos);
  }
  EXPECT_EQ(calls.load(), static_cast<int>(kLimit));
  // The N connections still work.
  for (auto& client : clients) {
    EXPECT_EQ(client->RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  }

  // One closes: a new connection is served again.
  clients.pop_back();
  ASSERT_TRUE(WaitForOpenConnectionsAtMost(server.server(), kLimit - 1));
  Client again(server.port());
  EXPECT_EQ(again.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
}

}  // namespace
}  // namespace roster::transport

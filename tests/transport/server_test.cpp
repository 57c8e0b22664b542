// Transport tests against a real Server on 127.0.0.1:0: round trips, keep-alive, pipelining,
// limits (413/431/400), timeouts, graceful stop, and where the handler runs.
#include "transport/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "transport/client_helpers.hpp"

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

// The OpenAI error envelope the transport sends for requests it refuses itself.
void ExpectErrorEnvelope(const std::string& raw_response, int status) {
  SCOPED_TRACE(raw_response);
  ASSERT_EQ(raw_response.rfind("HTTP/1.1 " + std::to_string(status), 0), 0u);
  const auto header_end = raw_response.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  const std::string head = raw_response.substr(0, header_end);
  EXPECT_NE(head.find("x-request-id: req_"), std::string::npos);
  EXPECT_NE(head.find("application/json"), std::string::npos);
  const auto body = nlohmann::json::parse(raw_response.substr(header_end + 4));
  ASSERT_TRUE(body.contains("error"));
  for (const char* key : {"message", "type", "param", "code"}) {
    EXPECT_TRUE(body["error"].contains(key)) << key;
  }
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
}

TEST(ServerTest, GetRoundTripCarriesTargetQueryAndHeaders) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  auto request =
      MakeRequest(http::verb::get, "/v1/organization/users?limit=2&emails%5B%5D=a%40b.c");
  request.set(http::field::authorization, "Bearer sk-admin-test");
  request.set("OpenAI-Organization", "org-abc");
  const auto response = client.RoundTrip(request);

  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response["x-request-id"], "req_echo");
  EXPECT_TRUE(response.keep_alive());
  const auto echo = BodyJson(response);
  EXPECT_EQ(echo["method"], "GET");
  EXPECT_EQ(echo["target"], "/v1/organization/users?limit=2&emails%5B%5D=a%40b.c");
  EXPECT_EQ(echo["path"], "/v1/organization/users");
  EXPECT_EQ(echo["query"]["limit"], "2");
  EXPECT_EQ(echo["query"]["emails[]"], "a@b.c");
  EXPECT_EQ(echo["authorization"], "Bearer sk-admin-test");
  EXPECT_EQ(echo["openai_organization"], "org-abc");
}

TEST(ServerTest, PostRoundTripCarriesBodyAndContentType) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  auto request = MakeRequest(http::verb::post, "/v1/organization/roles", R"({"role_name":"x"})");
  request.set(http::field::content_type, "application/json");
  const auto response = client.RoundTrip(request);

  EXPECT_EQ(response.result_int(), 200);
  const auto echo = BodyJson(response);
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["body"], R"({"role_name":"x"})");
  EXPECT_EQ(echo["content_type"], "application/json");
  EXPECT_EQ(echo["openai_organization"], nullptr);
  EXPECT_EQ(echo["authorization"], "");
}

TEST(ServerTest, HandlerStatusIsPassedThrough) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::delete_, "/missing")).result_int(), 404);
}

TEST(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  for (int i = 0; i < 5; ++i) {
    const auto response =
        client.RoundTrip(MakeRequest(http::verb::get, "/v1/x?i=" + std::to_string(i)));
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(BodyJson(response)["query"]["i"], std::to_string(i));
  }
}

TEST(ServerTest, ConnectionCloseIsHonoured) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  auto request = MakeRequest(http::verb::get, "/v1/x");
  request.keep_alive(false);
  const auto response = client.RoundTrip(request);
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.ReadUntilClosed(kPrompt).closed);
}

TEST(ServerTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  client.Send("GET /v1/old HTTP/1.0\r\n\r\n");
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  EXPECT_EQ(result.data.rfind("HTTP/1.0 200", 0), 0u) << result.data;
}

TEST(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  // The first request is the slowest, so answering in completion order would be visible.
  RunningServer server(TestOptions(), [](const api::Request& request) {
    if (request.path == "/v1/1") std::this_thread::sleep_for(100ms);
    return EchoHandler(request);
  });
  Client client(server.port());
  std::string bytes;
  for (int i = 1; i <= 3; ++i) {
    bytes += "GET /v1/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  client.Send(bytes);
  for (int i = 1; i <= 3; ++i) {
    const auto response = client.ReadResponse();
    ASSERT_EQ(response.result_int(), 200);
    EXPECT_EQ(BodyJson(response)["path"], "/v1/" + std::to_string(i));
  }
}

TEST(ServerTest, PipelinedPostsWithBodiesStayInOrder) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  std::string bytes;
  for (int i = 1; i <= 3; ++i) {
    const std::string body = R"({"n":)" + std::to_string(i) + "}";
    bytes +=
        "POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  client.Send(bytes);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(BodyJson(client.ReadResponse())["body"], R"({"n":)" + std::to_string(i) + "}");
  }
}

TEST(ServerTest, ExpectContinueGetsInterimResponse) {
  RunningServer server(TestOptions(), EchoHandler);
  Client client(server.port());
  client.Send(
      "POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  // Beast's client parser skips 1xx responses when reading the final one, so read raw.
  std::string interim;
  char c = 0;
  while (interim.find("\r\n\r\n") == std::string::npos) {
    net::read(client.socket(), net::buffer(&c, 1));
    interim += c;
  }
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue", 0), 0u) << interim;
  client.Send("{}");
  const auto response = client.ReadResponse();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(BodyJson(response)["body"], "{}");
}

TEST(ServerTest, BodyOverLimitGets413WithEnvelopeAndCloses) {
  auto options = TestOptions();
  options.body_limit = 1024;
  std::atomic<int> calls{0};
  RunningServer server(options, [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  Client client(server.port());
  // At the limit is fine.
  EXPECT_EQ(
      client.RoundTrip(MakeRequest(http::verb::post, "/v1/p", std::string(1024, 'a'))).result_int(),
      200);
  const std::string body(4096, 'a');
  client.Send(
      "POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectErrorEnvelope(result.data, 413);
  EXPECT_EQ(calls.load(), 1);
}

TEST(ServerTest, Status413ReachesAClientStillSendingItsBody) {
  // The server answers as soon as it sees Content-Length while the client is still uploading.
  // Closing with unread input makes the kernel send RST and drop unsent output, so the server
  // drains input until the client has read the answer. (On loopback the answer is usually out
  // before the RST anyway; this pins the behaviour, the drain is for real networks.)
  auto options = TestOptions();
  options.body_limit = 1024;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  constexpr std::size_t kBodySize = 8 << 20;
  client.Send("POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(kBodySize) +
              "\r\n\r\n");
  std::atomic<bool> stop{false};
  std::thread uploader([&] {
    const std::string chunk(64 << 10, 'u');
    const int fd = client.socket().native_handle();
    for (std::size_t sent = 0; sent < kBodySize && !stop; sent += chunk.size()) {
      if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) return;
    }
  });
  const auto result = client.ReadUntilClosed(kPrompt);
  stop = true;
  ::shutdown(client.socket().native_handle(), SHUT_RDWR);  // unblocks a send in progress
  uploader.join();
  EXPECT_TRUE(result.closed);
  ExpectErrorEnvelope(result.data, 413);
}

TEST(ServerTest, ChunkedBodyOverLimitGets413) {
  auto options = TestOptions();
  options.body_limit = 1024;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  const std::string chunk(800, 'a');
  client.Send(
      "POST /v1/p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "320\r\n" +
      chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectErrorEnvelope(result.data, 413);
}

TEST(ServerTest, HeadersOverLimitGet431WithEnvelope) {
  auto options = TestOptions();
  options.header_limit = 1024;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  client.Send("GET /v1/x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'b') + "\r\n\r\n");
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  ExpectErrorEnvelope(result.data, 431);
}

TEST(ServerTest, MalformedRequestLineGets400WithEnvelope) {
  RunningServer server(TestOptions(), EchoHandler);
  for (const char* garbage :
       {"NOT AN HTTP REQUEST\r\n\r\n", "GET /v1/x HTTP/9.x\r\n\r\n", "GET\r\n\r\n",
        "POST /v1/x HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    SCOPED_TRACE(garbage);
    Client client(server.port());
    client.Send(garbage);
    const auto result = client.ReadUntilClosed(kPrompt);
    EXPECT_TRUE(result.closed);
    ExpectErrorEnvelope(result.data, 400);
  }
}

TEST(ServerTest, ClientClosingMidRequestIsClosedQuietly) {
  std::atomic<int> calls{0};
  RunningServer server(TestOptions(), [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  {
    Client client(server.port());
    client.Send("POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    client.socket().shutdown(net::ip::tcp::socket::shutdown_send);
    const auto result = client.ReadUntilClosed(kPrompt);
    EXPECT_TRUE(result.closed);
    EXPECT_EQ(result.data, "");
  }
  // The server is still healthy.
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  EXPECT_EQ(calls.load(), 1);
}

TEST(ServerTest, StalledRequestIsCutOffByReadTimeout) {
  auto options = TestOptions();
  options.read_timeout = 1s;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  client.Send("GET /v1/x HTTP/1.1\r\nHost: x\r\n");  // half a request, then silence
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  EXPECT_EQ(result.data, "");  // a stalled client gets no answer, only the closed connection
  EXPECT_LT(result.elapsed, 5s);
}

TEST(ServerTest, TricklingClientIsCutOffByReadTimeout) {
  // Slowloris: one byte every 100 ms keeps each socket read short, but the deadline covers the
  // whole request.
  auto options = TestOptions();
  options.read_timeout = 1s;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  std::atomic<bool> stop{false};
  std::thread trickler([&] {
    const std::string request = "GET /v1/x HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(100, 'p');
    // A raw send, so this thread and the reader never share the asio socket object.
    const int fd = client.socket().native_handle();
    for (char c : request) {
      if (stop || ::send(fd, &c, 1, MSG_NOSIGNAL) != 1) return;
      std::this_thread::sleep_for(100ms);
    }
  });
  const auto result = client.ReadUntilClosed(kPrompt);
  stop = true;
  trickler.join();
  EXPECT_TRUE(result.closed);
  EXPECT_LT(result.elapsed, 5s);
}

TEST(ServerTest, ClientThatNeverReadsItsResponseIsCutOffByWriteTimeout) {
  // The response is far larger than both sockets' buffers can hold, and the client never reads:
  // the write cannot finish, so only the write timeout frees the connection.
  auto options = TestOptions();
  options.write_timeout = 1s;
  RunningServer server(options, [](const api::Request&) {
    api::Response response;
    response.status = 200;
    response.content_type = "text/plain";
    response.body.assign(std::size_t{64} << 20, 'x');
    return response;
  });
  Client client(server.port());
  const int small = 4096;
  ASSERT_EQ(
      ::setsockopt(client.socket().native_handle(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small),
      0);
  client.Send("GET /v1/big HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto start = std::chrono::steady_clock::now();
  while (server.server().OpenConnections() == 0 && std::chrono::steady_clock::now() - start < 5s) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(server.server().OpenConnections(), 1u);
  while (server.server().OpenConnections() > 0 && std::chrono::steady_clock::now() - start < 10s) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(server.server().OpenConnections(), 0u)
      << "a client that never reads held its connection";
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto options = TestOptions();
  options.idle_timeout = 1s;
  RunningServer server(options, EchoHandler);
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  const auto result = client.ReadUntilClosed(kPrompt);
  EXPECT_TRUE(result.closed);
  EXPECT_GE(result.elapsed, 500ms);
}

TEST(ServerTest, HandlerNeverRunsOnAnIoThread) {
  auto options = TestOptions();
  options.io_threads = 2;
  options.worker_threads = 3;
  std::unique_ptr<Server> server;
  std::mutex mutex;
  std::set<std::thread::id> handler_threads;
  std::atomic<int> on_io_thread{0};
  server = std::make_unique<Server>(options, [&](const api::Request& request) {
    if (server->OnIoThread()) ++on_io_thread;
    {
      std::lock_guard lock(mutex);
      handler_threads.insert(std::this_thread::get_id());
    }
    return EchoHandler(request);
  });
  server->Start();
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      Client client(server->port());
      for (int i = 0; i < 10; ++i) client.RoundTrip(MakeRequest(http::verb::get, "/v1/x"));
    });
  }
  for (auto& thread : clients) thread.join();
  server->Stop();
  server->Wait();
  EXPECT_EQ(on_io_thread.load(), 0);
  EXPECT_FALSE(server->OnIoThread());
  EXPECT_LE(handler_threads.size(), 3u);  // only the worker pool ran it
  EXPECT_EQ(handler_threads.count(std::this_thread::get_id()), 0u);
}

TEST(ServerTest, BlockedHandlerDoesNotBlockOtherConnections) {
  auto options = TestOptions();
  options.io_threads = 1;
  options.worker_threads = 2;
  Gate gate;
  RunningServer server(options, [&](const api::Request& request) {
    if (request.path == "/v1/block") gate.WaitOpen();
    return EchoHandler(request);
  });
  auto blocked = std::async(std::launch::async, [&] {
    Client client(server.port());
    return client.RoundTrip(MakeRequest(http::verb::get, "/v1/block")).result_int();
  });
  // With one IO thread, this answer proves the blocked handler is not holding it.
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/fast")).result_int(), 200);
  gate.Open();
  EXPECT_EQ(blocked.get(), 200);
}

TEST(ServerTest, ConcurrentClientsAllGetTheirOwnAnswers) {
  RunningServer server(TestOptions(), EchoHandler);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      Client client(server.port());
      for (int i = 0; i < 25; ++i) {
        const std::string marker = std::to_string(c) + "-" + std::to_string(i);
        const auto response = client.RoundTrip(MakeRequest(http::verb::post, "/v1/c", marker));
        if (BodyJson(response)["body"] != marker) ++mismatches;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(ServerTest, ThrowingHandlerGets500) {
  RunningServer server(TestOptions(), [](const api::Request&) -> api::Response {
    throw std::runtime_error("boom");
  });
  Client client(server.port());
  const auto response = client.RoundTrip(MakeRequest(http::verb::get, "/v1/x"));
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(BodyJson(response)["error"]["type"], "server_error");
  EXPECT_EQ(response["x-request-id"].substr(0, 4), "req_");
  EXPECT_EQ(response.body().find("boom"), std::string::npos);  // details are never sent
}

TEST(ServerTest, GracefulStopFinishesInFlightRequestThenRefusesConnections) {
  Gate entered;
  Gate release;
  auto server = std::make_unique<Server>(TestOptions(), [&](const api::Request& request) {
    if (request.path == "/v1/slow") {
      entered.Open();
      release.WaitOpen();
    }
    return EchoHandler(request);
  });
  server->Start();
  const auto port = server->port();

  Client idle(port);  // keep-alive connection with nothing in flight
  EXPECT_EQ(idle.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  Client busy(port);
  busy.Send("GET /v1/slow HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.WaitOpen();

  server->Stop();
  auto waited = std::async(std::launch::async, [&] { server->Wait(); });
  // Idle connections are closed right away.
  EXPECT_TRUE(idle.ReadUntilClosed(kPrompt).closed);
  // Wait() does not return while a request is in flight.
  EXPECT_EQ(waited.wait_for(200ms), std::future_status::timeout);

  release.Open();
  const auto response = busy.ReadResponse();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(BodyJson(response)["path"], "/v1/slow");
  EXPECT_FALSE(response.keep_alive());  // the client is told the connection ends
  EXPECT_TRUE(busy.ReadUntilClosed(kPrompt).closed);
  EXPECT_EQ(waited.wait_for(kPrompt), std::future_status::ready);

  boost::system::error_code ec;
  net::io_context io_context;
  net::ip::tcp::socket refused(io_context);
  refused.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec) << "connected after Stop()";
}

TEST(ServerTest, StopDropsRequestsStillArriving) {
  auto options = TestOptions();
  options.read_timeout = 30s;  // far beyond kPrompt: the stop must not wait for it
  std::atomic<int> calls{0};
  Server server(options, [&](const api::Request& request) {
    ++calls;
    return EchoHandler(request);
  });
  server.Start();
  Client client(server.port());
  client.Send("POST /v1/p HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  // A round trip on another connection makes sure the partial request has been seen.
  Client other(server.port());
  EXPECT_EQ(other.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_TRUE(client.ReadUntilClosed(kPrompt).closed);
  EXPECT_TRUE(other.ReadUntilClosed(kPrompt).closed);
  server.Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, kPrompt);
  EXPECT_EQ(calls.load(), 1);
}

TEST(ServerTest, StopAndWaitAreIdempotentAndThreadSafe) {
  Server server(TestOptions(), EchoHandler);
  server.Start();
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      server.Stop();
      server.Wait();
    });
  }
  for (auto& thread : threads) thread.join();
  server.Stop();
  server.Wait();
}

TEST(ServerTest, StopWithoutStartAndDestructionWithoutStopAreFine) {
  {
    Server server(TestOptions(), EchoHandler);
    server.Stop();
    server.Wait();
  }
  {
    Server server(TestOptions(), EchoHandler);
    server.Start();
    Client client(server.port());
    EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  }  // destructor stops and joins
}

TEST(ServerTest, StartFailsClearlyWhenThePortIsTaken) {
  RunningServer first(TestOptions(), EchoHandler);
  auto options = TestOptions();
  options.port = first.port();
  Server second(options, EchoHandler);
  try {
    second.Start();
    FAIL() << "Start() succeeded on a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
        << e.what();
  }
}

TEST(ServerTest, InvalidThreadCountsAreRejected) {
  auto options = TestOptions();
  options.worker_threads = 0;
  EXPECT_THROW(Server(options, EchoHandler), std::invalid_argument);
}

}  // namespace
}  // namespace roster::transport

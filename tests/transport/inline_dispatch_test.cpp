// ServerOptions::answer_inline (issue 5): requests the predicate accepts are handled on the IO
// thread that read them; the rest still go to the worker pool, so a long write never holds up the
// reads answered inline. The peer address reaches the handler (api::Request::peer).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "transport/client_helpers.hpp"
#include "transport/server.hpp"

namespace roster::transport {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::Client;
using testing::EchoHandler;
using testing::MakeRequest;
using testing::TestOptions;

TEST(InlineDispatchTest, AcceptedRequestsRunOnTheIoThreadOthersOnWorkers) {
  auto options = TestOptions();
  options.io_threads = 1;
  options.worker_threads = 2;
  options.answer_inline = [](const api::Request& request) { return request.method == "GET"; };
  std::unique_ptr<Server> server;
  std::atomic<int> gets_on_io{0}, gets_elsewhere{0}, posts_on_io{0}, posts_elsewhere{0};
  server = std::make_unique<Server>(options, [&](const api::Request& request) {
    const bool io = server->OnIoThread();
    if (request.method == "GET") {
      ++(io ? gets_on_io : gets_elsewhere);
    } else {
      ++(io ? posts_on_io : posts_elsewhere);
    }
    return EchoHandler(request);
  });
  server->Start();
  {
    Client client(server->port());
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
      EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::post, "/v1/x", "{}")).result_int(), 200);
    }
  }
  server->Stop();
  server->Wait();
  EXPECT_EQ(gets_on_io.load(), 10);
  EXPECT_EQ(gets_elsewhere.load(), 0);
  EXPECT_EQ(posts_on_io.load(), 0);
  EXPECT_EQ(posts_elsewhere.load(), 10);
}

TEST(InlineDispatchTest, ALongWriteDoesNotBlockInlineReads) {
  auto options = TestOptions();
  options.io_threads = 1;
  options.worker_threads = 1;
  options.answer_inline = [](const api::Request& request) { return request.method == "GET"; };
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> write_started;
  testing::RunningServer server(options, [&](const api::Request& request) {
    if (request.method == "POST") {
      write_started.set_value();
      released.wait();  // the write holds its (only) worker until the test lets it go
    }
    return EchoHandler(request);
  });
  Client writer(server.port());
  writer.Send("POST /v1/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  write_started.get_future().wait();
  // The worker pool is busy and the write unanswered; reads on other connections are answered.
  for (int i = 0; i < 5; ++i) {
    Client reader(server.port());
    EXPECT_EQ(reader.RoundTrip(MakeRequest(http::verb::get, "/v1/fast")).result_int(), 200);
  }
  release.set_value();
  EXPECT_EQ(writer.ReadResponse().result_int(), 200);
}

TEST(InlineDispatchTest, WithoutThePredicateNothingRunsOnTheIoThread) {
  auto options = TestOptions();
  std::unique_ptr<Server> server;
  std::atomic<int> on_io{0};
  server = std::make_unique<Server>(options, [&](const api::Request& request) {
    if (server->OnIoThread()) ++on_io;
    return EchoHandler(request);
  });
  server->Start();
  {
    Client client(server->port());
    for (int i = 0; i < 5; ++i) client.RoundTrip(MakeRequest(http::verb::get, "/v1/x"));
  }
  server->Stop();
  server->Wait();
  EXPECT_EQ(on_io.load(), 0);
}

TEST(InlineDispatchTest, ThePeerAddressReachesTheHandler) {
  std::mutex mutex;
  std::string peer;
  testing::RunningServer server(TestOptions(), [&](const api::Request& request) {
    std::lock_guard lock(mutex);
    peer = request.peer;
    return EchoHandler(request);
  });
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(MakeRequest(http::verb::get, "/v1/x")).result_int(), 200);
  std::lock_guard lock(mutex);
  EXPECT_EQ(peer, "127.0.0.1");
}

}  // namespace
}  // namespace roster::transport

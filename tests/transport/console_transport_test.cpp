// The console's needs of the transport: If-None-Match reaches the API request, and a 304 with no
// body and a non-JSON content type goes out as a well-formed HTTP response.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <string>

#include "transport/client_helpers.hpp"

namespace roster::transport {
namespace {

namespace http = boost::beast::http;
using testing::Client;
using testing::MakeRequest;
using testing::RunningServer;
using testing::TestOptions;

constexpr std::string_view kEtag = "\"0123456789abcdef\"";

api::Response PageHandler(const api::Request& request) {
  api::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.headers = {{"etag", std::string(kEtag)}, {"cache-control", "no-cache"}};
  if (request.if_none_match == kEtag) {
    response.status = 304;
  } else {
    response.body = "<!doctype html><p>seen: " + request.if_none_match + "</p>";
  }
  return response;
}

TEST(ConsoleTransportTest, ConditionalGetAnswers304WithoutBody) {
  RunningServer running(TestOptions(), PageHandler);
  Client client(running.port());

  const auto first = client.RoundTrip(MakeRequest(http::verb::get, "/"));
  EXPECT_EQ(first.result(), http::status::ok);
  EXPECT_EQ(first[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(first[http::field::etag], kEtag);
  EXPECT_EQ(first.body(), "<!doctype html><p>seen: </p>");

  auto conditional = MakeRequest(http::verb::get, "/");
  conditional.set(http::field::if_none_match, kEtag);
  const auto second = client.RoundTrip(conditional);
  EXPECT_EQ(second.result(), http::status::not_modified);
  EXPECT_TRUE(second.body().empty());
  EXPECT_EQ(second[http::field::etag], kEtag);

  // The connection stays usable after a body-less 304.
  auto other = MakeRequest(http::verb::get, "/");
  other.set(http::field::if_none_match, "\"other\"");
  const auto third = client.RoundTrip(other);
  EXPECT_EQ(third.result(), http::status::ok);
  EXPECT_EQ(third.body(), "<!doctype html><p>seen: \"other\"</p>");
}

}  // namespace
}  // namespace roster::transport

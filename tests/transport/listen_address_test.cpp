// ParseListenAddress / FormatHostPort: the `--listen HOST:PORT` syntax.
#include "transport/listen_address.hpp"

#include <gtest/gtest.h>

namespace roster::transport {
namespace {

TEST(ListenAddressTest, ParsesHostAndPort) {
  const auto address = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 8080);
  EXPECT_EQ(ParseListenAddress("localhost:0")->port, 0);
  EXPECT_EQ(ParseListenAddress("0.0.0.0:65535")->port, 65535);
}

TEST(ListenAddressTest, ParsesBracketedIpv6) {
  const auto address = ParseListenAddress("[::1]:9000");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 9000);
}

TEST(ListenAddressTest, RejectsMalformedInput) {
  for (const char* text :
       {"", "8080", "127.0.0.1", "127.0.0.1:", ":8080", "host:65536", "host:-1", "host:80x",
        "host: 80", "::1:80", "[::1]80", "[::1:80", "my host:80", "host:123456"}) {
    EXPECT_FALSE(ParseListenAddress(text)) << text;
  }
}

TEST(ListenAddressTest, FormatsForUrls) {
  EXPECT_EQ(FormatHostPort("127.0.0.1", 8080), "127.0.0.1:8080");
  EXPECT_EQ(FormatHostPort("::1", 80), "[::1]:80");
}

}  // namespace
}  // namespace roster::transport

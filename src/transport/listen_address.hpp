// The `HOST:PORT` form of a listening address (`--listen`), parsed and printed the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster::transport {

struct ListenAddress {
  std::string host;  // a name or an IP literal, IPv6 without brackets
  std::uint16_t port = 0;
};

// Parses `HOST:PORT`, or `[V6]:PORT` for an IPv6 literal. Returns nullopt when the host is empty
// or contains whitespace, or the port is not a decimal number in 0–65535 (0 = any free port).
std::optional<ListenAddress> ParseListenAddress(std::string_view text);

// `host:port`, with an IPv6 literal in brackets: what ParseListenAddress reads and URLs use.
std::string FormatHostPort(std::string_view host, std::uint16_t port);

}  // namespace roster::transport

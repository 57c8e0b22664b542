// Fuzz target: raw HTTP/1.1 bytes → Beast's request parser (the transport's limits: 1 MiB body,
// 16 KiB headers) → transport::ToApiRequest → api::Router over an in-memory SQLite store holding
// one bootstrapped organization. The first input byte lets the fuzzer put that organization's
// valid admin key (and its organization header) on the requests, so fuzzed requests get past
// authentication; the seed corpus (fuzz/corpus/fuzz_http_router/, made by fuzz/make_seeds.py)
// holds an authenticated request for every route. Pipelined requests are parsed in turn.
// Oracle: no crash, no sanitizer report, and no 5xx response (abort).
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "api/bootstrap.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "core/clock.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "transport/message_adapter.hpp"

namespace {

namespace http = boost::beast::http;
using namespace roster;

// The world the requests run against. Rebuilt every kRequestsPerWorld inputs, so state the
// fuzzer's writes pile up (roles, keys, invites) stays small and runs stay fast.
struct World {
  core::ManualClock clock{1'700'000'000};
  storage::sqlite::SqliteStore store{":memory:", clock};
  api::BootstrapResult org = api::BootstrapOrganization(store, api::BootstrapRequest{});
  api::Metrics metrics{"fuzz"};
  api::Router router{store, clock, Options(metrics)};

  static api::RouterOptions Options(api::Metrics& metrics) {
    api::RouterOptions options;
    options.log = [](const api::RequestLogRecord&) {};
    options.metrics = &metrics;
    return options;
  }
};

constexpr int kRequestsPerWorld = 512;
constexpr int kMaxRequestsPerInput = 8;

World& CurrentWorld() {
  static std::unique_ptr<World> world;
  static int uses = 0;
  if (!world || ++uses % kRequestsPerWorld == 0) {
    world.reset();
    world = std::make_unique<World>();
  }
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  boost::asio::const_buffer input(data + 1, size - 1);
  World& world = CurrentWorld();

  for (int served = 0; served < kMaxRequestsPerInput && input.size() > 0; ++served) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(1 << 20);
    parser.header_limit(16 << 10);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done() && input.size() > 0) {
      const std::size_t used = parser.put(input, ec);
      input += used;
      if (ec == http::error::need_more) {
        // Beast's contract: after need_more the next put() must see more bytes than the last one
        // (its own read loop always reads before calling again; a chunked final chunk asserts on
        // it). The input has no more, so this is the client closing mid-request.
        ec = {};
        break;
      }
      if (ec) return 0;  // the transport answers 400/413/431 and closes
    }
    if (!parser.is_done()) {
      parser.put_eof(ec);  // the client closed: a body without a length ends here
      if (ec || !parser.is_done()) return 0;
    }
    const bool keep_alive = parser.keep_alive();
    api::Request request = transport::ToApiRequest(parser.release());
    if (flags & 1) request.authorization = "Bearer " + world.org.admin_key_value;
    if (flags & 2) request.openai_organization = world.org.organization.id;
    if (flags & 4) request.content_type = "application/json";
    const api::Response response = world.router.Handle(request);
    if (response.status >= 500 || response.status < 100) {
      std::fprintf(stderr, "finding: %d for %s %s\n%s\n", response.status, request.method.c_str(),
                   request.target.c_str(), response.body.c_str());
      std::abort();
    }
    if (!keep_alive) break;
  }
  return 0;
}

// The per-connection state machine: read (with limits and timeouts) → handle on the worker pool →
// write on the strand → read the next request or close.
#include "transport/session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <limits>
#include <string>
#include <utility>

#include "api/error_response.hpp"
#include "core/ids.hpp"

namespace roster::transport {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// The first read of a request only has to show that a request is coming.
constexpr std::size_t kFirstReadSize = 4096;
// After a request that ends the connection, input is drained this long at most so the client
// reads the response instead of a reset (closing with unread input makes the kernel send RST).
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr std::size_t kLingerReadSize = 4096;
// An idle connection gives back buffer memory grown by a large request.
constexpr std::size_t kMaxIdleBufferCapacity = 64 << 10;

constexpr std::string_view kInternalErrorMessage =
    "The server had an error while processing your request.";

bool IsHttpError(beast::error_code ec) {
  return ec.category() == beast::error_code(http::error::bad_method).category();
}

}  // namespace

namespace {

std::variant<beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>> MakeStream(
    tcp::socket&& socket, ServerContext& context) {
  if (context.tls() == nullptr) return beast::tcp_stream(std::move(socket));
  return beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *context.tls());
}

}  // namespace

Session::Session(tcp::socket&& socket, ServerContext& context, bool over_limit)
    : context_(context),
      stream_(MakeStream(std::move(socket), context)),
      continue_(http::status::continue_, 11),
      over_limit_(over_limit) {}

beast::tcp_stream& Session::Tcp() {
  return std::visit(
      [](auto& stream) -> beast::tcp_stream& { return beast::get_lowest_layer(stream); }, stream_);
}

Session::~Session() { context_.Unregister(this); }

void Session::Run() {
  context_.Register(shared_from_this());
  net::dispatch(Tcp().get_executor(),
                beast::bind_front_handler(&Session::Start, shared_from_this()));
}

void Session::Shutdown() {
  net::post(Tcp().get_executor(), [self = shared_from_this()] {
    // A request that has only partly arrived is not in flight yet; waiting for it would let one
    // slow client hold up the stop for a whole read timeout.
    if (self->state_ == State::kHandshaking || self->state_ == State::kIdle ||
        self->state_ == State::kReading) {
      self->Close();
    }
  });
}

void Session::Start() {
  // Stop() may have taken its snapshot of live sessions just before this one registered.
  if (context_.stopping()) return Close();
  if (std::holds_alternative<PlainStream>(stream_)) return Serve();
  // One deadline for detection and handshake: a client that connects and never completes the
  // handshake is cut off.
  state_ = State::kHandshaking;
  Tcp().expires_after(context_.options().handshake_timeout);
  beast::async_detect_ssl(Tcp(), buffer_,
                          beast::bind_front_handler(&Session::OnDetect, shared_from_this()));
}

void Session::OnDetect(beast::error_code ec, bool is_tls) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  if (!is_tls) {
    // Plain HTTP to the TLS port: a readable 400 in plain text beats a handshake failure.
    plain_on_tls_ = true;
    return Reject(core::Error(core::ErrorKind::kInvalidRequest,
                              "This port speaks HTTPS; send the request over TLS (https://)."));
  }
  // Bytes read while detecting are the start of the ClientHello.
  std::get<TlsStream>(stream_).async_handshake(
      net::ssl::stream_base::server, buffer_.data(),
      beast::bind_front_handler(&Session::OnHandshake, shared_from_this()));
}

void Session::OnHandshake(beast::error_code ec, std::size_t bytes_used) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  buffer_.consume(bytes_used);
  Serve();
}

void Session::Serve() {
  if (over_limit_) {
    return Reject(core::Error(core::ErrorKind::kUnavailable,
                              "The server has too many open connections (the limit is " +
                                  std::to_string(context_.options().max_connections) +
                                  "); retry later."));
  }
  WaitForRequest();
}

void Session::WaitForRequest() {
  state_ = State::kIdle;
  const ServerOptions& options = context_.options();
  parser_.emplace();
  parser_->body_limit(options.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  // A pipelined request is already here: it is being read, not waited for.
  if (buffer_.size() > 0) return ReadHeader();
  if (buffer_.capacity() > kMaxIdleBufferCapacity) buffer_.shrink_to_fit();
  // Between keep-alive requests the client may think; a new connection should start promptly.
  Tcp().expires_after(first_request_ ? options.read_timeout : options.idle_timeout);
  WithStream([this](auto& stream) {
    stream.async_read_some(buffer_.prepare(kFirstReadSize),
                           beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
  });
}

void Session::OnFirstBytes(beast::error_code ec, std::size_t bytes) {
  if (state_ == State::kClosed) return;
  buffer_.commit(bytes);
  // EOF, idle timeout or reset before any byte of a request: nothing to answer.
  if (ec) return Close();
  ReadHeader();
}

void Session::ReadHeader() {
  state_ = State::kReading;
  // One deadline for the whole request: a client trickling a byte at a time is still cut off.
  Tcp().expires_after(context_.options().read_timeout);
  WithStream([this](auto& stream) {
    http::async_read_header(stream, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  });
}

void Session::OnHeader(beast::error_code ec, std::size_t bytes) {
  if (state_ == State::kClosed) return;
  if (ec) return OnReadError(ec);
  const auto& request = parser_->get();
  const ServerOptions& options = context_.options();
  if (request.target().size() > options.url_limit) {
    return Reject(core::Error(core::ErrorKind::kUriTooLong,
                              "The request URL is too long; the limit is " +
                                  std::to_string(options.url_limit) + " bytes."));
  }
  // Beast checks its header limit per parse window (request line and each batch of fields), so
  // a header a little over the limit can pass it; `bytes` is the whole header as parsed.
  if (bytes > options.header_limit) return RejectHeadersTooLarge();
  if (parser_->is_done()) return Dispatch();
  // Clients that ask (curl does for larger bodies) wait for this before sending the body.
  if (request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue")) {
    WithStream([this](auto& stream) {
      http::async_write(stream, continue_,
                        beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
    });
    return;
  }
  ReadBody();
}

void Session::OnContinueWritten(beast::error_code ec, std::size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  ReadBody();
}

void Session::ReadBody() {
  // The deadline set in ReadHeader still applies.
  WithStream([this](auto& stream) {
    http::async_read(stream, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  });
}

void Session::OnBody(beast::error_code ec, std::size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return OnReadError(ec);
  Dispatch();
}

void Session::OnReadError(beast::error_code ec) {
  // The peer left (EOF, also mid-request), the read timed out, or the socket failed: there is
  // nobody to answer, or answering would reward a stalled client.
  if (!IsHttpError(ec) || ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return Close();
  }
  const ServerOptions& options = context_.options();
  if (ec == http::error::body_limit) {
    return Reject(core::Error(core::ErrorKind::kPayloadTooLarge,
                              "The request body is too large; the limit is " +
                                  std::to_string(options.body_limit) + " bytes."));
  }
  if (ec == http::error::header_limit) {
    // Beast applies the header limit to the request line and to the fields separately. A request
    // line that never ended within it (no method parsed yet) is a URL far beyond the URL limit:
    // that is what the client must fix, so 414 rather than 431.
    if (parser_->get().method_string().empty()) {
      return Reject(core::Error(core::ErrorKind::kUriTooLong,
                                "The request URL is too long; the limit is " +
                                    std::to_string(options.url_limit) + " bytes."));
    }
    return RejectHeadersTooLarge();
  }
  Reject(core::Error(core::ErrorKind::kInvalidRequest,
                     "The HTTP request could not be parsed (" + ec.message() + ")."));
}

void Session::RejectHeadersTooLarge() {
  Reject(core::Error(core::ErrorKind::kHeadersTooLarge,
                     "The request headers are too large; the limit is " +
                         std::to_string(context_.options().header_limit) + " bytes."));
}

void Session::Reject(const core::Error& error) {
  // The stream is out of sync after a parse error, so the connection ends after this response.
  request_unfinished_ = true;
  response_ = ToBeastResponse(api::MakeErrorResponse(error, core::NewRequestId()), 11,
                              /*keep_alive=*/false);
  Write();
}

void Session::Dispatch() {
  state_ = State::kHandling;
  BeastRequest beast_request = parser_->release();
  parser_.reset();
  request_version_ = beast_request.version();
  request_keep_alive_ = beast_request.keep_alive();
  // Tracked work keeps the io_context running while the handler runs, so the response can
  // always be posted back, even during Stop().
  api::Request request = ToApiRequest(std::move(beast_request));
  request.peer = Peer();
  if (context_.options().answer_inline && context_.options().answer_inline(request)) {
    return OnHandled(RunHandler(request));  // cannot block: answered here, no handoff
  }
  auto executor = net::prefer(Tcp().get_executor(), net::execution::outstanding_work.tracked);
  net::post(context_.workers(),
            [self = shared_from_this(), executor, request = std::move(request)]() mutable {
              api::Response response = self->RunHandler(request);
              net::post(executor, [self, response = std::move(response)]() mutable {
                self->OnHandled(std::move(response));
              });
            });
}

const std::string& Session::Peer() {
  if (peer_.empty()) {
    beast::error_code ec;
    const tcp::endpoint endpoint = Tcp().socket().remote_endpoint(ec);
    if (!ec) peer_ = endpoint.address().to_string();
  }
  return peer_;
}

api::Response Session::RunHandler(const api::Request& request) const {
  // The handler is documented not to throw; a throw is a bug, answered as 500 rather than taking
  // down a worker thread.
  std::string detail;
  try {
    return context_.handler()(request);
  } catch (const std::exception& e) {
    detail = e.what();
  } catch (...) {
    detail = "unknown exception";
  }
  const std::string request_id = core::NewRequestId();
  std::cerr << "roster: handler threw (" << request_id << "): " << detail << '\n';
  return api::MakeErrorResponse(
      core::Error(core::ErrorKind::kInternal, std::string(kInternalErrorMessage), std::nullopt,
                  std::nullopt, detail),
      request_id);
}

void Session::OnHandled(api::Response&& response) {
  if (state_ == State::kClosed) return;
  const bool keep_alive = request_keep_alive_ && !context_.stopping();
  response_ = ToBeastResponse(std::move(response), request_version_, keep_alive);
  Write();
}

void Session::Write() {
  state_ = State::kWriting;
  Tcp().expires_after(context_.options().write_timeout);
  if (plain_on_tls_) {
    http::async_write(Tcp(), response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
    return;
  }
  WithStream([this](auto& stream) {
    http::async_write(stream, response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  });
}

void Session::OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  if (!response_.keep_alive() || context_.stopping()) {
    // Draining costs up to kLingerTimeout (and delays Stop() that long), so it is done only when
    // input is left over: a refused request's body, or requests pipelined behind this one.
    // Otherwise a plain close sends FIN, not RST.
    beast::error_code available_ec;
    const bool unread_input =
        request_unfinished_ || buffer_.size() > 0 || Tcp().socket().available(available_ec) > 0;
    return unread_input ? LingeringClose() : Close();
  }
  first_request_ = false;
  response_ = {};
  WaitForRequest();
}

void Session::LingeringClose() {
  state_ = State::kLingering;
  response_ = {};
  beast::error_code ec;
  // Over TLS too the TCP send side is shut without a close_notify: every response carries its
  // length, so the client has read all of it.
  Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Close();
  Tcp().expires_after(kLingerTimeout);
  Drain();
}

void Session::Drain() {
  buffer_.clear();
  // Raw TCP bytes: what is drained is discarded, TLS records included.
  Tcp().async_read_some(buffer_.prepare(kLingerReadSize),
                        beast::bind_front_handler(&Session::OnDrain, shared_from_this()));
}

void Session::OnDrain(beast::error_code ec, std::size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  // EOF: the client has read the response and closed; timeout: it had its chance.
  if (ec) return Close();
  Drain();
}

void Session::Close() {
  state_ = State::kClosed;
  beast::error_code ec;
  Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
  // Also cancels pending operations; their handlers see kClosed and return.
  Tcp().close();
}

}  // namespace roster::transport

// The per-connection state machine: read (with limits and timeouts) → handle on the worker pool →
// write on the strand → read the next request or close.
#include "transport/session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
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

Session::Session(tcp::socket&& socket, ServerContext& context)
    : context_(context), stream_(std::move(socket)), continue_(http::status::continue_, 11) {}

Session::~Session() { context_.Unregister(this); }

void Session::Run() {
  context_.Register(shared_from_this());
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::Start, shared_from_this()));
}

void Session::Shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // A request that has only partly arrived is not in flight yet; waiting for it would let one
    // slow client hold up the stop for a whole read timeout.
    if (self->state_ == State::kIdle || self->state_ == State::kReading) self->Close();
  });
}

void Session::Start() {
  // Stop() may have taken its snapshot of live sessions just before this one registered.
  if (context_.stopping()) return Close();
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
  stream_.expires_after(first_request_ ? options.read_timeout : options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadSize),
                          beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
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
  stream_.expires_after(context_.options().read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
}

void Session::OnHeader(beast::error_code ec, std::size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return OnReadError(ec);
  if (parser_->is_done()) return Dispatch();
  const auto& request = parser_->get();
  // Clients that ask (curl does for larger bodies) wait for this before sending the body.
  if (request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue")) {
    http::async_write(stream_, continue_,
                      beast::bind_front_handler(&Session::OnContinueWritten, shared_from_this()));
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
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::OnBody, shared_from_this()));
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
    return Reject(core::Error(core::ErrorKind::kHeadersTooLarge,
                              "The request headers are too large; the limit is " +
                                  std::to_string(options.header_limit) + " bytes."));
  }
  Reject(core::Error(core::ErrorKind::kInvalidRequest,
                     "The HTTP request could not be parsed (" + ec.message() + ")."));
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
  auto executor = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
  net::post(context_.workers(), [self = shared_from_this(), executor,
                                 request = ToApiRequest(std::move(beast_request))]() mutable {
    api::Response response = self->RunHandler(request);
    net::post(executor, [self, response = std::move(response)]() mutable {
      self->OnHandled(std::move(response));
    });
  });
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
  stream_.expires_after(context_.options().write_timeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
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
        request_unfinished_ || buffer_.size() > 0 || stream_.socket().available(available_ec) > 0;
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
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return Close();
  stream_.expires_after(kLingerTimeout);
  Drain();
}

void Session::Drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kLingerReadSize),
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
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  // Also cancels pending operations; their handlers see kClosed and return.
  stream_.close();
}

}  // namespace roster::transport

// Conversion between Beast messages and the transport-independent api::Request/api::Response,
// so nothing outside transport/ sees a Beast type.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/request.hpp"

namespace roster::transport {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Method, raw target (split into path and decoded query), the headers the API reads, and the
// body (moved out of `request`).
api::Request ToApiRequest(BeastRequest&& request);

// Status, content-type, extra headers and body of `response` as an HTTP/1.`version` message with
// Content-Length set and `Connection` matching `keep_alive`.
BeastResponse ToBeastResponse(api::Response&& response, unsigned version, bool keep_alive);

}  // namespace roster::transport

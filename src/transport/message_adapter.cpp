// Beast request → api::Request and api::Response → Beast response.
#include "transport/message_adapter.hpp"

#include <boost/beast/http/field.hpp>
#include <string>
#include <utility>

namespace roster::transport {

namespace http = boost::beast::http;

api::Request ToApiRequest(BeastRequest&& request) {
  api::Request out = api::Request::Make(std::string(request.method_string()),
                                        std::string(request.target()), std::move(request.body()),
                                        std::string(request[http::field::authorization]));
  out.content_type = std::string(request[http::field::content_type]);
  out.if_none_match = std::string(request[http::field::if_none_match]);
  // OpenAI-Organization is not a field Beast knows by enum; an empty value still counts as sent,
  // so presence is checked rather than emptiness.
  if (auto it = request.find("OpenAI-Organization"); it != request.end()) {
    out.openai_organization = std::string(it->value());
  }
  return out;
}

BeastResponse ToBeastResponse(api::Response&& response, unsigned version, bool keep_alive) {
  BeastResponse out;
  out.version(version);
  // result(unsigned) keeps statuses Beast has no enumerator for; anything outside the valid range
  // is a bug upstream and must not produce an unparseable status line.
  const bool valid = response.status >= 100 && response.status <= 599;
  out.result(valid ? static_cast<unsigned>(response.status) : 500U);
  out.set(http::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) out.set(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace roster::transport

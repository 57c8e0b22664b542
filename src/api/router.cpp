// Request dispatch: match, authenticate, run the handler, and turn every failure into the OpenAI
// error envelope. The one catch site of the server.
#include "api/router.hpp"

#include <iostream>
#include <string>

#include "api/auth.hpp"
#include "api/error_response.hpp"
#include "api/key_use.hpp"
#include "api/routes.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace roster::api {
namespace {

constexpr std::string_view kInternalErrorMessage =
    "The server had an error while processing your request. Please include the request ID ";

// Used only when even rendering the error failed (allocation failure): a constant body, so
// Handle can keep its noexcept promise.
constexpr std::string_view kLastResortBody =
    R"({"error":{"message":"The server had an error while processing your request.",)"
    R"("type":"server_error","param":null,"code":null}})";

core::Error InternalError(std::string_view request_id, std::string detail) {
  return core::Error(
      core::ErrorKind::kInternal,
      std::string(kInternalErrorMessage) + std::string(request_id) + " in your message.",
      std::nullopt, std::nullopt, std::move(detail));
}

// Responds 404 the way the real API does for a path it does not serve (CONTRACT §1).
core::Error InvalidUrl(const Request& request) {
  return core::NotFound("Invalid URL (" + request.method + " " + request.path + ")");
}

}  // namespace

struct Router::Impl {
  storage::Store& store;
  const core::Clock& clock;
  RouterOptions options;
  mutable KeyUseThrottle key_use{};

  std::string Dispatch(const Request& request) const {
    std::optional<RouteMatch> match = MatchRoute(request.method, request.path);
    // Routing before authentication: unknown URLs answer 404 even without a key, as upstream.
    if (!match) throw InvalidUrl(request);
    const Route& route = *match->route;
    const json::PermissionPolicy policy{options.accept_unknown_permissions};
    if (route.access == Access::kPublic) {
      // No key: the handler checks its own secret; the actor is empty (no organization).
      const core::Actor nobody;
      return route.handler(handlers::Context{store, nobody, request, match->params, policy, clock,
                                             options.invite_ttl_seconds});
    }
    const storage::KeyRecord key = Authenticate(store, clock, request, route);
    RecordUse(key.key);
    Authorize(key, route.permission);
    return route.handler(handlers::Context{store, key.actor, request, match->params, policy, clock,
                                           options.invite_ttl_seconds});
  }

  // Keeps `last_used_at` current, coarsely: a write at most once a minute per key. Bookkeeping
  // only, so a failure (database busy) must not fail the request it belongs to.
  void RecordUse(const core::AdminKey& key) const noexcept {
    try {
      const core::Timestamp now = clock.Now();
      if (key_use.ShouldRecord(key.id, key.last_used_at, now)) store.TouchAdminKey(key.id, now);
    } catch (...) {
    }
  }

  void Log(const Request& request, const core::Error& error, const Response& response,
           std::string_view request_id) const noexcept {
    try {
      if (!options.log && response.status < 500) return;
      std::string line(request_id);
      line += ' ';
      line += std::to_string(response.status);
      line += ' ';
      line += request.method;
      line += ' ';
      // The raw path is client-controlled: no control characters (forged log lines) get through.
      for (char c : request.path) {
        const auto byte = static_cast<unsigned char>(c);
        line += byte < 0x20 || byte == 0x7F ? '?' : c;
      }
      line += " code=";
      line += error.code().value_or("-");
      if (!error.detail().empty()) {
        line += " detail=";
        line += error.detail();
      }
      if (options.log) {
        options.log(response.status, line);
      } else {
        std::cerr << line << '\n';
      }
    } catch (...) {
      // Logging must never turn a response into a crash.
    }
  }

  Response Fail(const Request& request, const core::Error& error,
                const std::string& request_id) const noexcept {
    try {
      Response response = MakeErrorResponse(error, request_id);
      Log(request, error, response, request_id);
      return response;
    } catch (...) {
      return LastResort(request_id);
    }
  }

  // For exceptions outside the taxonomy: a generic 500; what() goes to the log only.
  Response FailInternal(const Request& request, const std::string& request_id,
                        const char* detail) const noexcept {
    try {
      return Fail(request, InternalError(request_id, detail), request_id);
    } catch (...) {
      return LastResort(request_id);
    }
  }

  static Response LastResort(const std::string& request_id) noexcept {
    Response response;
    response.status = 500;
    try {
      response.body = kLastResortBody;
      response.headers.emplace_back("x-request-id", request_id);
    } catch (...) {
    }
    return response;
  }
};

Router::Router(storage::Store& store, const core::Clock& clock, RouterOptions options)
    // Not make_unique: Impl is an aggregate holding a mutex, so it is built in place.
    : impl_(new Impl{store, clock, std::move(options)}) {}

Router::~Router() = default;

Response Router::Handle(const Request& request) noexcept {
  std::string request_id;
  try {
    request_id = core::NewRequestId();
    Response response;
    response.body = impl_->Dispatch(request);
    response.headers.emplace_back("x-request-id", request_id);
    return response;
  } catch (const core::Error& error) {
    return impl_->Fail(request, error, request_id);
  } catch (const std::exception& error) {
    return impl_->FailInternal(request, request_id, error.what());
  } catch (...) {
    return impl_->FailInternal(request, request_id, "unknown exception");
  }
}

}  // namespace roster::api

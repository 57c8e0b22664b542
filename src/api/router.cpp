// Request dispatch: match, authenticate, run the handler, and turn every failure into the OpenAI
// error envelope. The one catch site of the server.
#include "api/router.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "api/auth.hpp"
#include "api/error_response.hpp"
#include "api/key_use.hpp"
#include "api/list_params.hpp"
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

// What the log and the metrics need to know about a request beyond its response.
struct Outcome {
  const Route* route = nullptr;
  std::string org_id;
  std::string key_id;
  std::string error_code;
  std::string detail;
  std::int64_t retry_after_ms = 0;  // an injected fault's retry hint (0: the default)
};

// The refusal an injected fault stands for (the test controls' POST /roster/test/faults).
core::Error InjectedError(const Fault& fault) {
  constexpr std::string_view kDetail = "injected by the test controls";
  switch (fault.status) {
    case 429:
      return core::Error(core::ErrorKind::kRateLimited,
                         "Rate limit reached for requests (injected by Roster's test controls).",
                         std::nullopt, std::string(core::codes::kRateLimitExceeded),
                         std::string(kDetail));
    case 503:
      return core::Error(core::ErrorKind::kUnavailable,
                         "The server is temporarily unavailable (injected by Roster's test "
                         "controls).",
                         std::nullopt, std::nullopt, std::string(kDetail));
    default:
      return core::Error(core::ErrorKind::kInternal,
                         "The server had an error while processing your request (injected by "
                         "Roster's test controls).",
                         std::nullopt, std::nullopt, std::string(kDetail));
  }
}

}  // namespace

struct Router::Impl {
  storage::Store& store;
  const core::Clock& clock;
  RouterOptions options;
  mutable KeyUseThrottle key_use{};
  mutable AuthCache auth_cache{};
  mutable AuthFailureThrottle auth_throttle{options.auth_throttle};
  mutable KeyRateLimiter rate_limiter{options.rate_limit};

  Response Dispatch(const Request& request, Outcome& outcome) const {
    std::optional<RouteMatch> match = MatchRoute(request.method, request.path);
    // Routing before authentication: unknown URLs answer 404 even without a key, as upstream.
    if (!match) throw InvalidUrl(request);
    const Route& route = *match->route;
    outcome.route = &route;
    ValidateQuery(request.query);  // input limits (api/input_limits.hpp), before any handler
    if (options.test_controls != nullptr) InjectFault(route, outcome);
    const json::PermissionPolicy policy{options.accept_unknown_permissions};
    if (route.access == Access::kPublic) {
      // No key: the handler checks its own secret; the actor is empty (no organization).
      const core::Actor nobody;
      const handlers::Context context{store,
                                      nobody,
                                      request,
                                      match->params,
                                      policy,
                                      clock,
                                      options.invite_ttl_seconds,
                                      options.metrics,
                                      options.test_controls};
      if (route.page != nullptr) return route.page(context);
      return JsonResponse(route.handler(context));
    }
    const std::shared_ptr<const storage::KeyRecord> record =
        AuthenticateThrottled(request, route, outcome);
    const storage::KeyRecord& key = *record;
    outcome.org_id = key.actor.org_id;
    outcome.key_id = key.key.id;
    LimitRate(key.key, outcome);
    RecordUse(key.key);
    Authorize(key, route.permission);
    return JsonResponse(route.handler(handlers::Context{store, key.actor, request, match->params,
                                                        policy, clock, options.invite_ttl_seconds,
                                                        options.metrics, options.test_controls}));
  }

  // Authenticate, refusing addresses with too many failed attempts (429 before the key is even
  // looked at) and counting this request's failure when its key is unknown, revoked or expired.
  std::shared_ptr<const storage::KeyRecord> AuthenticateThrottled(const Request& request,
                                                                  const Route& route,
                                                                  Outcome& outcome) const {
    if (!auth_throttle.enabled()) return Authenticate(store, clock, request, route, &auth_cache);
    if (const core::Timestamp wait = auth_throttle.BlockedFor(request.peer, clock.Now())) {
      throw TooManyFailures(wait, outcome);
    }
    try {
      return Authenticate(store, clock, request, route, &auth_cache);
    } catch (const core::Error& error) {
      if (error.code() == core::codes::kInvalidApiKey) {
        if (const core::Timestamp wait = auth_throttle.RecordFailure(request.peer, clock.Now())) {
          throw TooManyFailures(wait, outcome);
        }
      }
      throw;
    }
  }

  static core::Error TooManyFailures(core::Timestamp wait_seconds, Outcome& outcome) {
    outcome.retry_after_ms = wait_seconds * 1000;
    return core::Error(core::ErrorKind::kRateLimited,
                       "Too many failed authentication attempts from your address. Retry after " +
                           std::to_string(wait_seconds) + " seconds.",
                       std::nullopt, std::string(core::codes::kRateLimitExceeded),
                       "failed authentication throttle");
  }

  // The key's token bucket (off unless configured): an empty bucket answers 429 with the time
  // until its next token.
  void LimitRate(const core::AdminKey& key, Outcome& outcome) const {
    if (!rate_limiter.enabled()) return;
    const std::int64_t now_ms = options.milliseconds
                                    ? options.milliseconds()
                                    : std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count();
    const std::int64_t wait_ms = rate_limiter.Take(key.id, now_ms);
    if (wait_ms == 0) return;
    outcome.retry_after_ms = wait_ms;
    throw core::Error(core::ErrorKind::kRateLimited,
                      "Rate limit reached for requests with this API key. Retry after " +
                          std::to_string(wait_ms) + " ms.",
                      std::nullopt, std::string(core::codes::kRateLimitExceeded),
                      "per-key rate limit");
  }

  // Applies the fault armed for this route, if any: a stall delays the normal answer, an error
  // replaces it (thrown as the error it stands for).
  void InjectFault(const Route& route, Outcome& outcome) const {
    const std::optional<Fault> fault = options.test_controls->faults.Take(route);
    if (!fault) return;
    if (fault->kind == Fault::Kind::kStall) {
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->stall_ms));
      return;
    }
    outcome.retry_after_ms = fault->retry_after_ms;
    throw InjectedError(*fault);
  }

  static Response JsonResponse(std::string body) {
    Response response;
    response.body = std::move(body);
    return response;
  }

  // Keeps `last_used_at` current, coarsely: a write at most once a minute per key. Bookkeeping
  // only, so a failure (database busy) must not fail the request it belongs to.
  void RecordUse(const core::AdminKey& key) const noexcept {
    try {
      const core::Timestamp now = clock.Now();
      if (!key_use.ShouldRecord(key.id, key.last_used_at, now)) return;
      if (!options.defer_key_use) return store.TouchAdminKey(key.id, now);
      options.defer_key_use([&store = store, id = key.id, now]() noexcept {
        try {
          store.TouchAdminKey(id, now);
        } catch (...) {
        }
      });
    } catch (...) {
    }
  }

  // Metrics and the log line of an answered request.
  void Finish(const Request& request, Response& response, const Outcome& outcome,
              std::string_view request_id, std::chrono::system_clock::time_point received,
              std::chrono::steady_clock::time_point start) const noexcept {
    try {
      if (outcome.retry_after_ms > 0) {
        for (auto& [name, value] : response.headers) {
          if (name == "retry-after-ms") value = std::to_string(outcome.retry_after_ms);
          if (name == "retry-after") value = std::to_string((outcome.retry_after_ms + 999) / 1000);
        }
      }
      const auto elapsed = std::chrono::steady_clock::now() - start;
      if (options.metrics != nullptr) {
        options.metrics->RecordRequest(outcome.route, request.method, response.status, elapsed);
      }
      if (!options.log && response.status < 500) return;
      RequestLogRecord record;
      record.time = received;
      record.request_id = request_id;
      record.method = request.method;
      if (outcome.route != nullptr) {
        record.route = outcome.route->pattern;
      } else {
        // Unmatched: the raw path (cut short) is all there is to say where the request went.
        record.path = std::string_view(request.path).substr(0, 256);
      }
      record.status = response.status;
      record.duration = std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
      record.org_id = outcome.org_id;
      record.key_id = outcome.key_id;
      record.error_code = outcome.error_code;
      record.detail = outcome.detail;
      if (options.log) {
        options.log(record);
      } else {
        std::cerr << FormatRequestLogText(record) << '\n';
      }
    } catch (...) {
      // Logging must never turn a response into a crash.
    }
  }

  // The error response; its code and internal detail go to `outcome` for the log.
  static Response Fail(const core::Error& error, const std::string& request_id,
                       Outcome& outcome) noexcept {
    try {
      Response response = MakeErrorResponse(error, request_id);
      outcome.error_code = error.code().value_or("");
      outcome.detail = error.detail();
      return response;
    } catch (...) {
      return LastResort(request_id);
    }
  }

  // For exceptions outside the taxonomy: a generic 500; what() goes to the log only.
  static Response FailInternal(const std::string& request_id, const char* detail,
                               Outcome& outcome) noexcept {
    try {
      return Fail(InternalError(request_id, detail), request_id, outcome);
    } catch (...) {
      return LastResort(request_id);
    }
  }

  Response Run(const Request& request, std::string& request_id, Outcome& outcome) const noexcept {
    try {
      request_id = core::NewRequestId();
      Response response = Dispatch(request, outcome);
      response.headers.emplace_back("x-request-id", request_id);
      return response;
    } catch (const core::Error& error) {
      return Fail(error, request_id, outcome);
    } catch (const std::exception& error) {
      return FailInternal(request_id, error.what(), outcome);
    } catch (...) {
      return FailInternal(request_id, "unknown exception", outcome);
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

bool Router::IsReadOnly(const Request& request) const noexcept {
  if (request.method != "GET") return false;
  try {
    const std::string hash = AdminKeyHashOf(request);
    if (hash.empty()) return true;  // no admin key: refused, or a keyless route
    const std::shared_ptr<const storage::KeyRecord> key = impl_->auth_cache.Peek(hash);
    // Not cached: its first use will be recorded (or the key is refused after one read).
    if (!key) return false;
    return !impl_->key_use.WouldRecord(key->key.id, key->key.last_used_at, impl_->clock.Now());
  } catch (...) {
    return false;
  }
}

AuthCache::Stats Router::auth_cache_stats() const noexcept { return impl_->auth_cache.stats(); }

Response Router::Handle(const Request& request) noexcept {
  const auto received = std::chrono::system_clock::now();
  const auto start = std::chrono::steady_clock::now();
  std::string request_id;
  Outcome outcome;
  Response response = impl_->Run(request, request_id, outcome);
  impl_->Finish(request, response, outcome, request_id, received, start);
  return response;
}

}  // namespace roster::api

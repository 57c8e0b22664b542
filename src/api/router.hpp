// The router: matches a request to a route, authenticates it, runs the handler and maps every
// error to the OpenAI envelope. The one place where exceptions are caught.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/request.hpp"
#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::api {

struct RouterOptions {
  // Accept permission strings outside the catalogue (CONTRACT N-11), e.g. for SDK examples.
  bool accept_unknown_permissions = false;
  // How long a new invite stays pending (CONTRACT N-16: 7 days); `roster serve --invite-ttl-days`.
  core::Timestamp invite_ttl_seconds = 7 * 24 * 3600;
  // Receives one line per error response: request id, status, method, path, code and the
  // internal detail (never the key). Called concurrently; must be thread-safe. When unset,
  // 5xx lines go to stderr and 4xx lines are dropped.
  std::function<void(int status, std::string_view line)> log;
};

class Router {
 public:
  Router(storage::Store& store, const core::Clock& clock, RouterOptions options = {});
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Handles one request. Never throws; every response carries `x-request-id` and a JSON body.
  // Thread-safe: called concurrently from worker threads.
  Response Handle(const Request& request) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::api

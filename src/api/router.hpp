// The router: matches a request to a route, authenticates it, runs the handler and maps every
// error to the OpenAI envelope. The one place where exceptions are caught.
#pragma once

#include <memory>
#include <string>

#include "api/request.hpp"
#include "core/clock.hpp"
#include "storage/store.hpp"

namespace roster::api {

struct RouterOptions {
  // Accept permission strings outside the catalogue (CONTRACT N-11), e.g. for SDK examples.
  bool accept_unknown_permissions = false;
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

// Fault bookkeeping of the test controls.
#include "api/test_controls.hpp"

#include <algorithm>

#include "api/routes.hpp"

namespace roster::api {

void FaultInjector::Add(Fault fault) {
  std::lock_guard lock(mutex_);
  // One fault per route and method: arming again replaces it.
  std::erase_if(faults_, [&fault](const Fault& f) {
    return f.method == fault.method && f.route == fault.route;
  });
  faults_.push_back(std::move(fault));
  armed_.store(true, std::memory_order_release);
}

void FaultInjector::Clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  armed_.store(false, std::memory_order_release);
}

std::vector<Fault> FaultInjector::List() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::optional<Fault> FaultInjector::Take(const Route& route) {
  if (!armed_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(faults_.begin(), faults_.end(), [&route](const Fault& f) {
    return f.method == route.method && f.route == route.pattern;
  });
  if (it == faults_.end()) return std::nullopt;
  Fault taken = *it;
  if (--it->remaining <= 0) faults_.erase(it);
  armed_.store(!faults_.empty(), std::memory_order_release);
  return taken;
}

}  // namespace roster::api

// Time source. The server uses the system clock; tests (and later the stand-in mode's settable
// clock) substitute their own.
#pragma once

#include <atomic>
#include <chrono>

#include "core/model.hpp"

namespace roster::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current Unix time in seconds. Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override { return now_.load(); }
  void Set(Timestamp t) { now_.store(t); }
  void Advance(Timestamp seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace roster::core

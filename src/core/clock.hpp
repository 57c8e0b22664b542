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

// The stand-in mode's clock (`roster serve --ephemeral --test-controls`): the system clock until
// told otherwise, then frozen at a set time or shifted by an offset. Thread-safe.
class SettableClock final : public Clock {
 public:
  Timestamp Now() const override {
    if (frozen_.load()) return frozen_at_.load();
    return system_.Now() + offset_.load();
  }
  // Stops the clock at `t` (it stays there until moved again).
  void Freeze(Timestamp t) {
    frozen_at_.store(t);
    frozen_.store(true);
  }
  // Moves the clock forward (or back, when negative), frozen or not.
  void Advance(Timestamp seconds) {
    if (frozen_.load()) {
      frozen_at_.fetch_add(seconds);
    } else {
      offset_.fetch_add(seconds);
    }
  }
  // Back to the system clock.
  void Release() {
    frozen_.store(false);
    offset_.store(0);
  }
  bool frozen() const { return frozen_.load(); }

 private:
  SystemClock system_;
  std::atomic<bool> frozen_{false};
  std::atomic<Timestamp> frozen_at_{0};
  std::atomic<Timestamp> offset_{0};
};

}  // namespace roster::core

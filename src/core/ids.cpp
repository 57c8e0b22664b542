// Id generation: time prefix + counter + randomness, all lowercase base36.
#include "core/ids.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <utility>

namespace roster::core {
namespace {

constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr int kTimeChars = 9;
constexpr int kCounterChars = 4;
constexpr int kRandomChars = 11;
constexpr int kSuffixChars = kTimeChars + kCounterChars + kRandomChars;

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

void AppendBase36(std::string& out, std::uint64_t value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    digits[static_cast<std::size_t>(i)] = kAlphabet[value % 36];
    value /= 36;
  }
  out += digits;
}

// The pending id of ScopedNextId on this thread (empty prefix: none).
struct NextId {
  std::string prefix;
  std::string id;
};

NextId& PendingId() {
  thread_local NextId pending;
  return pending;
}

}  // namespace

ScopedNextId::ScopedNextId(std::string_view prefix, std::string id) {
  PendingId() = NextId{std::string(prefix), std::move(id)};
}

ScopedNextId::~ScopedNextId() { PendingId() = NextId{}; }

std::string NewId(std::string_view prefix) {
  if (NextId& pending = PendingId(); !pending.prefix.empty() && pending.prefix == prefix) {
    std::string id = std::move(pending.id);
    pending = NextId{};
    return id;
  }
  static std::atomic<std::uint64_t> counter{std::random_device{}()};
  constexpr std::uint64_t kCounterSpan = 36ULL * 36 * 36 * 36;
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  std::string id;
  id.reserve(prefix.size() + kSuffixChars);
  id += prefix;
  AppendBase36(id, ms, kTimeChars);
  AppendBase36(id, counter.fetch_add(1) % kCounterSpan, kCounterChars);
  std::uniform_int_distribution<int> pick(0, 35);
  for (int i = 0; i < kRandomChars; ++i) id += kAlphabet[static_cast<std::size_t>(pick(Rng()))];
  return id;
}

std::string NewRequestId() {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string id = "req_";
  std::uint64_t a = Rng()();
  std::uint64_t b = Rng()();
  for (int i = 0; i < 16; ++i, a >>= 4) id += kHex[a & 0xF];
  for (int i = 0; i < 16; ++i, b >>= 4) id += kHex[b & 0xF];
  return id;
}

bool IsWellFormedId(std::string_view id, std::string_view prefix) noexcept {
  if (id.size() != prefix.size() + kSuffixChars || id.substr(0, prefix.size()) != prefix) {
    return false;
  }
  for (char c : id.substr(prefix.size())) {
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace roster::core

// `roster seed`: bulk synthetic members for demos and benchmarks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/command_support.hpp"

namespace roster::app {

struct SeedOptions {
  std::uint64_t users = 0;
  std::optional<std::string> org_id;
  std::string db = kDefaultDbPath;
};

// Adds `users` synthetic members (base role Reader) in batches, continuing the numbering of
// earlier seeds so emails stay unique; prints how many were added and how long it took.
int Seed(const SeedOptions& options);

}  // namespace roster::app

// Realistic, deterministic synthetic people for `roster seed`: the n-th person always has the
// same name and the unique email `first.last.<n>@example.com`.
#pragma once

#include <cstdint>
#include <string>

namespace roster::app {

struct SyntheticPerson {
  std::string name;   // "Maria Garcia"
  std::string email;  // "maria.garcia.42@example.com"
};

// The n-th synthetic person (n >= 1). Names are spread over the lists by a hash of n, so
// consecutive people do not share a first name.
SyntheticPerson SyntheticPersonAt(std::uint64_t n);

}  // namespace roster::app

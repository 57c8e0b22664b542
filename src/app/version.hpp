// The version reported by `roster --version`.
#pragma once

#include <string_view>

namespace roster::app {

// Keep in step with `project(roster VERSION …)` in CMakeLists.txt.
inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace roster::app

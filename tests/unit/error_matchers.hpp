// Test helper: run a callable and check the core::Error it throws.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace roster::testing {

// Expects `call` to throw core::Error of `kind` with this param and code (nullopt = null).
inline void ExpectError(const std::function<void()>& call, core::ErrorKind kind,
                        std::optional<std::string> param, std::optional<std::string> code,
                        const std::string& message_contains = {}) {
  try {
    call();
    ADD_FAILURE() << "no core::Error thrown";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.message();
    EXPECT_EQ(e.param(), param) << e.message();
    EXPECT_EQ(e.code(), code) << e.message();
    if (!message_contains.empty()) {
      EXPECT_NE(e.message().find(message_contains), std::string::npos) << e.message();
    }
  }
}

inline void ExpectBadRequest(const std::function<void()>& call, std::optional<std::string> param,
                             std::optional<std::string> code,
                             const std::string& message_contains = {}) {
  ExpectError(call, core::ErrorKind::kInvalidRequest, std::move(param), std::move(code),
              message_contains);
}

}  // namespace roster::testing

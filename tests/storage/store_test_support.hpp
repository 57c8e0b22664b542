// Helpers of the storage tests: backends to run the conformance suite on, temp files, error checks.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "storage/store.hpp"

namespace roster::storage::testing {

// Makes a fresh, empty store for one test.
using StoreFactory = std::function<std::unique_ptr<Store>(const core::Clock&)>;

struct Backend {
  std::string name;  // test-name suffix: letters, digits, underscore
  StoreFactory make;
};

// GoogleTest prints the backend by name instead of its bytes.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// The one list of backends every conformance suite runs on: SQLite on a file, SQLite in memory,
// and PostgreSQL (a fresh schema of ROSTER_TEST_PG_URL per test). Without ROSTER_TEST_PG_URL the
// PostgreSQL backend is left out with a notice, except in CI (`CI` set), where its tests run and
// fail saying why.
std::vector<Backend> ConformanceBackends();
// Only the PostgreSQL entry of ConformanceBackends() (empty when it is left out).
std::vector<Backend> PostgresBackends();

// Test-name suffix for INSTANTIATE_TEST_SUITE_P.
inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// A directory for this process's database files, emptied after every test (TestDirCleaner) and
// removed at exit.
const std::filesystem::path& TestDir();
// A new, unique database path inside TestDir().
std::filesystem::path NewDbPath();
// Removes every file in TestDir() (after the stores using them are closed).
void CleanTestDir();

// Passes when `action` throws core::Error of `kind` with exactly this `code` and `param`
// (nullopt = must be null).
template <typename F>
::testing::AssertionResult Refused(F&& action, core::ErrorKind kind,
                                   std::optional<std::string> code = std::nullopt,
                                   std::optional<std::string> param = std::nullopt) {
  try {
    action();
  } catch (const core::Error& e) {
    if (e.kind() != kind) {
      return ::testing::AssertionFailure()
             << "kind " << static_cast<int>(e.kind()) << " instead of " << static_cast<int>(kind)
             << ": " << e.message() << " / " << e.detail();
    }
    if (e.code() != code) {
      return ::testing::AssertionFailure() << "code '" << e.code().value_or("<null>")
                                           << "' instead of '" << code.value_or("<null>") << "'";
    }
    if (e.param() != param) {
      return ::testing::AssertionFailure() << "param '" << e.param().value_or("<null>")
                                           << "' instead of '" << param.value_or("<null>") << "'";
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-core error: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace roster::storage::testing

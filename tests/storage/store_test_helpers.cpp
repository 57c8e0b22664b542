// Temp-directory handling of the storage tests.
#include <stdlib.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <system_error>

#include "storage/store_test_support.hpp"

namespace roster::storage::testing {
namespace {

// Removes the process's test directory when the test program ends.
class TestDirEnvironment final : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(TestDir(), ignored);
  }
};

[[maybe_unused]] ::testing::Environment* const kTestDirEnvironment =
    ::testing::AddGlobalTestEnvironment(new TestDirEnvironment);

}  // namespace

const std::filesystem::path& TestDir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "roster-storage-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return std::filesystem::path(pattern);
  }();
  return dir;
}

std::filesystem::path NewDbPath() {
  static std::atomic<int> counter{0};
  return TestDir() / ("store-" + std::to_string(counter.fetch_add(1)) + ".db");
}

void CleanTestDir() {
  for (const auto& entry : std::filesystem::directory_iterator(TestDir())) {
    std::filesystem::remove_all(entry.path());
  }
}

}  // namespace roster::storage::testing

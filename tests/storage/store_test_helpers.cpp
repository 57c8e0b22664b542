// Temp-directory handling of the storage tests.
#include <stdlib.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <system_error>

#include "storage/postgres/postgres_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store_test_support.hpp"
#include "support/pg_test_db.hpp"

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

std::vector<Backend> PostgresBackends() {
  if (!testsupport::PostgresBackendEnabled("storage conformance")) return {};
  return {Backend{"Postgres", [](const core::Clock& clock) -> std::unique_ptr<Store> {
                    // Throws (failing the test) when ROSTER_TEST_PG_URL is unset in CI.
                    return std::make_unique<postgres::PostgresStore>(
                        testsupport::NewPgTestSchemaUrl(), clock);
                  }}};
}

std::vector<Backend> ConformanceBackends() {
  std::vector<Backend> backends{
      Backend{"SqliteFile",
              [](const core::Clock& clock) -> std::unique_ptr<Store> {
                return std::make_unique<sqlite::SqliteStore>(NewDbPath().string(), clock);
              }},
      Backend{"SqliteMemory", [](const core::Clock& clock) -> std::unique_ptr<Store> {
                return std::make_unique<sqlite::SqliteStore>(":memory:", clock);
              }}};
  for (Backend& backend : PostgresBackends()) backends.push_back(std::move(backend));
  return backends;
}

}  // namespace roster::storage::testing

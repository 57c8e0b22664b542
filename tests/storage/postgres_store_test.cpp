// PostgreSQL-only behaviour of PostgresStore that the conformance suite cannot express: the pool
// replaces connections the server closed, so the store recovers by itself.
#include "storage/postgres/postgres_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "storage/store_test_support.hpp"
#include "support/pg_test_db.hpp"

namespace roster::storage::testing {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresBackends().empty()) GTEST_SKIP() << "ROSTER_TEST_PG_URL is not set";
    // A name of this store's own, so the test terminates only its connections.
    application_ = "roster_kill_test_" + std::to_string(getpid());
    postgres::PostgresOptions options;
    options.pool_size = 3;
    store_ = std::make_unique<postgres::PostgresStore>(
        testsupport::NewPgTestSchemaUrl() + "&application_name=" + application_, clock_, options);
  }

  // Ends every server process serving this store, waiting (up to 5 s) until each has exited.
  void TerminateConnections() {
    testsupport::RunOnTestCluster(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = '" +
        application_ + "'");
  }

  core::ManualClock clock_{1'700'000'000};
  std::string application_;
  std::unique_ptr<postgres::PostgresStore> store_;
};

TEST_F(PostgresStoreTest, ConnectionsClosedByTheServerAreReplacedWithoutAnError) {
  const core::Organization org = store_->CreateOrganization("Acme");
  for (int round = 0; round < 3; ++round) {
    TerminateConnections();
    // Every pooled connection is dead now; each call must get a fresh one, not an error.
    for (int i = 0; i < 4; ++i) {
      const auto found = store_->GetOrganization(org.id);
      ASSERT_TRUE(found.has_value()) << "round " << round << " call " << i;
      EXPECT_EQ(found->name, "Acme");
    }
    EXPECT_EQ(store_->ListOrganizations().size(), 1u);
  }
  EXPECT_EQ(store_->SchemaVersion(), 2);
}

}  // namespace
}  // namespace roster::storage::testing

// PostgreSQL-only behaviour of PostgresStore that the conformance suite cannot express: the pool
// replaces connections the server closed, so the store recovers by itself.
#include "storage/postgres/postgres_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/keys.hpp"
#include "storage/postgres/pg_errors.hpp"
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
  EXPECT_EQ(store_->SchemaVersion(), 4);
}

// Disk full, I/O errors and a read-only database (a standby, default_transaction_read_only) are
// the operator's to fix and the client's to retry: 503 with retry-after, never a 500.
TEST(PostgresErrorsTest, EnvironmentalFailuresAreUnavailable) {
  for (const char* sqlstate : {"53100", "53200", "53300", "58030", "58P01", "25006", "08006"}) {
    const core::Error e = postgres::MapError(sqlstate, false, "driver says no", "INSERT");
    EXPECT_EQ(e.kind(), core::ErrorKind::kUnavailable) << sqlstate;
    EXPECT_EQ(e.message(), postgres::kUnavailableMessage) << sqlstate;
    EXPECT_EQ(e.message().find("driver says no"), std::string::npos);
    EXPECT_NE(e.detail().find(sqlstate), std::string::npos);
  }
  // A genuine bug stays a 500.
  EXPECT_EQ(postgres::MapError("42P01", false, "m", "c").kind(), core::ErrorKind::kInternal);
}

// Migration 4 hashes the invite tokens a version-3 database stored in clear (with PostgreSQL's
// sha256(), which must agree with crypto::Sha256Hex): a link issued before the upgrade works.
TEST(PostgresMigrationTest, UpgradeHashesStoredInviteTokens) {
  if (PostgresBackends().empty()) GTEST_SKIP() << "ROSTER_TEST_PG_URL is not set";
  const std::string url = testsupport::NewPgTestSchemaUrl();
  const std::string token = "pre-upgrade-token-0123456789abcdefghijklmnopq";
  core::ManualClock clock{1'700'000'000};
  std::string org_id;
  {
    postgres::PostgresStore store(url, clock, {});
    org_id = store.CreateOrganization("Acme").id;
    NewInvite invite;
    invite.email = "new@x.test";
    invite.expires_at = clock.Now() + 3600;
    invite.token_hash = "placeholder";
    store.CreateInvite(core::Actor{org_id, "key", "", "test"}, org_id, invite);
  }
  testsupport::RunOnDatabase(
      url, "ALTER TABLE invites RENAME COLUMN token_hash TO token; UPDATE invites SET token = '" +
               token + "'; DELETE FROM schema_migrations WHERE version = 4");
  postgres::PostgresStore store(url, clock, {});
  EXPECT_FALSE(store.FindInviteByTokenHash(token));
  ASSERT_TRUE(store.FindInviteByTokenHash(crypto::Sha256Hex(token)));
  EXPECT_EQ(store.AcceptInvite(crypto::Sha256Hex(token), "New").org_id, org_id);
}

}  // namespace
}  // namespace roster::storage::testing

// The PostgreSQL side of the test suites: the throwaway cluster's URL (ROSTER_TEST_PG_URL, set
// by `make test` through scripts/pg-test-cluster.sh) and a fresh, isolated schema per test.
#pragma once

#include <optional>
#include <string>

namespace roster::testsupport {

// ROSTER_TEST_PG_URL, or nullopt when it is unset or empty.
std::optional<std::string> PgTestUrl();

// True when the environment says this is CI (`CI` set and not "false"/"0"): there a missing
// PostgreSQL must fail the run, never skip it.
bool InCi();

// Whether the PostgreSQL backend is part of this run: the URL is set, or CI is (then the
// Postgres tests run and fail with the reason). Prints a one-time notice when it is left out.
bool PostgresBackendEnabled(const char* suite);

// A URL for a new, empty schema of the test cluster that nobody else uses (search_path set
// through the URL's `options`), so every test starts from an empty database. Fails the calling
// test (throws std::runtime_error) when ROSTER_TEST_PG_URL is unset or the cluster is down.
// Schemas made by this process are dropped when it exits.
std::string NewPgTestSchemaUrl();

// Runs one statement (any result) on the test cluster's base URL. Throws std::runtime_error.
void RunOnTestCluster(const std::string& sql);

// Runs one or more statements on the database at `url` (e.g. a NewPgTestSchemaUrl()). Throws
// std::runtime_error.
void RunOnDatabase(const std::string& url, const std::string& sql);

}  // namespace roster::testsupport

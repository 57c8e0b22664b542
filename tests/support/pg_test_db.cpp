// Fresh PostgreSQL schemas for tests, made with libpq on the test cluster.
#include "support/pg_test_db.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace roster::testsupport {
namespace {

// Runs statements, each in its own transaction, on a short-lived connection to the cluster's base
// URL. Throws at the first failure.
void RunOnCluster(const std::string& url, const std::vector<std::string>& statements) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to ROSTER_TEST_PG_URL (" + url + "): " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  for (const std::string& sql : statements) {
    PGresult* result = PQexec(conn, sql.c_str());
    const bool ok =
        PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) {
      PQfinish(conn);
      throw std::runtime_error(sql + ": " + message);
    }
  }
  PQfinish(conn);
}

// Drops the schemas this process made, at exit.
struct Schemas {
  std::mutex mutex;
  std::vector<std::string> names;
  ~Schemas() {
    const auto url = PgTestUrl();
    if (!url || names.empty()) return;
    std::vector<std::string> drops;
    for (const auto& name : names) drops.push_back("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    try {
      RunOnCluster(*url, drops);
    } catch (const std::exception&) {
      // The throwaway cluster is deleted anyway.
    }
  }
};

Schemas& MadeSchemas() {
  static Schemas schemas;
  return schemas;
}

}  // namespace

std::optional<std::string> PgTestUrl() {
  const char* url = std::getenv("ROSTER_TEST_PG_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

bool InCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr || *ci == '\0') return false;
  const std::string value(ci);
  return value != "false" && value != "0";
}

bool PostgresBackendEnabled(const char* suite) {
  if (PgTestUrl() || InCi()) return true;
  static std::once_flag notice;
  std::call_once(notice, [suite] {
    std::cerr << "NOTICE: " << suite
              << ": ROSTER_TEST_PG_URL is not set, so the PostgreSQL backend is left out of this"
                 " run (`make test` starts a cluster with scripts/pg-test-cluster.sh; in CI this"
                 " is a failure)\n";
  });
  return false;
}

void RunOnTestCluster(const std::string& sql) {
  const auto url = PgTestUrl();
  if (!url) throw std::runtime_error("ROSTER_TEST_PG_URL is not set");
  RunOnCluster(*url, {sql});
}

void RunOnDatabase(const std::string& url, const std::string& sql) { RunOnCluster(url, {sql}); }

std::string NewPgTestSchemaUrl() {
  const auto url = PgTestUrl();
  if (!url) {
    throw std::runtime_error(
        "ROSTER_TEST_PG_URL is not set: CI must run the PostgreSQL backend (start a cluster with "
        "scripts/pg-test-cluster.sh start and export its URL)");
  }
  static std::atomic<int> counter{0};
  const std::string schema =
      "roster_test_" + std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1));
  RunOnCluster(*url, {"CREATE SCHEMA " + schema});
  {
    Schemas& schemas = MadeSchemas();
    std::lock_guard lock(schemas.mutex);
    schemas.names.push_back(schema);
  }
  const char separator = url->find('?') == std::string::npos ? '?' : '&';
  return *url + separator + "options=-csearch_path%3D" + schema;
}

}  // namespace roster::testsupport

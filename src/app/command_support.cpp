// Store opening and organization selection for the shell commands.
#include "app/command_support.hpp"

#include <utility>

#include "storage/postgres/postgres_store.hpp"

namespace roster::app {

const core::Clock& SystemClock() {
  static const core::SystemClock clock;
  return clock;
}

std::unique_ptr<storage::Store> OpenStore(const std::string& db, int pool_size) {
  if (storage::postgres::IsPostgresUrl(db)) {
    storage::postgres::PostgresOptions options;
    options.pool_size = pool_size;
    return std::make_unique<storage::postgres::PostgresStore>(db, SystemClock(), options);
  }
  storage::sqlite::SqliteOptions options;
  options.pool_size = pool_size;
  return std::make_unique<storage::sqlite::SqliteStore>(db, SystemClock(), options);
}

core::Organization ResolveOrganization(storage::Store& store,
                                       const std::optional<std::string>& org_id) {
  if (org_id) {
    auto organization = store.GetOrganization(*org_id);
    if (!organization) throw CommandError("no organization with id " + *org_id);
    return std::move(*organization);
  }
  auto organizations = store.ListOrganizations();
  if (organizations.empty()) {
    throw CommandError(
        "the database has no organization yet; run `roster serve` once (it creates one) or "
        "`roster orgs create --name NAME`");
  }
  if (organizations.size() > 1) {
    std::string message = "the database has several organizations; choose one with --org:";
    for (const auto& organization : organizations) {
      message += "\n  " + organization.id + "  " + organization.name;
    }
    throw CommandError(message);
  }
  return std::move(organizations.front());
}

}  // namespace roster::app

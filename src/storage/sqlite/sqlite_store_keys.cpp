// SqliteStore: admin key listing, retrieval, revocation and use.
// NOT YET IMPLEMENTED: stubs that refuse with 500 until the implementation lands.
#include "core/error.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace roster::storage::sqlite {
namespace {
core::Error NotImplemented() { return core::Error(core::ErrorKind::kInternal, "Not implemented."); }
}  // namespace

core::Page<core::AdminKey> SqliteStore::ListAdminKeys(std::string_view /*org_id*/, const ListQuery& /*query*/) {
  throw NotImplemented();
}

std::optional<core::AdminKey> SqliteStore::GetAdminKey(std::string_view /*org_id*/, std::string_view /*key_id*/) {
  throw NotImplemented();
}

void SqliteStore::DeleteAdminKey(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*key_id*/) {
  throw NotImplemented();
}

void SqliteStore::TouchAdminKey(std::string_view /*key_id*/, core::Timestamp /*when*/) {
  throw NotImplemented();
}

}  // namespace roster::storage::sqlite

// SqliteStore: invites and their acceptance.
// NOT YET IMPLEMENTED: stubs that refuse with 500 until the implementation lands.
#include "core/error.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace roster::storage::sqlite {
namespace {
core::Error NotImplemented() { return core::Error(core::ErrorKind::kInternal, "Not implemented."); }
}  // namespace

core::Page<core::Invite> SqliteStore::ListInvites(std::string_view /*org_id*/, const ListQuery& /*query*/) {
  throw NotImplemented();
}

std::optional<core::Invite> SqliteStore::GetInvite(std::string_view /*org_id*/, std::string_view /*invite_id*/) {
  throw NotImplemented();
}

core::Invite SqliteStore::CreateInvite(const core::Actor& /*actor*/, std::string_view /*org_id*/, const NewInvite& /*invite*/) {
  throw NotImplemented();
}

void SqliteStore::DeleteInvite(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*invite_id*/) {
  throw NotImplemented();
}

std::optional<core::Invite> SqliteStore::FindInviteByToken(std::string_view /*token*/) {
  throw NotImplemented();
}

core::Member SqliteStore::AcceptInvite(std::string_view /*token*/, std::string_view /*name*/) {
  throw NotImplemented();
}

}  // namespace roster::storage::sqlite

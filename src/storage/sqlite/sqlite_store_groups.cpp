// SqliteStore: groups, their members and their roles.
// NOT YET IMPLEMENTED: stubs that refuse with 500 until the implementation lands.
#include "core/error.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace roster::storage::sqlite {
namespace {
core::Error NotImplemented() { return core::Error(core::ErrorKind::kInternal, "Not implemented."); }
}  // namespace

core::Page<core::Group> SqliteStore::ListGroups(std::string_view /*org_id*/, const ListQuery& /*query*/) {
  throw NotImplemented();
}

std::optional<core::Group> SqliteStore::GetGroup(std::string_view /*org_id*/, std::string_view /*group_id*/) {
  throw NotImplemented();
}

core::Group SqliteStore::CreateGroup(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*name*/) {
  throw NotImplemented();
}

core::Group SqliteStore::UpdateGroup(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*name*/) {
  throw NotImplemented();
}

void SqliteStore::DeleteGroup(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/) {
  throw NotImplemented();
}

core::Page<core::Member> SqliteStore::ListGroupUsers(std::string_view /*org_id*/, std::string_view /*group_id*/, const ListQuery& /*query*/) {
  throw NotImplemented();
}

void SqliteStore::AddGroupUser(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*user_id*/) {
  throw NotImplemented();
}

std::optional<core::Member> SqliteStore::GetGroupUser(std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*user_id*/) {
  throw NotImplemented();
}

void SqliteStore::RemoveGroupUser(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*user_id*/) {
  throw NotImplemented();
}

core::Page<core::HeldRole> SqliteStore::ListGroupRoles(std::string_view /*org_id*/, std::string_view /*group_id*/, const ListQuery& /*query*/) {
  throw NotImplemented();
}

std::optional<core::HeldRole> SqliteStore::GetGroupRole(std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*role_id*/) {
  throw NotImplemented();
}

GroupAssignment SqliteStore::AssignGroupRole(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*role_id*/) {
  throw NotImplemented();
}

void SqliteStore::UnassignGroupRole(const core::Actor& /*actor*/, std::string_view /*org_id*/, std::string_view /*group_id*/, std::string_view /*role_id*/) {
  throw NotImplemented();
}

}  // namespace roster::storage::sqlite

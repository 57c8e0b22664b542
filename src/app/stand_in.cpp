// Stand-in mode: snapshots over the SQLite backup API and the fixture loader.
#include "app/stand_in.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/command_support.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "crypto/keys.hpp"
#include "crypto/tokens.hpp"

namespace roster::app {

// --- snapshots -------------------------------------------------------------------------------

SnapshotState::SnapshotState(storage::sqlite::SqliteStore& store)
    : store_(store), initial_(store.TakeSnapshot()) {}

void SnapshotState::Reset() { store_.RestoreSnapshot(*initial_); }

void SnapshotState::SaveSnapshot(const std::string& name) {
  auto snapshot = store_.TakeSnapshot();
  std::lock_guard lock(mutex_);
  saved_[name] = std::move(snapshot);
}

bool SnapshotState::RestoreSnapshot(const std::string& name) {
  std::shared_ptr<const storage::sqlite::SqliteStore::Snapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    const auto it = saved_.find(name);
    if (it == saved_.end()) return false;
    snapshot = it->second;
  }
  store_.RestoreSnapshot(*snapshot);
  return true;
}

// --- fixtures --------------------------------------------------------------------------------

namespace {

using nlohmann::json;

// Where in the fixture a value is, for messages: `organizations[0].members[2]`.
class Where {
 public:
  explicit Where(std::string path) : path_(std::move(path)) {}
  Where At(std::string_view field) const { return Where(path_ + "." + std::string(field)); }
  Where At(std::size_t index) const { return Where(path_ + "[" + std::to_string(index) + "]"); }
  const std::string& text() const { return path_; }

 private:
  std::string path_;
};

class FixtureError : public std::runtime_error {
 public:
  FixtureError(const Where& where, const std::string& message)
      : std::runtime_error(where.text() + ": " + message) {}
};

// Every key of `object` must be in `allowed`.
void OnlyFields(const json& object, const Where& where,
                std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) throw FixtureError(where, "expected an object");
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw FixtureError(where.At(key), "unknown field");
    }
  }
}

std::string Text(const json& object, const Where& where, const char* field) {
  const auto it = object.find(field);
  if (it == object.end()) throw FixtureError(where.At(field), "missing");
  if (!it->is_string() || it->get<std::string>().empty()) {
    throw FixtureError(where.At(field), "expected a non-empty string");
  }
  return it->get<std::string>();
}

std::optional<std::string> OptText(const json& object, const Where& where, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return Text(object, where, field);
}

std::optional<core::Timestamp> OptTime(const json& object, const Where& where, const char* field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw FixtureError(where.At(field), "expected Unix seconds");
  return it->get<core::Timestamp>();
}

const json& List(const json& object, const Where& where, const char* field) {
  static const json kEmpty = json::array();
  const auto it = object.find(field);
  if (it == object.end()) return kEmpty;
  if (!it->is_array()) throw FixtureError(where.At(field), "expected an array");
  return *it;
}

// An id as written in the fixture: the given prefix, then 1–64 of [a-z0-9_-].
std::optional<std::string> FixedId(const json& object, const Where& where,
                                   std::string_view prefix) {
  auto id = OptText(object, where, "id");
  if (!id) return std::nullopt;
  const std::string_view rest = std::string_view(*id).substr(std::min(id->size(), prefix.size()));
  const bool valid =
      id->starts_with(prefix) && !rest.empty() && rest.size() <= 64 &&
      std::all_of(rest.begin(), rest.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  if (!valid) {
    throw FixtureError(where.At("id"), "expected '" + std::string(prefix) +
                                           "' followed by 1 to 64 of a-z, 0-9, '_', '-'");
  }
  return id;
}

core::BaseRole BaseRoleOf(const json& object, const Where& where, const char* field) {
  const std::string role = OptText(object, where, field).value_or("reader");
  if (role == "owner") return core::BaseRole::kOwner;
  if (role == "reader") return core::BaseRole::kReader;
  throw FixtureError(where.At(field), "expected \"owner\" or \"reader\"");
}

// Runs `create` with the fixture's id (when given) as the next id of `prefix`.
template <typename F>
auto WithId(const std::optional<std::string>& id, std::string_view prefix, F&& create) {
  if (!id) return create();
  core::ScopedNextId next(prefix, *id);
  return create();
}

void LoadOrganization(storage::Store& store, const json& org, const Where& where,
                      core::Timestamp now, core::Timestamp invite_ttl_seconds,
                      FixtureSummary& summary) {
  OnlyFields(org, where, {"id", "name", "members", "roles", "groups", "invites", "keys"});
  const auto org_id = FixedId(org, where, core::id_prefix::kOrganization);
  const core::Organization organization = WithId(org_id, core::id_prefix::kOrganization, [&] {
    return store.CreateOrganization(Text(org, where, "name"));
  });
  ++summary.organizations;

  // Members first (the first owner acts for the rest of the fixture's changes).
  std::optional<core::Actor> actor;
  const json& members = List(org, where, "members");
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Where at = where.At("members").At(i);
    OnlyFields(members[i], at, {"id", "email", "name", "role"});
    storage::NewMember member;
    member.email = Text(members[i], at, "email");
    member.name =
        OptText(members[i], at, "name").value_or(member.email.substr(0, member.email.find('@')));
    member.base_role = BaseRoleOf(members[i], at, "role");
    const auto id = FixedId(members[i], at, core::id_prefix::kUser);
    const core::Member added = WithId(id, core::id_prefix::kUser, [&] {
      return store.AddMember(std::nullopt, organization.id, member);
    });
    if (id && added.account.id != *id) {
      throw FixtureError(at.At("id"),
                         "the email belongs to an account with id " + added.account.id);
    }
    if (!actor && added.base_role == core::BaseRole::kOwner) {
      actor = core::Actor{organization.id, "", added.account.id, added.account.email};
    }
    ++summary.members;
  }
  const bool needs_actor = !List(org, where, "roles").empty() ||
                           !List(org, where, "groups").empty() ||
                           !List(org, where, "invites").empty();
  if (needs_actor && !actor) {
    throw FixtureError(where.At("members"),
                       "roles, groups and invites need an owner among the members");
  }

  const json& roles = List(org, where, "roles");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const Where at = where.At("roles").At(i);
    OnlyFields(roles[i], at, {"id", "name", "description", "permissions", "users"});
    storage::NewRole role;
    role.name = Text(roles[i], at, "name");
    role.description = OptText(roles[i], at, "description");
    for (const json& permission : List(roles[i], at, "permissions")) {
      if (!permission.is_string()) throw FixtureError(at.At("permissions"), "expected strings");
      role.permissions.push_back(permission.get<std::string>());
    }
    std::sort(role.permissions.begin(), role.permissions.end());
    role.permissions.erase(std::unique(role.permissions.begin(), role.permissions.end()),
                           role.permissions.end());
    const auto id = FixedId(roles[i], at, core::id_prefix::kRole);
    const core::Role created = WithId(id, core::id_prefix::kRole, [&] {
      return store.CreateRole(*actor, organization.id, role);
    });
    for (const json& user : List(roles[i], at, "users")) {
      if (!user.is_string()) throw FixtureError(at.At("users"), "expected user ids");
      store.AssignUserRole(*actor, organization.id, user.get<std::string>(), created.id);
    }
    ++summary.roles;
  }

  const json& groups = List(org, where, "groups");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Where at = where.At("groups").At(i);
    OnlyFields(groups[i], at, {"id", "name", "users", "roles"});
    const auto id = FixedId(groups[i], at, core::id_prefix::kGroup);
    const core::Group group = WithId(id, core::id_prefix::kGroup, [&] {
      return store.CreateGroup(*actor, organization.id, Text(groups[i], at, "name"));
    });
    for (const json& user : List(groups[i], at, "users")) {
      if (!user.is_string()) throw FixtureError(at.At("users"), "expected user ids");
      store.AddGroupUser(*actor, organization.id, group.id, user.get<std::string>());
    }
    for (const json& role : List(groups[i], at, "roles")) {
      if (!role.is_string()) throw FixtureError(at.At("roles"), "expected role ids");
      store.AssignGroupRole(*actor, organization.id, group.id, role.get<std::string>());
    }
    ++summary.groups;
  }

  const json& invites = List(org, where, "invites");
  for (std::size_t i = 0; i < invites.size(); ++i) {
    const Where at = where.At("invites").At(i);
    OnlyFields(invites[i], at, {"id", "email", "role", "token", "expires_at"});
    storage::NewInvite invite;
    invite.email = Text(invites[i], at, "email");
    invite.role = BaseRoleOf(invites[i], at, "role");
    invite.expires_at = OptTime(invites[i], at, "expires_at").value_or(now + invite_ttl_seconds);
    invite.token_hash = crypto::InviteTokenHash(Text(invites[i], at, "token"));
    const auto id = FixedId(invites[i], at, core::id_prefix::kInvite);
    WithId(id, core::id_prefix::kInvite,
           [&] { return store.CreateInvite(*actor, organization.id, invite); });
    ++summary.invites;
  }

  const json& keys = List(org, where, "keys");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Where at = where.At("keys").At(i);
    OnlyFields(keys[i], at, {"id", "name", "owner", "value", "expires_at"});
    const std::string value = Text(keys[i], at, "value");
    if (!value.starts_with(crypto::kAdminKeyPrefix) || value.size() < 20) {
      throw FixtureError(at.At("value"),
                         "an admin key starts with 'sk-admin-' and has at least 20 characters");
    }
    storage::NewAdminKey key;
    key.owner_user_id = Text(keys[i], at, "owner");
    key.name = OptText(keys[i], at, "name");
    key.key_hash = crypto::Sha256Hex(value);
    key.redacted_value = crypto::RedactKey(value);
    key.expires_at = OptTime(keys[i], at, "expires_at");
    const auto id = FixedId(keys[i], at, core::id_prefix::kAdminKey);
    WithId(id, core::id_prefix::kAdminKey,
           [&] { return store.CreateAdminKey(std::nullopt, organization.id, key); });
    ++summary.keys;
  }
}

}  // namespace

FixtureSummary LoadFixture(storage::Store& store, const std::string& path, core::Timestamp now,
                           core::Timestamp invite_ttl_seconds) {
  std::ifstream in(path);
  if (!in) throw CommandError("--seed: cannot read '" + path + "'");
  const json fixture = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (fixture.is_discarded()) throw CommandError("--seed: '" + path + "' is not valid JSON");
  FixtureSummary summary;
  try {
    const Where root("fixture");
    OnlyFields(fixture, root, {"organizations"});
    const json& orgs = List(fixture, root, "organizations");
    if (orgs.empty()) throw FixtureError(root.At("organizations"), "expected at least one");
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      LoadOrganization(store, orgs[i], root.At("organizations").At(i), now, invite_ttl_seconds,
                       summary);
    }
  } catch (const FixtureError& e) {
    throw CommandError("--seed " + path + ": " + e.what());
  } catch (const core::Error& e) {
    throw CommandError("--seed " + path + ": " + e.message() +
                       (e.param() ? " (" + *e.param() + ")" : std::string()));
  }
  return summary;
}

}  // namespace roster::app

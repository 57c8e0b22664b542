// Schema migrations of the SQLite backend: the DDL, in order, and the runner.
//
// The DDL sticks to what PostgreSQL also accepts (TEXT/INTEGER/BIGINT, partial indexes, CHECK,
// REFERENCES) so the PostgreSQL backend can share the schema; the one SQLite idiom is
// `seq INTEGER PRIMARY KEY` (rowid alias), which is `BIGINT GENERATED ALWAYS AS IDENTITY` there.
#include "storage/sqlite/migrations.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "crypto/keys.hpp"
#include "storage/sqlite/sql.hpp"
#include "storage/sqlite/transaction.hpp"

namespace roster::storage::sqlite {
namespace {

// Version 1: organizations, accounts, memberships, roles, direct role assignments, admin keys
// and the audit log.
constexpr std::string_view kCreateInitialSchema = R"sql(
CREATE TABLE organizations (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  default_project_id   TEXT NOT NULL,
  default_project_name TEXT NOT NULL,
  created_at           BIGINT NOT NULL
);

-- One account per person, shared by every organization its email joins. email_norm (trimmed,
-- ASCII-lowercased) is what makes two spellings of an address the same person.
CREATE TABLE accounts (
  id         TEXT PRIMARY KEY,
  email      TEXT NOT NULL,
  email_norm TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  picture    TEXT,
  created_at BIGINT NOT NULL
);

-- A membership of an account in an organization. seq is the join order and the keyset cursor
-- key of the member list. Removing a member sets deleted_at (a tombstone) so a cursor naming a
-- removed member still has a position; re-adding the account makes a new row.
CREATE TABLE memberships (
  seq               INTEGER PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations (id),
  user_id           TEXT NOT NULL REFERENCES accounts (id),
  base_role         TEXT NOT NULL CHECK (base_role IN ('owner', 'reader')),
  added_at          BIGINT NOT NULL,
  technical_level   TEXT,
  developer_persona TEXT,
  deleted_at        BIGINT
);
-- At most one live membership per account and organization.
CREATE UNIQUE INDEX memberships_live_member_uq
  ON memberships (org_id, user_id) WHERE deleted_at IS NULL;
-- The member list in join order.
CREATE INDEX memberships_list_idx ON memberships (org_id, seq) WHERE deleted_at IS NULL;
-- Cursor positions of any membership, live or removed (and an account's organizations).
CREATE INDEX memberships_user_idx ON memberships (user_id, org_id, seq);
-- The last-owner check reads only the live owners of one organization. base_role is a key
-- column (constant within the index) so the planner sees two equalities and prefers this small
-- index over memberships_list_idx, which would walk every member of a large organization.
CREATE INDEX memberships_owners_idx
  ON memberships (org_id, base_role, user_id) WHERE deleted_at IS NULL AND base_role = 'owner';

-- Organization roles, predefined and custom. Ids are time-ordered, so id order is creation order
-- and the list's cursor key. base_role marks the predefined Owner/Reader rows (the roles the
-- membership's base_role projects to); custom roles have none. Deleted roles are tombstones so
-- cursors stay valid and their names become free again.
CREATE TABLE roles (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations (id),
  name        TEXT NOT NULL,
  name_norm   TEXT NOT NULL,
  description TEXT,
  permissions TEXT NOT NULL,
  predefined  INTEGER NOT NULL CHECK (predefined IN (0, 1)),
  base_role   TEXT CHECK (base_role IN ('owner', 'reader')),
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  created_by  TEXT REFERENCES accounts (id),
  deleted_at  BIGINT,
  CHECK ((predefined = 1) = (base_role IS NOT NULL))
);
CREATE UNIQUE INDEX roles_live_name_uq ON roles (org_id, name_norm) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX roles_base_role_uq ON roles (org_id, base_role) WHERE base_role IS NOT NULL;
CREATE INDEX roles_list_idx ON roles (org_id, id) WHERE deleted_at IS NULL;

-- Direct assignments of custom roles to members. The base role lives on memberships.base_role;
-- predefined roles never appear here.
CREATE TABLE user_roles (
  org_id     TEXT NOT NULL REFERENCES organizations (id),
  user_id    TEXT NOT NULL REFERENCES accounts (id),
  role_id    TEXT NOT NULL REFERENCES roles (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id, user_id);

-- Admin keys, by SHA-256 only. membership_seq binds a key to the membership it was issued
-- under: removing the member disables the key, and re-adding the account (a new membership)
-- does not bring old keys back.
CREATE TABLE admin_keys (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organizations (id),
  owner_user_id  TEXT NOT NULL REFERENCES accounts (id),
  membership_seq BIGINT NOT NULL REFERENCES memberships (seq),
  name           TEXT,
  key_hash       TEXT NOT NULL UNIQUE,
  redacted_value TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT,
  last_used_at   BIGINT,
  deleted_at     BIGINT
);
CREATE INDEX admin_keys_org_idx ON admin_keys (org_id, id);

-- The audit log. payload is the JSON object stored under the event type's key (CONTRACT §11.4).
CREATE TABLE audit_events (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations (id),
  type             TEXT NOT NULL,
  effective_at     BIGINT NOT NULL,
  resource_id      TEXT NOT NULL,
  payload          TEXT NOT NULL,
  actor_key_id     TEXT,
  actor_user_id    TEXT,
  actor_user_email TEXT,
  project_id       TEXT NOT NULL
);
CREATE INDEX audit_events_list_idx ON audit_events (org_id, effective_at DESC, id DESC);
)sql";

// Version 2: groups (members and role assignments) and invites.
constexpr std::string_view kCreateGroupsAndInvites = R"sql(
-- Groups. Ids are time-ordered (id order = creation order = list order). Deleted groups are
-- tombstones so cursors naming them stay valid.
CREATE TABLE groups (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES organizations (id),
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE INDEX groups_list_idx ON groups (org_id, id) WHERE deleted_at IS NULL;

-- Members of a group (live memberships only: removing a member from the organization removes
-- these rows). Listed by user id.
CREATE TABLE group_members (
  org_id     TEXT NOT NULL REFERENCES organizations (id),
  group_id   TEXT NOT NULL REFERENCES groups (id),
  user_id    TEXT NOT NULL REFERENCES accounts (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
-- The groups of one member (inherited roles, effective permissions, member removal).
CREATE INDEX group_members_user_idx ON group_members (org_id, user_id, group_id);

-- Roles assigned to a group; held by each of its members.
CREATE TABLE group_roles (
  org_id     TEXT NOT NULL REFERENCES organizations (id),
  group_id   TEXT NOT NULL REFERENCES groups (id),
  role_id    TEXT NOT NULL REFERENCES roles (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, role_id)
);
CREATE INDEX group_roles_role_idx ON group_roles (role_id, group_id);

-- Invites. token is the secret of the acceptance link (shown to admins, never logged).
-- projects: NULL = the default project (legacy behaviour), '' = none, else space-separated
-- `project_id:role` pairs. Deleted (revoked) invites are tombstones for cursors.
CREATE TABLE invites (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations (id),
  email            TEXT NOT NULL,
  email_norm       TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('owner', 'reader')),
  projects         TEXT,
  token            TEXT NOT NULL UNIQUE,
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT,
  accepted_at      BIGINT,
  accepted_user_id TEXT REFERENCES accounts (id),
  invited_by       TEXT REFERENCES accounts (id),
  deleted_at       BIGINT
);
CREATE INDEX invites_list_idx ON invites (org_id, id) WHERE deleted_at IS NULL;
CREATE INDEX invites_email_idx ON invites (org_id, email_norm) WHERE deleted_at IS NULL;

-- Audit log filters (CONTRACT §11.1) that select few rows of a large log.
CREATE INDEX audit_events_resource_idx ON audit_events (org_id, resource_id);
CREATE INDEX audit_events_actor_idx ON audit_events (org_id, actor_user_id);
)sql";

// Version 3: the authentication version of each organization (api/auth_cache.hpp). Every change
// that can alter what a key may do — a key revoked, a member removed or given another base role,
// a role's permissions changed or the role deleted, a role assigned or unassigned to a member or a
// group, a group's members changed or the group deleted — gives the organization's row a new
// random value, by trigger, in the transaction of the change, whichever process or node makes it.
// Random rather than incremented: a restored snapshot brings back an older value together with
// the state it described, and the next change must not reuse a value an earlier state had.
// Inserts of keys, members, roles and groups change nothing a live key can do, so they fire
// nothing (seeding a million members stays trigger-free).
constexpr std::string_view kCreateAuthGenerations = R"sql(
CREATE TABLE auth_generations (
  org_id     TEXT PRIMARY KEY REFERENCES organizations (id),
  generation BIGINT NOT NULL
);
CREATE TRIGGER auth_keys_revoked AFTER UPDATE OF deleted_at, expires_at, membership_seq, key_hash, org_id ON admin_keys BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_keys_deleted AFTER DELETE ON admin_keys BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_members_changed AFTER UPDATE OF base_role, deleted_at, org_id, user_id ON memberships BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_members_deleted AFTER DELETE ON memberships BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_roles_changed AFTER UPDATE OF permissions, base_role, deleted_at, org_id ON roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_roles_deleted AFTER DELETE ON roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_user_roles_added AFTER INSERT ON user_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (NEW.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_user_roles_changed AFTER UPDATE ON user_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_user_roles_deleted AFTER DELETE ON user_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_groups_changed AFTER UPDATE OF deleted_at, org_id ON groups BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_groups_deleted AFTER DELETE ON groups BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_members_added AFTER INSERT ON group_members BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (NEW.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_members_changed AFTER UPDATE ON group_members BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_members_deleted AFTER DELETE ON group_members BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_roles_added AFTER INSERT ON group_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (NEW.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_roles_changed AFTER UPDATE ON group_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
CREATE TRIGGER auth_group_roles_deleted AFTER DELETE ON group_roles BEGIN
  INSERT INTO auth_generations (org_id, generation) VALUES (OLD.org_id, random())
  ON CONFLICT (org_id) DO UPDATE SET generation = excluded.generation;
END;
)sql";

// Version 4: an invite's acceptance token is stored as its SHA-256 only, like an admin key. Links
// issued before keep working: HashInviteTokens hashes the stored tokens in place.
constexpr std::string_view kHashInviteTokens = R"sql(
ALTER TABLE invites RENAME COLUMN token TO token_hash;
)sql";

void HashInviteTokens(Connection& connection) {
  std::vector<std::pair<std::string, std::string>> rows;
  {
    Statement select = connection.Prepare("SELECT id, token_hash FROM invites");
    while (select.Step()) rows.emplace_back(select.Text(0), select.Text(1));
  }
  for (const auto& [id, token] : rows) {
    Statement update = connection.Prepare("UPDATE invites SET token_hash = ?2 WHERE id = ?1");
    update.BindText(1, id).BindText(2, crypto::Sha256Hex(token)).Run();
  }
}

constexpr std::array kMigrations = {
    Migration{1, "initial_schema", kCreateInitialSchema},
    Migration{2, "groups_and_invites", kCreateGroupsAndInvites},
    Migration{3, "auth_generations", kCreateAuthGenerations},
    Migration{4, "invite_token_hashes", kHashInviteTokens, HashInviteTokens},
};

}  // namespace

std::span<const Migration> Migrations() noexcept { return kMigrations; }

int CurrentSchemaVersion(Connection& connection) {
  Statement stmt = connection.Prepare(kSelectSchemaVersion);
  stmt.Step();
  return static_cast<int>(stmt.Int(0));
}

int ApplyMigrations(Connection& connection, core::Timestamp now) {
  connection.Execute(kCreateSchemaMigrations);
  Transaction txn(connection, Transaction::Mode::kWrite);
  int version = CurrentSchemaVersion(connection);
  const int latest = kMigrations.back().version;
  if (version > latest) {
    // A newer build migrated this file; running old code on it could corrupt it.
    throw core::Error(core::ErrorKind::kUnavailable,
                      "The database is temporarily unavailable, retry later.", std::nullopt,
                      std::nullopt,
                      "database schema version " + std::to_string(version) +
                          " is newer than this build supports (" + std::to_string(latest) + ")");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= version) continue;
    connection.Execute(migration.sql);
    if (migration.then != nullptr) migration.then(connection);
    Statement record = connection.Prepare(kInsertSchemaMigration);
    record.BindInt(1, migration.version).BindText(2, migration.name).BindInt(3, now).Run();
    version = migration.version;
  }
  txn.Commit();
  return version;
}

}  // namespace roster::storage::sqlite

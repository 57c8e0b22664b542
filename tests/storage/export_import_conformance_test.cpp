// Export and import of a whole store (`roster export` / `roster import`): a rich organization
// exported from one backend, imported into a fresh store of another backend and exported again
// gives the same bytes; an import into a non-empty store, or of a malformed row, is refused
// with nothing written.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "storage/export_format.hpp"
#include "storage/org_store_fixture.hpp"

namespace roster::storage::testing {
namespace {

using core::BaseRole;
using core::ErrorKind;

// The export as JSON Lines, exactly as `roster export` writes it.
std::string ExportText(Store& store) {
  std::string text;
  store.ExportAll([&](std::string_view table, const nlohmann::ordered_json& row) {
    if (table.empty()) {
      text += row.dump() + "\n";
      return;
    }
    nlohmann::ordered_json line = nlohmann::ordered_json::object();
    line["table"] = table;
    line["row"] = row;
    text += line.dump() + "\n";
  });
  return text;
}

// The rows of an export (the header's schema version in `schema_version`).
std::vector<exchange::Row> ExportRows(Store& store, int& schema_version) {
  std::vector<exchange::Row> rows;
  store.ExportAll([&](std::string_view table, const nlohmann::ordered_json& row) {
    if (table.empty()) {
      schema_version = row.at("schema_version").get<int>();
      return;
    }
    rows.push_back(exchange::Row{std::string(table), row});
  });
  return rows;
}

// A fresh store of a backend other than the test's: PostgreSQL for SQLite sources when it is
// available (the migration path), else the other SQLite flavour; SQLite for PostgreSQL.
std::unique_ptr<Store> OtherBackendStore(const std::string& source, const core::Clock& clock,
                                         std::string& name) {
  std::vector<Backend> candidates;
  for (const Backend& backend : ConformanceBackends()) {
    if (backend.name != source) candidates.push_back(backend);
  }
  const Backend* chosen = &candidates.front();
  for (const Backend& backend : candidates) {
    if (backend.name == "Postgres") chosen = &backend;
  }
  name = chosen->name;
  return chosen->make(clock);
}

class ExportImportConformanceTest : public OrgStoreTest {
 protected:
  // Members (one removed, one re-added), custom roles (one deleted), direct and group
  // assignments, a group with members and roles and a deleted group, invites pending, accepted
  // and revoked, admin keys (one revoked, one used), and the audit events all this wrote.
  void BuildRichOrganization() {
    clock_.Advance(10);
    const core::Member reader =
        store_->AddMember(actor_, org_.id, {"reader@acme.test", "Rita Reader", BaseRole::kReader});
    clock_.Advance(1);
    const core::Member leaver =
        store_->AddMember(actor_, org_.id, {"leaver@acme.test", "Leo Leaver", BaseRole::kReader});
    clock_.Advance(1);
    MemberPatch patch;
    patch.technical_level = "expert";
    patch.developer_persona = "backend";
    store_->UpdateMember(actor_, org_.id, reader.account.id, patch);
    clock_.Advance(1);
    const core::Role managers = store_->CreateRole(
        actor_, org_.id, {"Managers", "Manage groups", {"api.groups.read", "api.groups.write"}});
    const core::Role doomed = store_->CreateRole(actor_, org_.id, {"Doomed", std::nullopt, {}});
    clock_.Advance(1);
    store_->AssignUserRole(actor_, org_.id, reader.account.id, managers.id);
    store_->AssignUserRole(actor_, org_.id, leaver.account.id, managers.id);
    store_->DeleteRole(actor_, org_.id, doomed.id);
    clock_.Advance(1);
    const core::Group group = store_->CreateGroup(actor_, org_.id, "Platform");
    store_->AddGroupUser(actor_, org_.id, group.id, reader.account.id);
    store_->AddGroupUser(actor_, org_.id, group.id, leaver.account.id);
    store_->AssignGroupRole(actor_, org_.id, group.id, managers.id);
    const core::Group gone = store_->CreateGroup(actor_, org_.id, "Gone");
    store_->DeleteGroup(actor_, org_.id, gone.id);
    clock_.Advance(1);
    store_->CreateAdminKey(actor_, org_.id,
                           {owner_.account.id, "ci", std::string(64, 'a'), "sk-admin...aaa", {}});
    const core::AdminKey leaver_key =
        store_->CreateAdminKey(std::nullopt, org_.id,
                               {leaver.account.id, std::nullopt, std::string(64, 'b'),
                                "sk-admin...bbb", clock_.Now() + 99});
    const core::AdminKey revoked = store_->CreateAdminKey(
        actor_, org_.id, {owner_.account.id, "old", std::string(64, 'c'), "sk-admin...ccc", {}});
    store_->TouchAdminKey(leaver_key.id, clock_.Now());
    store_->DeleteAdminKey(actor_, org_.id, revoked.id);
    clock_.Advance(1);
    store_->DeleteMember(actor_, org_.id, leaver.account.id);  // a membership tombstone
    clock_.Advance(1);
    store_->AddMember(actor_, org_.id, {"Leaver@Acme.test", "Leo Again", BaseRole::kReader});
    clock_.Advance(1);
    NewInvite pending{.email = "pending@acme.test", .role = BaseRole::kOwner};
    pending.expires_at = clock_.Now() + 3600;
    pending.token_hash = "tok-pending";
    store_->CreateInvite(actor_, org_.id, pending);
    NewInvite accepted{.email = "newbie@acme.test", .role = BaseRole::kReader};
    accepted.expires_at = clock_.Now() + 3600;
    accepted.token_hash = "tok-accepted";
    store_->CreateInvite(actor_, org_.id, accepted);
    NewInvite revoked_invite{.email = "nope@acme.test", .role = BaseRole::kReader};
    revoked_invite.expires_at = clock_.Now() + 3600;
    revoked_invite.token_hash = "tok-revoked";
    const core::Invite to_revoke = store_->CreateInvite(actor_, org_.id, revoked_invite);
    clock_.Advance(1);
    store_->AcceptInvite("tok-accepted", "Nina Newbie");
    store_->DeleteInvite(actor_, org_.id, to_revoke.id);
    // A second organization shares the accounts table.
    const core::Organization other = store_->CreateOrganization("Other");
    store_->AddMember(std::nullopt, other.id, {"reader@acme.test", "ignored", BaseRole::kOwner});
  }
};

TEST_P(ExportImportConformanceTest, RoundTripThroughAnotherBackendIsByteForByte) {
  BuildRichOrganization();
  const std::string first = ExportText(*store_);
  for (const char* table :
       {"organizations", "accounts", "memberships", "roles", "user_roles", "groups",
        "group_members", "group_roles", "invites", "admin_keys", "audit_events"}) {
    EXPECT_NE(first.find(std::string("{\"table\":\"") + table + "\""), std::string::npos)
        << "no row of " << table;
  }
  EXPECT_NE(first.find("\"deleted_at\":" + std::to_string(kOrgFixtureStart + 17)),
            std::string::npos);
  EXPECT_NE(first.find("\"token_hash\":\"tok-pending\""), std::string::npos);
  EXPECT_NE(first.find("\"key_hash\":\"" + std::string(64, 'b') + "\""), std::string::npos);

  int schema_version = 0;
  const auto rows = ExportRows(*store_, schema_version);
  std::string target_name;
  auto target = OtherBackendStore(GetParam().name, clock_, target_name);
  target->ImportAll(schema_version, rows);
  const std::string second = ExportText(*target);
  EXPECT_EQ(first, second) << GetParam().name << " -> " << target_name;

  // The imported store works: the re-added member keeps her id and place, a new member gets a
  // membership seq after every imported one (the identity sequence moved on), and the
  // predefined roles were not duplicated.
  const core::Member late =
      target->AddMember(std::nullopt, org_.id, {"late@acme.test", "Late", BaseRole::kReader});
  const auto members = target->ListMembers(org_.id, {.after = std::nullopt, .limit = 100});
  ASSERT_FALSE(members.items.empty());
  EXPECT_EQ(members.items.back().account.id, late.account.id);
  EXPECT_EQ(members.items.size(), 5u);  // owner, reader, leaver again, newbie, late
  const auto roles = target->ListRoles(org_.id, {.after = std::nullopt, .limit = 100});
  EXPECT_EQ(roles.items.size(), 3u);  // Owner, Reader, Managers
  EXPECT_TRUE(target->FindKeyByHash(std::string(64, 'a')));
  EXPECT_TRUE(target->FindInviteByTokenHash("tok-pending"));
}

TEST_P(ExportImportConformanceTest, ImportIntoANonEmptyStoreIsRefusedAndWritesNothing) {
  BuildRichOrganization();
  int schema_version = 0;
  const auto rows = ExportRows(*store_, schema_version);
  std::string target_name;
  auto target = OtherBackendStore(GetParam().name, clock_, target_name);
  const core::Organization existing = target->CreateOrganization("Already here");
  const std::string before = ExportText(*target);
  try {
    target->ImportAll(schema_version, rows);
    ADD_FAILURE() << "imported into a non-empty store";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidRequest);
    EXPECT_NE(e.message().find("not empty"), std::string::npos) << e.message();
  }
  EXPECT_EQ(ExportText(*target), before);
}

TEST_P(ExportImportConformanceTest, MalformedRowIsRefusedAndNothingIsWritten) {
  BuildRichOrganization();
  int schema_version = 0;
  auto rows = ExportRows(*store_, schema_version);
  // Corrupt the last row (an audit event): a text column given a number.
  ASSERT_EQ(rows.back().table, "audit_events");
  rows.back().values["type"] = 42;
  auto target = GetParam().make(clock_);  // fresh, empty store of this backend
  const std::string empty = ExportText(*target);
  EXPECT_TRUE(
      Refused([&] { target->ImportAll(schema_version, rows); }, ErrorKind::kInvalidRequest));
  EXPECT_EQ(ExportText(*target), empty);

  // A row that passes the shape checks but breaks the schema (a membership of an organization
  // that is not in the file) is refused by the database, in the same single transaction: the
  // rows before it are not kept either.
  rows = ExportRows(*store_, schema_version);
  for (auto& row : rows) {
    if (row.table == "memberships") {
      row.values["org_id"] = "org_missing";
      break;
    }
  }
  EXPECT_TRUE(
      Refused([&] { target->ImportAll(schema_version, rows); }, ErrorKind::kInvalidRequest));
  EXPECT_EQ(ExportText(*target), empty);

  // An unknown table, and a schema version other than the store's.
  std::vector<exchange::Row> unknown{{"secrets", nlohmann::ordered_json::object()}};
  EXPECT_TRUE(
      Refused([&] { target->ImportAll(schema_version, unknown); }, ErrorKind::kInvalidRequest));
  EXPECT_TRUE(
      Refused([&] { target->ImportAll(schema_version + 1, {}); }, ErrorKind::kInvalidRequest));
  EXPECT_EQ(ExportText(*target), empty);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExportImportConformanceTest,
                         ::testing::ValuesIn(ConformanceBackends()), BackendName);

}  // namespace
}  // namespace roster::storage::testing

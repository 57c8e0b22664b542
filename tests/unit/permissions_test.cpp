// The permission catalogue and the predefined roles' permission sets.
#include "core/permissions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace roster::core {
namespace {

TEST(PermissionsTest, CatalogueIsSortedAndUnique) {
  const auto catalogue = PermissionCatalogue();
  ASSERT_FALSE(catalogue.empty());
  for (std::size_t i = 1; i < catalogue.size(); ++i) {
    EXPECT_LT(catalogue[i - 1].name, catalogue[i].name) << catalogue[i].name;
  }
}

TEST(PermissionsTest, EveryEntryIsWellFormedAndKnown) {
  for (const auto& p : PermissionCatalogue()) {
    EXPECT_TRUE(IsWellFormedPermission(p.name)) << p.name;
    EXPECT_TRUE(IsKnownPermission(p.name)) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
  }
}

TEST(PermissionsTest, ContractStringsAreKnown) {
  for (const char* name :
       {"api.groups.read", "api.groups.write", "api.organization.projects.api_keys.read",
        "api.organization.projects.api_keys.write", "api.webhooks.read", "api.model.request",
        "api.responses.write", "api.all.read", "api.files.read", "api.model.read",
        "api.model.image.request", "api.model.audio.request", "api.videos.write", "api.usage.read",
        "api.management.read", "api.management.write"}) {
    EXPECT_TRUE(IsKnownPermission(name)) << name;
  }
}

TEST(PermissionsTest, UnknownStrings) {
  EXPECT_FALSE(IsKnownPermission("string"));
  EXPECT_FALSE(IsKnownPermission(""));
  EXPECT_FALSE(IsKnownPermission("api.groups.read "));
  EXPECT_FALSE(IsKnownPermission("API.GROUPS.READ"));
  EXPECT_FALSE(IsKnownPermission("api.groups"));
}

TEST(PermissionsTest, WellFormedSyntax) {
  EXPECT_TRUE(IsWellFormedPermission("string"));
  EXPECT_TRUE(IsWellFormedPermission("api.x_y.z9"));
  EXPECT_FALSE(IsWellFormedPermission(""));
  EXPECT_FALSE(IsWellFormedPermission(".api"));
  EXPECT_FALSE(IsWellFormedPermission("api."));
  EXPECT_FALSE(IsWellFormedPermission("Api.read"));
  EXPECT_FALSE(IsWellFormedPermission("api read"));
  EXPECT_FALSE(IsWellFormedPermission("api-read"));
  EXPECT_FALSE(IsWellFormedPermission(std::string(129, 'a')));
  EXPECT_TRUE(IsWellFormedPermission(std::string(128, 'a')));
}

TEST(PermissionsTest, OwnerHoldsEverything) {
  const auto owner = PredefinedPermissions(BaseRole::kOwner);
  EXPECT_EQ(owner.size(), PermissionCatalogue().size());
  EXPECT_TRUE(std::is_sorted(owner.begin(), owner.end()));
}

TEST(PermissionsTest, ReaderHoldsTheReaderSubset) {
  const auto reader = PredefinedPermissions(BaseRole::kReader);
  EXPECT_TRUE(std::is_sorted(reader.begin(), reader.end()));
  EXPECT_LT(reader.size(), PermissionCatalogue().size());
  auto has = [&](std::string_view name) {
    return std::find(reader.begin(), reader.end(), name) != reader.end();
  };
  EXPECT_TRUE(has("api.management.read"));
  EXPECT_TRUE(has("api.groups.read"));
  EXPECT_TRUE(has("api.roles.read"));
  EXPECT_FALSE(has("api.management.write"));
  EXPECT_FALSE(has("api.groups.write"));
  EXPECT_FALSE(has("api.roles.write"));
  for (const auto& p : PermissionCatalogue()) EXPECT_EQ(has(p.name), p.reader_has) << p.name;
}

}  // namespace
}  // namespace roster::core

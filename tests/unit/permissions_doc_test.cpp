// docs/PERMISSIONS.md must show the code's tables: the catalogue and the permission of each
// route. On a mismatch the test prints the expected table; run it with ROSTER_UPDATE_DOCS=1 to
// rewrite the generated sections in place.
#include "api/permissions_doc.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api/routes.hpp"
#include "core/permissions.hpp"

namespace roster::api {
namespace {

// The source tree's doc, found from this file's own (absolute, as CMake compiles it) path.
std::filesystem::path DocPath() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "docs" /
         "PERMISSIONS.md";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string BeginMarker(std::string_view name) {
  return "<!-- BEGIN GENERATED " + std::string(name) + " -->\n";
}
std::string EndMarker(std::string_view name) {
  return "<!-- END GENERATED " + std::string(name) + " -->";
}

// Replaces the text between the section's markers with `body`; false when a marker is missing.
bool ReplaceSection(std::string& doc, std::string_view name, const std::string& body) {
  const std::string begin = BeginMarker(name);
  const std::size_t start = doc.find(begin);
  if (start == std::string::npos) return false;
  const std::size_t from = start + begin.size();
  const std::size_t to = doc.find(EndMarker(name), from);
  if (to == std::string::npos) return false;
  doc.replace(from, to - from, body);
  return true;
}

TEST(PermissionsDocTest, DocShowsTheCodeTables) {
  const std::filesystem::path path = DocPath();
  const std::string doc = ReadFile(path);
  ASSERT_FALSE(doc.empty()) << "cannot read " << path;
  std::string expected = doc;
  ASSERT_TRUE(ReplaceSection(expected, "catalogue", RenderPermissionCatalogue()))
      << "markers of the catalogue section missing in " << path;
  ASSERT_TRUE(ReplaceSection(expected, "routes", RenderRoutePermissions()))
      << "markers of the routes section missing in " << path;
  if (expected != doc && std::getenv("ROSTER_UPDATE_DOCS") != nullptr) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << expected;
    return;
  }
  EXPECT_EQ(doc, expected) << path << " is out of date with core/permissions.cpp or "
                           << "api/routes.cpp; rerun with ROSTER_UPDATE_DOCS=1 to regenerate.";
}

TEST(PermissionsDocTest, CatalogueTableHasEveryPermission) {
  const std::string table = RenderPermissionCatalogue();
  for (const core::PermissionInfo& info : core::PermissionCatalogue()) {
    const std::string row = "| `" + std::string(info.name) + "` | " +
                            std::string(info.description) + " | yes | " +
                            (info.reader_has ? "yes" : "no") + " |\n";
    EXPECT_NE(table.find(row), std::string::npos) << row;
  }
  EXPECT_NE(table.find("| `api.audit_logs.read` | Read the audit log | yes | yes |"),
            std::string::npos);
  EXPECT_NE(table.find("| `api.management.write` | "), std::string::npos);
}

TEST(PermissionsDocTest, RouteTableHasEveryRoute) {
  const std::string table = RenderRoutePermissions();
  for (const Route& route : Routes()) {
    const std::string cell = route.access == Access::kPublic
                                 ? std::string("none (public, no key)")
                                 : "`" + std::string(route.permission) + "`";
    const std::string row = "| " + std::string(route.method) + " | `" + std::string(route.pattern) +
                            "` | " + cell + " |\n";
    EXPECT_NE(table.find(row), std::string::npos) << row;
  }
  EXPECT_NE(table.find("| DELETE | `/v1/organization/admin_api_keys/{key_id}` | "
                       "`api.management.write` |"),
            std::string::npos);
}

}  // namespace
}  // namespace roster::api

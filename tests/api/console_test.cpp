// The web console as the router serves it: the page at / and /invite/{token}, the embedded assets
// (types, caching, Content-Security-Policy, 304s, 404s), the permission catalogue route, and the
// admin route that issues a pending invite's acceptance link.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "api/api_helpers.hpp"
#include "api/console_assets.hpp"
#include "core/permissions.hpp"
#include "crypto/tokens.hpp"

namespace roster::apitest {
namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

class ConsoleTest : public ApiTest {
 protected:
  // A keyless GET, as a browser sends it; the raw response (pages are not JSON).
  api::Response Fetch(const std::string& target, const std::string& if_none_match = {}) {
    api::Request request = api::Request::Make("GET", target);
    request.if_none_match = if_none_match;
    return router_->Handle(request);
  }

  static std::string AssetPath(std::string_view name) {
    return "/assets/" + std::string(api::ConsoleAssetVersion()) + "/" + std::string(name);
  }

  static std::string ExpectedType(std::string_view name) {
    if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (name.ends_with(".css")) return "text/css; charset=utf-8";
    if (name.ends_with(".svg")) return "image/svg+xml";
    if (name.ends_with(".html")) return "text/html; charset=utf-8";
    return "unexpected file type: " + std::string(name);
  }

  // Headers every console response carries.
  static void ExpectHardened(const api::Response& response) {
    EXPECT_EQ(response.Header("content-security-policy"), std::string(kCsp));
    EXPECT_EQ(response.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(response.Header("x-frame-options"), "DENY");
    EXPECT_EQ(response.Header("referrer-policy"), "no-referrer");
    EXPECT_TRUE(response.Header("x-request-id").has_value());
    const auto etag = response.Header("etag");
    ASSERT_TRUE(etag.has_value());
    EXPECT_TRUE(std::regex_match(*etag, std::regex("^\"[0-9a-f]{32}\"$"))) << *etag;
  }

  std::string InviteId(const std::string& email) {
    const Reply reply = Post("/v1/organization/invites", json{{"email", email}, {"role", "owner"}});
    EXPECT_EQ(reply.status(), 200) << reply.response.body;
    return reply.body.value("id", "");
  }

  Reply Link(const std::string& invite_id, std::optional<std::string> authorization = {}) {
    return Call("POST", "/roster/organization/invites/" + invite_id + "/link", "", authorization);
  }
};

TEST_F(ConsoleTest, PageIsServedAtRootWithStrictHeaders) {
  const api::Response page = Fetch("/");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("cache-control"), "no-cache");
  ExpectHardened(page);
  EXPECT_EQ(page.body, api::ConsolePage().body);
  // The asset base was filled in at build time; the page names its script and styles there.
  EXPECT_EQ(page.body.find("__ASSET_BASE__"), std::string::npos);
  EXPECT_NE(page.body.find("src=\"" + AssetPath("app.js") + "\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"" + AssetPath("style.css") + "\""), std::string::npos);
}

TEST_F(ConsoleTest, InviteLinksServeTheSamePage) {
  const api::Response page = Fetch("/invite/abcDEF_123-xyz");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body, Fetch("/").body);
  ExpectHardened(page);
}

TEST_F(ConsoleTest, EveryAssetIsServedWithItsTypeAndCachedForever) {
  ASSERT_FALSE(api::ConsoleAssets().empty());
  std::set<std::string> etags;
  for (const api::ConsoleAsset& asset : api::ConsoleAssets()) {
    SCOPED_TRACE(std::string(asset.name));
    const api::Response response = Fetch(AssetPath(asset.name));
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.content_type, ExpectedType(asset.name));
    EXPECT_EQ(response.body, asset.body);
    EXPECT_EQ(response.Header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(response.Header("etag"), std::string(asset.etag));
    ExpectHardened(response);
    etags.insert(std::string(asset.etag));
  }
  EXPECT_EQ(etags.size(), api::ConsoleAssets().size()) << "two assets share an ETag";
}

TEST_F(ConsoleTest, MatchingEtagAnswers304WithoutBody) {
  const std::string path = AssetPath("app.js");
  const std::string etag = *Fetch(path).Header("etag");
  for (const std::string& header :
       {etag, "W/" + etag, "\"other\", " + etag, std::string("*"), "\"a\" ,  " + etag + " "}) {
    SCOPED_TRACE(header);
    const api::Response again = Fetch(path, header);
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.Header("etag"), etag);
    EXPECT_EQ(again.Header("cache-control"), "public, max-age=31536000, immutable");
  }
  EXPECT_EQ(Fetch(path, "\"0123\"").status, 200);
  EXPECT_EQ(Fetch(path, "").status, 200);

  const std::string page_etag = *Fetch("/").Header("etag");
  EXPECT_EQ(Fetch("/", page_etag).status, 304);
  EXPECT_EQ(Fetch("/invite/t", page_etag).status, 304);
  EXPECT_EQ(Fetch("/", etag).status, 200) << "an asset's ETag must not validate the page";
}

TEST_F(ConsoleTest, UnknownAssetsAnd404JsonEnvelope) {
  for (const std::string& target : {AssetPath("nope.js"), AssetPath("index.html"),
                                    std::string("/assets/0000000000000000/app.js"),
                                    AssetPath("..%2Fapp.js"), AssetPath("app.js/x")}) {
    SCOPED_TRACE(target);
    const api::Response response = Fetch(target);
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.content_type, "application/json");
    const json body = json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  }
  ExpectInvalidUrl(Call("POST", "/", "{}"), "POST", "/");
  ExpectInvalidUrl(Get("/invite"), "GET", "/invite");
  ExpectInvalidUrl(Get("/invite/a/b"), "GET", "/invite/a/b");
  ExpectInvalidUrl(Get("/index.html"), "GET", "/index.html");
}

// No inline script or style, nothing from another origin: what the CSP enforces, checked at the
// source so a violation fails here rather than silently in a browser.
TEST_F(ConsoleTest, AssetsLoadNothingInlineOrExternal) {
  const std::regex inline_script("<script(?![^>]*\\bsrc=)[^>]*>", std::regex::icase);
  const std::regex style_attribute("\\sstyle\\s*=", std::regex::icase);
  const std::regex inline_handler("\\son[a-z]+\\s*=\\s*\"", std::regex::icase);
  const std::string page(api::ConsolePage().body);
  EXPECT_FALSE(std::regex_search(page, inline_script));
  EXPECT_FALSE(std::regex_search(page, style_attribute));
  EXPECT_FALSE(std::regex_search(page, inline_handler));
  EXPECT_EQ(page.find("<style"), std::string::npos);

  const std::regex external("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", std::regex::icase);
  for (const api::ConsoleAsset& asset : api::ConsoleAssets()) {
    std::string text(asset.body);
    // The SVG namespace is a name, not a fetch.
    for (std::size_t at; (at = text.find("http://www.w3.org/2000/svg")) != std::string::npos;) {
      text.erase(at, 26);
    }
    EXPECT_FALSE(std::regex_search(text, external)) << asset.name;
  }
}

// Every `./x.js` a module imports and every asset the page names is embedded.
TEST_F(ConsoleTest, EveryReferencedAssetExists) {
  std::set<std::string> names;
  for (const api::ConsoleAsset& asset : api::ConsoleAssets()) names.emplace(asset.name);
  const std::regex page_ref("/assets/[0-9a-f]{16}/([A-Za-z0-9._-]+)");
  const std::string page(api::ConsolePage().body);
  int references = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), page_ref);
       it != std::sregex_iterator(); ++it) {
    ++references;
    EXPECT_TRUE(names.contains((*it)[1])) << (*it)[1];
  }
  EXPECT_GE(references, 3);
  const std::regex import_ref("from '\\./([A-Za-z0-9._-]+)'");
  for (const api::ConsoleAsset& asset : api::ConsoleAssets()) {
    const std::string text(asset.body);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), import_ref);
         it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(names.contains((*it)[1])) << asset.name << " imports " << (*it)[1];
    }
  }
}

TEST_F(ConsoleTest, ApiResponsesKeepTheirHeaders) {
  // The console's headers are its own: a /v1 answer carries only the request id, as before.
  const Reply reply = Get("/v1/organization/users?limit=1");
  ASSERT_EQ(reply.status(), 200);
  ASSERT_EQ(reply.response.headers.size(), 1u);
  EXPECT_EQ(reply.response.headers[0].first, "x-request-id");
}

TEST_F(ConsoleTest, PermissionCatalogueIsPublicAndMatchesTheTable) {
  const Reply reply = Call("GET", "/roster/permissions", "", "");
  ASSERT_EQ(reply.status(), 200) << reply.response.body;
  EXPECT_EQ(reply.body["object"], "list");
  const auto catalogue = core::PermissionCatalogue();
  ASSERT_EQ(reply.body["data"].size(), catalogue.size());
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    const json& item = reply.body["data"][i];
    EXPECT_EQ(item["object"], "roster.permission");
    EXPECT_EQ(item["name"], catalogue[i].name);
    EXPECT_EQ(item["description"], catalogue[i].description);
    EXPECT_EQ(item["reader"], catalogue[i].reader_has);
  }
}

TEST_F(ConsoleTest, InviteLinkNamesTheTokenThatAcceptanceTakes) {
  const std::string id = InviteId("new.person@example.com");
  const Reply link = Link(id);
  ASSERT_EQ(link.status(), 200) << link.response.body;
  EXPECT_EQ(link.body["object"], "roster.invite_link");
  EXPECT_EQ(link.body["invite_id"], id);
  const std::string path = link.body["path"];
  ASSERT_TRUE(path.starts_with("/invite/")) << path;
  const std::string token = path.substr(8);
  // Only the token's hash is stored, as for admin keys.
  const std::string stored = store_->GetInvite(OrgId(), id)->token_hash;
  EXPECT_EQ(stored, crypto::InviteTokenHash(token));
  EXPECT_EQ(stored.find(token), std::string::npos);

  // The page at that path is the console, and the token opens the invite.
  EXPECT_EQ(Fetch(path).status, 200);
  const Reply open = Call("GET", "/roster/invites/" + token, "", "");
  ASSERT_EQ(open.status(), 200) << open.response.body;
  EXPECT_EQ(open.body["email"], "new.person@example.com");
  EXPECT_EQ(open.body["status"], "pending");

  const Reply accepted = Call("POST", "/roster/invites/accept",
                              json{{"token", token}, {"name", "New Person"}}.dump(), "");
  ASSERT_EQ(accepted.status(), 200) << accepted.response.body;
  ExpectError(Link(id), 400, std::nullopt, "invite_already_accepted");
}

TEST_F(ConsoleTest, IssuingALinkRevokesThePreviousOne) {
  const std::string id = InviteId("twice@example.com");
  const Reply first = Link(id);
  const Reply second = Link(id);
  ASSERT_EQ(first.status(), 200) << first.response.body;
  ASSERT_EQ(second.status(), 200) << second.response.body;
  const std::string old_path = first.body["path"];
  const std::string new_path = second.body["path"];
  ASSERT_NE(old_path, new_path);
  const std::string old_token = old_path.substr(8);
  const std::string new_token = new_path.substr(8);
  ExpectError(Call("GET", "/roster/invites/" + old_token, "", ""), 404, std::nullopt, std::nullopt);
  ExpectError(Call("POST", "/roster/invites/accept",
                   json{{"token", old_token}, {"name", "Old Link"}}.dump(), ""),
              400, std::nullopt, "invite_not_found");
  EXPECT_EQ(Call("GET", "/roster/invites/" + new_token, "", "").status(), 200);
  // The invite itself is as it was.
  EXPECT_EQ(Get("/v1/organization/invites/" + id).body["status"], "pending");
}

TEST_F(ConsoleTest, InviteLinkRefusals) {
  const std::string id = InviteId("later@example.com");
  ExpectError(Link(id, ""), 401, std::nullopt, std::nullopt);
  ExpectError(Link("invite-unknown"), 404, std::nullopt, std::nullopt);

  // A Reader may list invites but not read their links: a link is a credential to join.
  const core::Member reader = AddMember("reader@example.com", "Rita Reader");
  const auto [key, value] = api::IssueAdminKey(*store_, OrgId(), reader.account.id, "reader");
  EXPECT_EQ(Call("GET", "/v1/organization/invites/" + id, "", "Bearer " + value).status(), 200);
  ExpectError(Link(id, "Bearer " + value), 403, std::nullopt, "insufficient_permissions");

  clock_.Advance(8 * 24 * 3600);  // past the 7-day default
  ExpectError(Link(id), 400, std::nullopt, "invite_expired");
}

}  // namespace
}  // namespace roster::apitest

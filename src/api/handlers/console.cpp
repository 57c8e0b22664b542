// Handlers of the web console: its page, its embedded assets and the permission catalogue its role
// editor offers. The console itself calls /v1 with the admin key the person signs in with.
#include <string>
#include <string_view>

#include "api/console_assets.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/console_codecs.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {
namespace {

// Scripts, styles and images from this origin only, no inline code, no framing, calls only to this
// origin (the /v1 API). Forms never submit natively: the console's scripts handle them.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// The page is revalidated on every load (cheap: 304), so a new binary's asset version is seen at
// once; assets live under a versioned path and never change.
constexpr std::string_view kPageCacheControl = "no-cache";
constexpr std::string_view kAssetCacheControl = "public, max-age=31536000, immutable";

// True when the If-None-Match header names `etag` (or is `*`).
bool Matches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view candidate = if_none_match.substr(0, comma);
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) {
      candidate.remove_prefix(1);
    }
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) {
      candidate.remove_suffix(1);
    }
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);  // weak comparison (RFC 9110)
    if (candidate == "*" || candidate == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

Response Serve(const Context& context, const ConsoleAsset& asset, std::string_view cache_control) {
  Response response;
  const bool not_modified = Matches(context.request.if_none_match, asset.etag);
  response.status = not_modified ? 304 : 200;
  response.content_type = std::string(asset.content_type);
  if (!not_modified) response.body = std::string(asset.body);
  response.headers = {
      {"etag", std::string(asset.etag)},
      {"cache-control", std::string(cache_control)},
      {"content-security-policy", std::string(kContentSecurityPolicy)},
      {"x-content-type-options", "nosniff"},
      {"x-frame-options", "DENY"},
      // The acceptance page's URL carries its token: never send it on to another page.
      {"referrer-policy", "no-referrer"},
      {"cross-origin-opener-policy", "same-origin"},
  };
  return response;
}

}  // namespace

Response ServeConsolePage(const Context& context) {
  return Serve(context, ConsolePage(), kPageCacheControl);
}

Response ServeConsoleAsset(const Context& context) {
  const std::string& version = context.params.at(0);
  const std::string& name = context.params.at(1);
  // An asset of another build (a page cached before an upgrade) is gone, not silently replaced.
  if (version == ConsoleAssetVersion()) {
    for (const ConsoleAsset& asset : ConsoleAssets()) {
      if (asset.name == name) return Serve(context, asset, kAssetCacheControl);
    }
  }
  throw core::NotFound("No such console asset: '" + name + "'.");
}

std::string ListPermissionCatalogue(const Context& /*context*/) {
  return json::EncodePermissionCatalogue();
}

}  // namespace roster::api::handlers

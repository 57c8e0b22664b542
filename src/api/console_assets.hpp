// The web console's files (web/ at the repository root), embedded into the binary at build time by
// cmake/EmbedWebAssets.cmake, which generates the definitions below into the build tree.
#pragma once

#include <span>
#include <string_view>

namespace roster::api {

struct ConsoleAsset {
  std::string_view name;          // file name under web/, e.g. "app.js"
  std::string_view content_type;  // from the extension, with charset for text
  std::string_view body;          // the bytes (HTML: with the asset base path filled in)
  std::string_view etag;          // quoted strong validator: a hash of `body`
};

// Every file of web/ except the page, sorted by name. Served at /assets/{version}/{name}.
std::span<const ConsoleAsset> ConsoleAssets() noexcept;

// The console's one page (web/index.html), served at / and /invite/{token}. It names its assets
// under /assets/{ConsoleAssetVersion()}/.
const ConsoleAsset& ConsolePage() noexcept;

// A hash of every asset: changes whenever one does, so asset URLs can be cached forever.
std::string_view ConsoleAssetVersion() noexcept;

}  // namespace roster::api

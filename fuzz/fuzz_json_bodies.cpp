// Fuzz target: every JSON body decoder of api/json (tests/support/body_decoders.hpp). The first
// byte picks the decoder, the second the content type, the rest is the body. Oracle: a decoder
// returns or throws a 400 core::Error; any other exception, a crash or a sanitizer report is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "core/error.hpp"
#include "support/body_decoders.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using roster::testsupport::kBodyDecoders;
  if (size < 2) return 0;
  const auto& decoder = kBodyDecoders[data[0] % kBodyDecoders.size()];
  static constexpr const char* kContentTypes[] = {"application/json", "",
                                                  "application/json; charset=utf-8",
                                                  "application/merge-patch+json", "text/plain"};
  roster::api::Request request = roster::api::Request::Make(
      "POST", "/fuzz", std::string(reinterpret_cast<const char*>(data + 2), size - 2));
  request.content_type = kContentTypes[data[1] % std::size(kContentTypes)];
  try {
    decoder.decode(request);
  } catch (const roster::core::Error& error) {
    if (error.kind() != roster::core::ErrorKind::kInvalidRequest) {
      std::fprintf(stderr, "%.*s: refusal of kind %d: %s\n", static_cast<int>(decoder.name.size()),
                   decoder.name.data(), static_cast<int>(error.kind()), error.message().c_str());
      std::abort();
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%.*s threw outside the taxonomy: %s\n",
                 static_cast<int>(decoder.name.size()), decoder.name.data(), error.what());
    std::abort();
  }
  return 0;
}

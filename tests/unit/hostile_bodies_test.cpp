// Every body decoder (tests/support/body_decoders.hpp) with each field of its sample set to null
// and to values of every other type and extreme: each either decodes or throws a 400 core::Error
// naming a field or none — never another exception.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/body_decoders.hpp"

namespace roster::testsupport {
namespace {

using nlohmann::json;

std::vector<json> HostileValues() {
  return {nullptr,
          true,
          0,
          json::parse("-0"),
          json::parse("-0.0"),
          2.5,
          json::parse("1e308"),
          json::parse("18446744073709551615"),
          json::parse("18446744073709551616"),
          json::parse("9223372036854775808"),
          json::parse("-9223372036854775808"),
          json::parse("-9223372036854775809"),
          "",
          std::string(3000, 'x'),
          "\xf0\x9f\x98\x80",
          json::array(),
          json::array({nullptr}),
          json::object(),
          json{{"a", json::array()}}};
}

void Pointers(const json& value, const json::json_pointer& at,
              std::vector<json::json_pointer>& out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out.push_back(at / key);
      Pointers(item, at / key, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(at / i);
      Pointers(value[i], at / i, out);
    }
  }
}

// Decodes `body`; true when accepted. Fails the test on anything but a 400 core::Error.
bool Decodes(const BodyDecoder& decoder, const std::string& body, const std::string& what) {
  api::Request request = api::Request::Make("POST", "/x", body);
  request.content_type = "application/json";
  try {
    decoder.decode(request);
    return true;
  } catch (const core::Error& error) {
    EXPECT_EQ(error.kind(), core::ErrorKind::kInvalidRequest) << what << ": " << error.message();
    EXPECT_FALSE(error.message().empty()) << what;
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": " << error.what();
  }
  return false;
}

TEST(HostileBodiesTest, SamplesDecode) {
  for (const BodyDecoder& decoder : kBodyDecoders) {
    EXPECT_TRUE(Decodes(decoder, std::string(decoder.sample), std::string(decoder.name)));
  }
}

TEST(HostileBodiesTest, EveryFieldOfEveryDecoderTakesHostileValues) {
  int cases = 0;
  for (const BodyDecoder& decoder : kBodyDecoders) {
    const json sample = json::parse(decoder.sample);
    std::vector<json::json_pointer> fields;
    Pointers(sample, json::json_pointer(), fields);
    for (const auto& field : fields) {
      for (const json& value : HostileValues()) {
        json body = sample;
        body[field] = value;
        Decodes(decoder, body.dump(),
                std::string(decoder.name) + " " + field.to_string() + "=" + value.dump());
        ++cases;
      }
      json body = sample;
      if (body[field.parent_pointer()].is_object()) {
        body[field.parent_pointer()].erase(field.back());
        Decodes(decoder, body.dump(), std::string(decoder.name) + " without " + field.to_string());
      }
    }
  }
  EXPECT_GT(cases, 500);
}

TEST(HostileBodiesTest, NullInEveryFieldIsRefusedOrMeansAbsent) {
  // null is either refused (required fields) or the same as leaving the field out.
  for (const BodyDecoder& decoder : kBodyDecoders) {
    const json sample = json::parse(decoder.sample);
    for (const auto& [key, ignored] : sample.items()) {
      json with_null = sample;
      with_null[key] = nullptr;
      json without = sample;
      without.erase(key);
      const std::string what = std::string(decoder.name) + "." + key;
      const bool null_ok = Decodes(decoder, with_null.dump(), what + "=null");
      if (null_ok) {
        EXPECT_TRUE(Decodes(decoder, without.dump(), what + " absent"))
            << what << ": null accepted but absence refused";
      }
    }
  }
}

}  // namespace
}  // namespace roster::testsupport

// Streaming JSON output for the hot responses (members and member pages): RapidJSON's Writer
// renders straight into one buffer without building a DOM, which the profile of a 100-member page
// showed costing ten times the store read (docs/PERFORMANCE.md). Text is checked to be UTF-8
// before it is written (ASCII in one cheap pass, anything else with RapidJSON's validator);
// `ok()` turns false on invalid bytes and the caller then falls back to the DOM path
// (json_text.hpp `Dump`), which replaces them with U+FFFD — both paths give the same JSON.
#pragma once

// Every x86-64 CPU has SSE2: RapidJSON then copies runs of characters that need no escaping 16
// bytes at a time. This header is the only place that includes RapidJSON.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif

#include <rapidjson/encodings.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roster::api::json {

class JsonWriter {
 public:
  // `capacity`: the expected size of the text, to allocate once.
  explicit JsonWriter(std::size_t capacity = 1024) : buffer_(nullptr, capacity), writer_(buffer_) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& StartObject() {
    return Write([&] { return writer_.StartObject(); });
  }
  JsonWriter& EndObject() {
    return Write([&] { return writer_.EndObject(); });
  }
  JsonWriter& StartArray() {
    return Write([&] { return writer_.StartArray(); });
  }
  JsonWriter& EndArray() {
    return Write([&] { return writer_.EndArray(); });
  }
  JsonWriter& Key(std::string_view key) {
    return Write(
        [&] { return writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size())); });
  }
  JsonWriter& String(std::string_view text) {
    return Write([&] {
      return IsUtf8(text) &&
             writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    });
  }
  // The text, or null when absent.
  JsonWriter& OptString(const std::optional<std::string>& text) {
    return text ? String(*text) : Null();
  }
  JsonWriter& Int(std::int64_t value) {
    return Write([&] { return writer_.Int64(value); });
  }
  JsonWriter& Bool(bool value) {
    return Write([&] { return writer_.Bool(value); });
  }
  JsonWriter& Null() {
    return Write([&] { return writer_.Null(); });
  }

  // False once anything failed to write (text that is not UTF-8); the output is then unusable.
  bool ok() const noexcept { return ok_; }
  // The text written so far.
  std::string Take() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  // After a failure nothing more is written: the writer's state (key or value next) would no
  // longer match the calls, which RapidJSON asserts on in debug builds.
  template <typename F>
  JsonWriter& Write(F&& write) {
    if (ok_) ok_ = write();
    return *this;
  }

  static bool IsUtf8(std::string_view text) {
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0x80U) == 0;
    });
    if (ascii) return true;
    struct Discard {
      using Ch = char;
      void Put(Ch) noexcept {}
    } discard;
    // A copy ends in NUL, so the validator never reads past a truncated last sequence.
    const std::string copy(text);
    rapidjson::GenericStringStream<rapidjson::UTF8<>> in(copy.c_str());
    const char* const end = copy.c_str() + copy.size();
    while (in.src_ < end) {
      if (!rapidjson::UTF8<>::Validate(in, discard)) return false;
    }
    return true;
  }

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
  bool ok_ = true;
};

}  // namespace roster::api::json

// Log levels and the text rendering of request log records.
#include "api/request_log.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace roster::api {
namespace {

constexpr std::array<std::string_view, 5> kLevelNames = {"debug", "info", "warn", "error", "off"};

// Appends `text` with control characters replaced, so a client cannot forge log lines.
void AppendSanitized(std::string& out, std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7F ? '?' : c;
  }
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == text) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string_view LogLevelName(LogLevel level) noexcept {
  return kLevelNames[static_cast<std::size_t>(level)];
}

std::string FormatLogTime(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::array<char, 40> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                utc.tm_sec, static_cast<int>(millis));
  return buffer.data();
}

std::string FormatRequestLogText(const RequestLogRecord& record) {
  std::string line = FormatLogTime(record.time);
  line += ' ';
  line += LogLevelName(record.level());
  line += ' ';
  line += record.request_id;
  line += ' ';
  line += std::to_string(record.status);
  line += ' ';
  AppendSanitized(line, record.method);
  line += ' ';
  AppendSanitized(line, record.route.empty() ? record.path : record.route);
  line += ' ';
  line += std::to_string(record.duration.count() / 1000) + '.' +
          std::to_string(record.duration.count() % 1000 / 100) + "ms";
  const auto field = [&line](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    line += ' ';
    line += name;
    line += '=';
    AppendSanitized(line, value);
  };
  field("org", record.org_id);
  field("key", record.key_id);
  field("code", record.error_code);
  field("detail", record.detail);
  return line;
}

}  // namespace roster::api

// The per-request log record the router emits (RouterOptions::log) and its two renderings: one
// JSON object per line (`--log-format json`) or a human-readable line (`--log-format text`).
// A record never holds a secret: no key, no token, no body; the raw path only when no route
// matched (a matched path may carry an invite token, so the route template is logged instead).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace roster::api {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// "debug", "info", "warn", "error", "off" ↔ LogLevel.
std::optional<LogLevel> ParseLogLevel(std::string_view text) noexcept;
std::string_view LogLevelName(LogLevel level) noexcept;

struct RequestLogRecord {
  std::chrono::system_clock::time_point time;  // when the request was received
  std::string_view request_id;
  std::string_view method;
  std::string_view route;  // the route template, "" when none matched
  std::string_view path;   // the raw path when no route matched, else ""
  int status = 0;
  std::chrono::microseconds duration{0};
  std::string_view org_id;      // of the authenticated key, "" on keyless routes
  std::string_view key_id;      // the key's id (never its value), ""
  std::string_view error_code;  // the error's `code`, "" when none
  std::string_view detail;      // internal detail of an error (driver message), ""

  // 5xx → kError, 4xx → kWarn, otherwise kInfo.
  LogLevel level() const noexcept {
    return status >= 500 ? LogLevel::kError : status >= 400 ? LogLevel::kWarn : LogLevel::kInfo;
  }
};

// `2026-01-02T03:04:05.678Z` (UTC, milliseconds).
std::string FormatLogTime(std::chrono::system_clock::time_point time);

// One line without the trailing newline: `TIME LEVEL REQUEST_ID STATUS METHOD ROUTE_OR_PATH
// DURATIONms [org=…] [key=…] [code=…] [detail=…]`. Control characters become '?'.
std::string FormatRequestLogText(const RequestLogRecord& record);

}  // namespace roster::api

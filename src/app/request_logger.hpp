// The server's request log: one line per request on stderr, as JSON (`--log-format json`, the
// default) or text, filtered by `--log-level` (2xx/3xx are info, 4xx warn, 5xx error).
#pragma once

#include <functional>
#include <string>

#include "api/request_log.hpp"

namespace roster::app {

enum class LogFormat { kJson, kText };

// The RouterOptions::log function writing to stderr: one whole line per write, under a lock, so
// lines from concurrent workers never interleave.
std::function<void(const api::RequestLogRecord&)> MakeRequestLogger(api::LogLevel level,
                                                                    LogFormat format);

// The rendered line (without newline) or "" when `level` filters the record out.
std::string RenderLogLine(const api::RequestLogRecord& record, api::LogLevel level,
                          LogFormat format);

}  // namespace roster::app

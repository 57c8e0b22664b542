// Request log lines on stderr.
#include "app/request_logger.hpp"

#include <cstdio>
#include <mutex>

#include "api/json/request_log_json.hpp"

namespace roster::app {

std::string RenderLogLine(const api::RequestLogRecord& record, api::LogLevel level,
                          LogFormat format) {
  if (level == api::LogLevel::kOff || record.level() < level) return {};
  return format == LogFormat::kJson ? api::json::FormatRequestLogJson(record)
                                    : api::FormatRequestLogText(record);
}

std::function<void(const api::RequestLogRecord&)> MakeRequestLogger(api::LogLevel level,
                                                                    LogFormat format) {
  return [level, format](const api::RequestLogRecord& record) {
    std::string line = RenderLogLine(record, level, format);
    if (line.empty()) return;
    line += '\n';
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace roster::app

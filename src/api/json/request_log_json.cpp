// JSON log lines, built with nlohmann::json (never by hand).
#include "api/json/request_log_json.hpp"

#include <nlohmann/json.hpp>

namespace roster::api::json {

std::string FormatRequestLogJson(const RequestLogRecord& record) {
  nlohmann::ordered_json line;
  line["time"] = FormatLogTime(record.time);
  line["level"] = LogLevelName(record.level());
  line["request_id"] = record.request_id;
  line["method"] = record.method;
  line["route"] = record.route.empty() ? nullptr : nlohmann::ordered_json(record.route);
  if (!record.path.empty()) line["path"] = record.path;
  line["status"] = record.status;
  line["duration_ms"] = static_cast<double>(record.duration.count()) / 1000.0;
  const auto optional = [&line](const char* name, std::string_view value) {
    if (!value.empty()) line[name] = value;
  };
  optional("org_id", record.org_id);
  optional("key_id", record.key_id);
  optional("error_code", record.error_code);
  optional("detail", record.detail);
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace roster::api::json

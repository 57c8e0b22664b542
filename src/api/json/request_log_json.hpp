// The JSON rendering of a request log record (`--log-format json`): one object per line.
#pragma once

#include <string>

#include "api/request_log.hpp"

namespace roster::api::json {

// `{"time","level","request_id","method","route","status","duration_ms"[,"path"][,"org_id"]
// [,"key_id"][,"error_code"][,"detail"]}` without a trailing newline; invalid UTF-8 is replaced.
std::string FormatRequestLogJson(const RequestLogRecord& record);

}  // namespace roster::api::json

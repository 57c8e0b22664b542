// Handler of GET /v1/organization/audit_logs: every query parameter of CONTRACT §11.1.
#include <charconv>
#include <cstdint>

#include "api/audit_event_types.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json/audit_codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {
namespace {

// GET /organization/audit_logs: 1–100, default 20 (CONTRACT §5.5).
constexpr LimitRule kAuditLogsLimit{1, 100, 20, false};

// `effective_at[op]` (the SDKs' object encoding, CONTRACT §4) as Unix seconds. Throws 400 with the
// wire name as param: `invalid_type` when not a decimal integer, `invalid_value` beyond 64 bits.
std::optional<core::Timestamp> ParseBound(const Query& query, const std::string& key) {
  const std::optional<std::string> raw = query.Get(key);
  if (!raw) return std::nullopt;
  const std::string_view text = *raw;
  const std::size_t digits_at = !text.empty() && text.front() == '-' ? 1 : 0;
  const bool integer = text.size() > digits_at &&
                       text.find_first_not_of("0123456789", digits_at) == std::string_view::npos;
  if (!integer) {
    throw core::InvalidType(key, "Invalid type for '" + key +
                                     "': expected an integer (Unix seconds), but got '" + *raw +
                                     "' instead.");
  }
  core::Timestamp value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  if (ec != std::errc()) {
    throw core::InvalidValue(key, "Invalid '" + key + "': " + *raw + " is out of range.");
  }
  return value;
}

// `before`, or nullopt when absent or empty (as ParseAfter).
std::optional<std::string> ParseBefore(const Query& query) {
  std::optional<std::string> before = query.Get("before");
  if (before && before->empty()) return std::nullopt;
  return before;
}

bool ParseTenantOnly(const Query& query) {
  const std::optional<std::string> raw = query.Get("tenant_only");
  if (!raw || *raw == "false") return false;
  if (*raw == "true") return true;
  throw core::InvalidType("tenant_only",
                          "Invalid type for 'tenant_only': expected a boolean, but "
                          "got '" +
                              *raw + "' instead.");
}

std::vector<std::string> ParseEventTypes(const Query& query, bool tenant_only) {
  std::vector<std::string> types = query.GetAll("event_types");
  for (const std::string& type : types) {
    if (!IsAuditEventType(type)) {
      throw core::InvalidValue("event_types", "Invalid value for 'event_types': '" + type +
                                                  "' is not an audit log event type.");
    }
    if (tenant_only && !IsTenantAuditEventType(type)) {
      throw core::InvalidValue("event_types", "Invalid value for 'event_types': '" + type +
                                                  "' is not tenant-scoped, but tenant_only is "
                                                  "true.");
    }
  }
  if (tenant_only && types.empty()) {
    // "Only tenant-scoped events": the filter is the tenant types (Roster emits none of them,
    // but the query still validates its cursors).
    for (std::string_view type : AuditEventTypes()) {
      if (IsTenantAuditEventType(type)) types.emplace_back(type);
    }
  }
  return types;
}

}  // namespace

std::string ListAuditLogs(const Context& context) {
  const Query& query = context.request.query;
  storage::AuditQuery audit;
  audit.limit = ParseLimit(query, kAuditLogsLimit);
  audit.after = ParseAfter(query);
  audit.before = ParseBefore(query);
  audit.effective_gt = ParseBound(query, "effective_at[gt]");
  audit.effective_gte = ParseBound(query, "effective_at[gte]");
  audit.effective_lt = ParseBound(query, "effective_at[lt]");
  audit.effective_lte = ParseBound(query, "effective_at[lte]");
  audit.event_types = ParseEventTypes(query, ParseTenantOnly(query));
  audit.actor_ids = query.GetAll("actor_ids");
  audit.actor_emails = query.GetAll("actor_emails");
  audit.resource_ids = query.GetAll("resource_ids");
  audit.project_ids = query.GetAll("project_ids");

  const auto org = context.store.GetOrganization(context.actor.org_id);
  if (!org) throw core::NotFound("No such organization.");
  return json::EncodeAuditLogPage(context.store.ListAuditEvents(org->id, audit), *org);
}

}  // namespace roster::api::handlers

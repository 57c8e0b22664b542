// Parsing and range checks of list query parameters.
#include "api/list_params.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>

#include "api/input_limits.hpp"
#include "core/error.hpp"

namespace roster::api {
namespace {

core::Error LimitError(std::string_view code, std::string message) {
  return core::Error(core::ErrorKind::kInvalidRequest, std::move(message), "limit",
                     std::string(code));
}

}  // namespace

void ValidateQuery(const Query& query) {
  const std::size_t count = query.pairs().size();
  if (count > limits::kMaxQueryParameters) {
    throw core::Error(core::ErrorKind::kInvalidRequest,
                      "Too many query parameters: " + std::to_string(count) +
                          ". Expected at most " + std::to_string(limits::kMaxQueryParameters) + ".",
                      std::nullopt, "too_many_parameters");
  }
  for (const auto& [key, value] : query.pairs()) {
    const bool clean = [](std::string_view text) {
      return text.find('\0') == std::string_view::npos && IsValidUtf8(text);
    }(key) && (value.find('\0') == std::string::npos && IsValidUtf8(value));
    if (!clean) {
      // The key itself may be the ill-formed part: `param` must stay valid UTF-8 text.
      const std::string param = IsValidUtf8(key) ? key : "(invalid UTF-8)";
      throw core::InvalidValue(param, "Invalid value for query parameter '" + param +
                                          "': expected UTF-8 text without NUL characters.");
    }
  }
}

int ParseLimit(const Query& query, const LimitRule& rule) {
  const std::optional<std::string> raw = query.Get("limit");
  if (!raw) return rule.default_value;
  const std::string_view text = *raw;
  // Decimal digits with an optional '-': "1.5", "ten", "+3", "" and " 3" are not integers.
  const std::size_t digits_at = !text.empty() && text.front() == '-' ? 1 : 0;
  const bool integer = text.size() > digits_at &&
                       text.find_first_not_of("0123456789", digits_at) == std::string_view::npos;
  if (!integer) {
    throw LimitError(core::codes::kInvalidType,
                     "Invalid type for 'limit': expected an integer, "
                     "but got a string instead.");
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  (void)end;
  // Digits too many for int64 are still an integer, just far out of range.
  const bool negative = digits_at == 1;
  if (ec == std::errc::result_out_of_range) value = negative ? INT64_MIN : INT64_MAX;
  if (value < rule.min) {
    throw LimitError(core::codes::kIntegerBelowMin,
                     "Invalid 'limit': integer below minimum value. Expected a value >= " +
                         std::to_string(rule.min) + ", but got " + std::string(text) + " instead.");
  }
  if (value > rule.max) {
    throw LimitError(core::codes::kIntegerAboveMax,
                     "Invalid 'limit': integer above maximum value. Expected a value <= " +
                         std::to_string(rule.max) + ", but got " + std::string(text) + " instead.");
  }
  if (value == 0 && rule.zero_means_default) return rule.default_value;
  return static_cast<int>(value);
}

core::SortOrder ParseOrder(const Query& query, core::SortOrder default_order) {
  const std::optional<std::string> raw = query.Get("order");
  if (!raw) return default_order;
  if (*raw == "asc") return core::SortOrder::kAsc;
  if (*raw == "desc") return core::SortOrder::kDesc;
  throw core::InvalidValue(
      "order", "Invalid value: '" + *raw + "'. Supported values are: 'asc' and 'desc'.");
}

std::optional<std::string> ParseAfter(const Query& query) {
  std::optional<std::string> after = query.Get("after");
  if (after && after->empty()) return std::nullopt;
  return after;
}

}  // namespace roster::api

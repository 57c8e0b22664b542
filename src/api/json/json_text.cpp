// JSON type names for validation messages.
#include "api/json/json_text.hpp"

namespace roster::api::json {

std::string_view TypeName(const Json& value) noexcept {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

std::string DescribeType(const Json& value) {
  const std::string_view name = TypeName(value);
  if (value.is_null()) return std::string(name);
  const bool vowel = name.front() == 'a' || name.front() == 'i' || name.front() == 'o';
  return (vowel ? "an " : "a ") + std::string(name);
}

}  // namespace roster::api::json

// Small helpers of the domain types.
#include "core/model.hpp"

namespace roster::core {

std::string_view ToString(BaseRole role) noexcept {
  return role == BaseRole::kOwner ? "owner" : "reader";
}

std::optional<BaseRole> ParseBaseRole(std::string_view text) {
  if (text == "owner") return BaseRole::kOwner;
  if (text == "reader") return BaseRole::kReader;
  return std::nullopt;
}

std::string_view PredefinedRoleName(BaseRole role) noexcept {
  return role == BaseRole::kOwner ? "Owner" : "Reader";
}

}  // namespace roster::core

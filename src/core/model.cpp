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

std::string_view ToString(InviteStatus status) noexcept {
  switch (status) {
    case InviteStatus::kAccepted:
      return "accepted";
    case InviteStatus::kExpired:
      return "expired";
    case InviteStatus::kPending:
      break;
  }
  return "pending";
}

InviteStatus Invite::StatusAt(Timestamp now) const noexcept {
  if (accepted_at) return InviteStatus::kAccepted;
  if (expires_at && *expires_at <= now) return InviteStatus::kExpired;
  return InviteStatus::kPending;
}

}  // namespace roster::core

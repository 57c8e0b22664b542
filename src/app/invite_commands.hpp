// Shell commands for invites: `roster invites link` prints the acceptance link an admin sends to
// the invitee, `roster invites accept` accepts on their behalf (first setup, support).
#pragma once

#include <optional>
#include <string>

#include "app/command_support.hpp"

namespace roster::app {

// Where the acceptance page is served when no --base-url is given (`roster serve`'s default).
inline constexpr const char* kDefaultInviteBaseUrl = "http://127.0.0.1:8080";

struct InviteLinkOptions {
  std::string invite_id;
  std::string base_url = kDefaultInviteBaseUrl;  // scheme://host[:port], no path
  std::optional<std::string> org_id;             // default: whichever organization has the invite
  std::string db = kDefaultDbPath;
};

// Prints `BASE_URL/invite/TOKEN` alone on stdout. Throws CommandError when the invite does not
// exist (or was revoked) or is no longer pending (accepted, expired): such a link cannot work.
int InviteLink(const InviteLinkOptions& options);

struct AcceptInviteOptions {
  std::string invite_id;
  std::optional<std::string> name;  // for a new account; default: the part of the email before '@'
  std::optional<std::string> org_id;
  std::string db = kDefaultDbPath;
};

// Accepts the invite as its invitee would through the link, and prints the member's user id
// alone on stdout. Throws CommandError for the refusals (unknown, revoked, expired, already
// accepted, already a member).
int AcceptInvite(const AcceptInviteOptions& options);

}  // namespace roster::app

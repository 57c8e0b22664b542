// Handlers of /organization/users and /organization/users/{user_id}.
#include <algorithm>

#include "api/handlers/handlers.hpp"
#include "api/json/codecs.hpp"
#include "api/list_params.hpp"
#include "core/error.hpp"

namespace roster::api::handlers {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

// Emails match "exactly after trimming" (CONTRACT §7.1); the store compares case-insensitively.
std::vector<std::string> TrimmedEmails(std::vector<std::string> emails) {
  for (std::string& email : emails) {
    email.erase(0, std::min(email.find_first_not_of(kWhitespace), email.size()));
    email.erase(email.find_last_not_of(kWhitespace) + 1);
  }
  return emails;
}

}  // namespace

std::string ListUsers(const Context& context) {
  const Query& query = context.request.query;
  storage::ListMembersQuery list;
  list.limit = ParseLimit(query, kUsersLimit);
  list.after = ParseAfter(query);
  list.emails = TrimmedEmails(query.GetAll("emails"));
  return json::EncodeUserPage(context.store.ListMembers(context.actor.org_id, list));
}

std::string RetrieveUser(const Context& context) {
  const std::string& user_id = context.params.at(0);
  const auto member = context.store.GetMember(context.actor.org_id, user_id);
  if (!member) throw core::NotFound("No such user: '" + user_id + "'.");
  return json::EncodeUser(*member);
}

std::string ModifyUser(const Context& context) {
  const storage::MemberPatch patch = json::DecodeModifyUser(context.request);
  return json::EncodeUser(
      context.store.UpdateMember(context.actor, context.actor.org_id, context.params.at(0), patch));
}

std::string DeleteUser(const Context& context) {
  const std::string& user_id = context.params.at(0);
  context.store.DeleteMember(context.actor, context.actor.org_id, user_id);
  return json::EncodeUserDeleted(user_id);
}

}  // namespace roster::api::handlers

// Time-ordered prefixed ids and request ids.
#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>
#include <vector>

namespace roster::core {
namespace {

TEST(IdsTest, FormatIsPrefixPlus24Base36) {
  const std::regex pattern("^user-[0-9a-z]{24}$");
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewId(id_prefix::kUser);
    EXPECT_TRUE(std::regex_match(id, pattern)) << id;
    EXPECT_TRUE(IsWellFormedId(id, id_prefix::kUser));
  }
}

TEST(IdsTest, LaterIdsSortLater) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) ids.push_back(NewId(id_prefix::kRole));
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]) << i;
}

TEST(IdsTest, OrderedAcrossMilliseconds) {
  const std::string first = NewId(id_prefix::kRole);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  EXPECT_LT(first, NewId(id_prefix::kRole));
}

TEST(IdsTest, UniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(NewId(id_prefix::kUser));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : made) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(IdsTest, IsWellFormedIdRejects) {
  const std::string good = NewId(id_prefix::kRole);
  EXPECT_TRUE(IsWellFormedId(good, id_prefix::kRole));
  EXPECT_FALSE(IsWellFormedId(good, id_prefix::kUser));
  EXPECT_FALSE(IsWellFormedId(good + "a", id_prefix::kRole));
  EXPECT_FALSE(IsWellFormedId(good.substr(0, good.size() - 1), id_prefix::kRole));
  std::string upper = good;
  upper.back() = 'A';
  EXPECT_FALSE(IsWellFormedId(upper, id_prefix::kRole));
  std::string slash = good;
  slash.back() = '/';
  EXPECT_FALSE(IsWellFormedId(slash, id_prefix::kRole));
  EXPECT_FALSE(IsWellFormedId("", id_prefix::kRole));
  EXPECT_FALSE(IsWellFormedId("role_", id_prefix::kRole));
}

TEST(IdsTest, PrefixesFollowTheContract) {
  EXPECT_EQ(id_prefix::kUser, "user-");
  EXPECT_EQ(id_prefix::kRole, "role_");
  EXPECT_EQ(id_prefix::kAdminKey, "key_");
  EXPECT_EQ(id_prefix::kProject, "proj_");
  EXPECT_EQ(id_prefix::kInvite, "invite-");
  EXPECT_EQ(id_prefix::kGroup, "group_");
  EXPECT_EQ(id_prefix::kAuditLog, "audit_log-");
}

TEST(IdsTest, RequestIdFormat) {
  const std::regex pattern("^req_[0-9a-f]{32}$");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewRequestId();
    EXPECT_TRUE(std::regex_match(id, pattern)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace roster::core

// A store per backend with one organization, its owner and an actor: the starting point of the
// invite and audit-filter conformance tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/store.hpp"
#include "storage/store_test_support.hpp"

namespace roster::storage::testing {

inline constexpr core::Timestamp kOrgFixtureStart = 1'700'000'000;

class OrgStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().make(clock_);
    org_ = store_->CreateOrganization("Acme");
    owner_ = store_->AddMember(std::nullopt, org_.id,
                               {"owner@acme.test", "Olive Owner", core::BaseRole::kOwner});
    actor_ = core::Actor{org_.id, "key_test", owner_.account.id, owner_.account.email};
  }

  void TearDown() override {
    store_.reset();
    CleanTestDir();
  }

  // Every event of `org_id`, newest first, fetched in pages of 3 (so paging is exercised too).
  std::vector<core::AuditEvent> AllEvents(const std::string& org_id) {
    std::vector<core::AuditEvent> out;
    AuditQuery query{.after = std::nullopt, .limit = 3};
    for (;;) {
      auto page = store_->ListAuditEvents(org_id, query);
      out.insert(out.end(), page.items.begin(), page.items.end());
      if (!page.has_more) break;
      query.after = page.items.back().id;
    }
    return out;
  }

  core::ManualClock clock_{kOrgFixtureStart};
  std::unique_ptr<Store> store_;
  core::Organization org_;
  core::Member owner_;
  core::Actor actor_;
};

}  // namespace roster::storage::testing

// Synthetic member generation: find where earlier seeds stopped, then insert in large batches.
#include "app/seed.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

#include "app/synthetic_names.hpp"
#include "storage/store.hpp"

namespace roster::app {
namespace {

// Large enough that per-transaction overhead vanishes, small enough to bound memory (~10 MB).
constexpr std::size_t kBatchSize = 50'000;

// Whether synthetic person n already has an account member in any organization.
bool SeedNumberUsed(storage::Store& store, const std::vector<core::Organization>& organizations,
                    std::uint64_t n) {
  storage::ListMembersQuery query;
  query.limit = 1;
  query.emails = {SyntheticPersonAt(n).email};
  for (const auto& organization : organizations) {
    if (!store.ListMembers(organization.id, query).items.empty()) return true;
  }
  return false;
}

// The first synthetic number not yet used. Earlier seeds used 1..k contiguously, so an
// exponential then binary search finds k + 1 in O(log k) indexed lookups.
std::uint64_t FirstFreeSeedNumber(storage::Store& store) {
  const auto organizations = store.ListOrganizations();
  if (!SeedNumberUsed(store, organizations, 1)) return 1;
  std::uint64_t used = 1;  // known used
  std::uint64_t unused = 2;
  while (SeedNumberUsed(store, organizations, unused)) {
    used = unused;
    unused *= 2;
  }
  while (unused - used > 1) {
    const std::uint64_t middle = used + (unused - used) / 2;
    if (SeedNumberUsed(store, organizations, middle)) {
      used = middle;
    } else {
      unused = middle;
    }
  }
  return unused;
}

}  // namespace

int Seed(const SeedOptions& options) {
  auto store = OpenStore(options.db, 1);
  const core::Organization organization = ResolveOrganization(*store, options.org_id);
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t first = FirstFreeSeedNumber(*store);

  std::size_t added = 0;
  std::vector<storage::NewMember> batch;
  batch.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(options.users, kBatchSize)));
  for (std::uint64_t done = 0; done < options.users;) {
    batch.clear();
    for (; batch.size() < kBatchSize && done < options.users; ++done) {
      SyntheticPerson person = SyntheticPersonAt(first + done);
      storage::NewMember member;
      member.email = std::move(person.email);
      member.name = std::move(person.name);
      member.base_role = core::BaseRole::kReader;
      batch.push_back(std::move(member));
    }
    added += store->AddMembersBulk(organization.id, batch);
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
  std::cout << "added " << added << " members to " << organization.id << " in " << elapsed << " s"
            << std::endl;
  return kExitOk;
}

}  // namespace roster::app

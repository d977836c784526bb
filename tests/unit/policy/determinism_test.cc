// Plans are reproduced bit for bit by every signer, whatever the build: these golden plan hashes
// were produced by the Debug build and must come out identically from the ASan/UBSan CI build
// and from the Release build (integer-only planning, ties broken by pool id). A change in
// planning semantics changes them on purpose: update the constants in the same commit and say so.
#include "gtest/gtest.h"
#include "policy/plan.h"
#include "policy/synthetic.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::ReadFile;
using testing::SamplePath;

std::string PlanHashHex(const Policy& policy, const Snapshot& snapshot) {
  auto plan = MakePlan(policy, snapshot, PlanHistory{});
  if (!plan.ok()) return plan.status().ToString();
  return chain::HexEncode(PlanHash(*plan));
}

TEST(Determinism, SamplePlanHashIsStableAcrossBuilds) {
  auto policy = LoadPolicy(ReadFile(SamplePath("policy.yaml")));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto snapshot = LoadSnapshot(ReadFile(SamplePath("snapshot.json")));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(PlanHashHex(*policy, *snapshot),
            "06fe9816426c811c34dc6da662b02b8c1553abed581316c6ab48a28689357e7b");
}

TEST(Determinism, LargeSyntheticPlanHashIsStableAcrossBuilds) {
  auto policy = LoadPolicy(ReadFile(SamplePath("policy.yaml")));
  ASSERT_TRUE(policy.ok()) << policy.status();
  SyntheticOptions o;
  o.seed = 20261122;
  o.pools = 3000;
  o.slots = 12;
  o.idle_stake = 50000000ull * 1000000ull;
  Snapshot s = MakeSyntheticSnapshot(o);
  ASSERT_TRUE(NormalizeSnapshot(s).ok());
  // The same snapshot twice in one process gives the same hash too.
  const std::string first = PlanHashHex(*policy, s);
  EXPECT_EQ(first, PlanHashHex(*policy, s));
  EXPECT_EQ(first, "a9f40a3c050816c9f8c3de0f1fa95961eef63802638a0445ec0a42e451df418d");
}

}  // namespace
}  // namespace stakeward::policy

// Plans are reproduced bit for bit by every signer, whatever the build: these golden plan hashes
// were produced by the Debug build and must come out identically from the ASan/UBSan CI build
// and from the Release build (integer-only planning, ties broken by pool id). A change in
// planning semantics changes them on purpose: update the constants in the same commit and say so.
#include "gtest/gtest.h"
#include "policy/plan.h"
#include "test_util.h"
#include "tests/support/synthetic.h"

namespace stakeward::policy {
namespace {

using testing::ReadFile;
using testing::SamplePath;

std::string PlanHashHex(const Policy& policy, const Snapshot& snapshot) {
  auto plan = MakePlan(policy, snapshot, PlanHistory{});
  if (!plan.ok()) return plan.status().ToString();
  return chain::HexEncode(PlanHash(*plan));
}

// The sample policy pins rewards.operator_l2_address (added after schema version 1). Only the
// policy hash inside the plan changed with it: the golden below changed on 2026-12-02 for that
// reason alone, which the next test proves.
TEST(Determinism, SamplePlanHashIsStableAcrossBuilds) {
  auto policy = LoadPolicy(ReadFile(SamplePath("policy.yaml")));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto snapshot = LoadSnapshot(ReadFile(SamplePath("snapshot.json")));
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(PlanHashHex(*policy, *snapshot),
            "cb700108fffe9e2e4aa912a14ca5575b8193a606aab914d6c15b335ce30b7e88");
}

// Without the field the document hashes as before it existed, so the plan hash is the golden
// pinned before the field was added (approvals of older documents stay valid).
TEST(Determinism, PolicyWithoutNewerFieldsKeepsItsHashAndPlan) {
  std::string yaml = ReadFile(SamplePath("policy.yaml"));
  const size_t at = yaml.find("  operator_l2_address:");
  ASSERT_NE(at, std::string::npos);
  yaml.erase(at, yaml.find('\n', at) - at + 1);
  auto policy = LoadPolicy(yaml);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_TRUE(policy->rewards.operator_l2_address.empty());
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
  EXPECT_EQ(first, "7dbfaef78940cc6ea7955bcc5824e1981a94fcc01621801404920cedb5ab6022");
}

}  // namespace
}  // namespace stakeward::policy

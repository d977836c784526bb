// The sample data in policy/samples/ stays consistent with the code: the sample snapshot is the
// synthetic generator's output for the sample policy (slot addresses derived from the signers'
// xpubs), and the sample policy plans cleanly on it. Set STAKEWARD_REGENERATE_SAMPLES=1 to rewrite
// snapshot.json and groups.txt after an intentional change.
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "policy/plan.h"
#include "policy/slot_scripts.h"
#include "test_util.h"
#include "tests/support/synthetic.h"

namespace stakeward::policy {
namespace {

using testing::ReadFile;
using testing::SamplePath;

absl::StatusOr<Snapshot> BuildSampleSnapshot(const Policy& policy) {
  SyntheticOptions o;
  o.seed = 1854;
  o.pools = 50;
  o.slots = 3;
  o.our_stake = 60000000 * testing::kAda;  // 60M ADA
  o.idle_stake = 5000000 * testing::kAda;
  o.epoch = 200;
  o.pools_per_group = 3;
  o.treasury = 2000 * testing::kAda;
  Snapshot s = MakeSyntheticSnapshot(o);
  auto derived = DeriveSlots(policy, 0, static_cast<uint32_t>(s.slots.size()));
  if (!derived.ok()) return derived.status();
  for (size_t i = 0; i < s.slots.size(); ++i) {
    SlotState& sl = s.slots[i];
    sl.address = (*derived)[sl.index].base_address;
    Utxo u;
    u.tx.fill(static_cast<uint8_t>(0xa0 + i));
    u.index = 0;
    u.lovelace = sl.balance;
    sl.utxos = {u};
  }
  absl::Status st = NormalizeSnapshot(s);
  if (!st.ok()) return st;
  return s;
}

TEST(Samples, SnapshotMatchesGeneratorAndPlans) {
  auto policy = LoadPolicy(ReadFile(SamplePath("policy.yaml")));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto built = BuildSampleSnapshot(*policy);
  ASSERT_TRUE(built.ok()) << built.status();
  if (std::getenv("STAKEWARD_REGENERATE_SAMPLES") != nullptr) {
    std::ofstream(SamplePath("snapshot.json")) << SnapshotToJson(*built) << "\n";
    std::string groups = ReadFile(SamplePath("groups.txt"));
    groups = groups.substr(0, groups.find("\n# --\n"));
    absl::StrAppend(&groups, "\n# --\n");
    for (size_t i = 0; i < 6 && i < built->pools.size(); ++i) {
      absl::StrAppend(&groups, chain::PoolIdBech32(built->pools[i].id), " sample-operator-", i % 2,
                      "\n");
    }
    std::ofstream(SamplePath("groups.txt")) << groups;
  }
  auto loaded = LoadSnapshot(ReadFile(SamplePath("snapshot.json")));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(SnapshotHash(*loaded), SnapshotHash(*built))
      << "regenerate with STAKEWARD_REGENERATE_SAMPLES=1";
  EXPECT_EQ(loaded->pools.size(), 50u);
  ASSERT_TRUE(ApplyGroupsFile(ReadFile(SamplePath("groups.txt")), *loaded).ok());
  auto plan = MakePlan(*policy, *loaded, PlanHistory{});
  ASSERT_TRUE(plan.ok()) << plan.status();
  absl::Status check = CheckPlanAgainstPolicy(*policy, *loaded, PlanHistory{}, *plan);
  EXPECT_TRUE(check.ok()) << check;
  EXPECT_FALSE(plan->actions.empty());
  size_t selected = 0;
  for (const auto& d : plan->pools) selected += d.selected;
  EXPECT_GE(selected, 2u);
}

TEST(Samples, SlotAddressesComeFromTheSignersKeys) {
  auto policy = LoadPolicy(ReadFile(SamplePath("policy.yaml")));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto slots = DeriveSlots(*policy, 0, 3);
  ASSERT_TRUE(slots.ok()) << slots.status();
  // Carol's payment key hash at m/1854'/1815'/0'/0/0 (specs/ledger.md §7.2, self-computed).
  auto pay = PaymentScript(*policy);
  ASSERT_TRUE(pay.ok());
  ASSERT_EQ(pay->scripts.size(), 3u);
  EXPECT_EQ(pay->required, 2u);
  EXPECT_EQ(chain::HexEncode(pay->scripts[2].key_hash),
            "619da22ba612c028eaccfeaba2e2363ae9aa6e6d48a79baf226e3da3");
  auto stake0 = SlotStakeScript(*policy, 0);
  ASSERT_TRUE(stake0.ok());
  EXPECT_EQ(chain::HexEncode(stake0->scripts[2].key_hash),
            "104a234b0a8294074c180265dbc2a96d25b59b2cdc3e5d1537698567");
  EXPECT_NE((*slots)[0].base_address, (*slots)[1].base_address);
  EXPECT_EQ((*slots)[0].base_address.rfind("addr_test1x", 0),
            0u);  // header 0x30: script/script, testnet
  // A wrong address is caught before planning.
  auto snap = LoadSnapshot(ReadFile(SamplePath("snapshot.json")));
  ASSERT_TRUE(snap.ok()) << snap.status();
  std::swap(snap->slots[0].address, snap->slots[1].address);
  EXPECT_EQ(MakePlan(*policy, *snap, PlanHistory{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::policy

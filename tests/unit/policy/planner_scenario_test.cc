// Scenarios from the design: retirement, saturation, a better pool, growth, a margin raise,
// operator groups, tiny stake, reward split, transaction grouping, re-entry delay.
#include <algorithm>

#include "gtest/gtest.h"
#include "policy/plan.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::AddSlot;
constexpr chain::Lovelace L(uint64_t v) { return chain::Lovelace(v); }
using testing::kAda;
using testing::MakePool;

constexpr uint64_t kM = 1000000 * kAda;  // one million ADA

// Six healthy pools with 5M ADA each; we hold 10M ADA in pools 1 and 2.
struct Fixture {
  Policy policy = testing::TestPolicy();
  Snapshot snap;
  Fixture() {
    std::vector<Pool> pools;
    for (uint8_t i = 1; i <= 6; ++i) pools.push_back(MakePool(i, 5 * kM));
    snap = testing::MakeSnapshot(pools);
    policy.allocation.max_pool_share_bps = 5000;
    policy.allocation.min_pools = 2;
    AddSlot(snap, 0, &snap.pools[0], 5 * kM);
    AddSlot(snap, 1, &snap.pools[1], 5 * kM);
    EXPECT_TRUE(NormalizeSnapshot(snap).ok());
  }
  const PoolDecision& Decision(const Plan& plan, uint8_t tag) {
    for (const PoolDecision& d : plan.pools) {
      if (d.id[0] == tag) return d;
    }
    static PoolDecision none;
    ADD_FAILURE() << "no pool " << int(tag);
    return none;
  }
  Plan MustPlan(const PlanHistory& h = {}) {
    auto p = MakePlan(policy, snap, h);
    EXPECT_TRUE(p.ok()) << p.status();
    EXPECT_TRUE(CheckPlanInvariants(policy, snap, *p).ok());
    return p.ok() ? *p : Plan{};
  }
};

bool HasAction(const Plan& p, ActionType t) {
  return std::any_of(p.actions.begin(), p.actions.end(),
                     [t](const Action& a) { return a.type == t; });
}

TEST(Scenario, SteadyStateHasNoActions) {
  Fixture f;
  // All pools are identical, so the incumbents stay (ties go by pool id; pools 1 and 2 sort first).
  Plan p = f.MustPlan();
  EXPECT_TRUE(p.empty()) << (p.actions.empty() ? "" : p.actions[0].reason);
  EXPECT_EQ(f.Decision(p, 1).after, 5 * kM);
}

TEST(Scenario, RetiringPoolIsEvacuatedDespiteZeroChurn) {
  Fixture f;
  f.policy.churn.max_moved_bps_per_epoch = 0;
  f.snap.pools[0].retiring_epoch = f.snap.epoch + 1;
  Plan p = f.MustPlan();
  const PoolDecision& d = f.Decision(p, 1);
  EXPECT_TRUE(d.verdict.denied());
  EXPECT_TRUE(d.evacuation);
  EXPECT_EQ(d.after, 0u);
  EXPECT_EQ(p.moved_exempt, 5 * kM);
  EXPECT_EQ(p.moved, 0u);
  EXPECT_NE(DecisionReason(d).find("retiring"), std::string::npos);
  // The freed slot is re-pointed, not deregistered: no deposit needed.
  EXPECT_TRUE(HasAction(p, ActionType::kDelegatePool));
  EXPECT_FALSE(HasAction(p, ActionType::kRegister));
  EXPECT_EQ(p.deposits, L(0));
  ASSERT_EQ(p.dropped.size(), 1u);
  EXPECT_EQ(p.dropped[0].pool, f.snap.pools[0].id);
}

TEST(Scenario, SaturatedPoolIsEvacuated) {
  Fixture f;
  f.policy.churn.max_moved_bps_per_epoch = 0;
  const uint64_t z = f.snap.SaturationPoint();
  f.snap.pools[0].live_stake = z + 5 * kM;  // others now exceed saturation
  Plan p = f.MustPlan();
  const PoolDecision& d = f.Decision(p, 1);
  EXPECT_TRUE(d.verdict.denied());
  EXPECT_EQ(d.verdict.reasons[0].gate, "saturation");
  EXPECT_TRUE(d.evacuation);
  EXPECT_EQ(d.after, 0u);
  EXPECT_NE(DecisionReason(d).find("saturated"), std::string::npos);
}

TEST(Scenario, BetterPoolAppearsAndHysteresisHolds) {
  Fixture f;
  f.policy.allocation.min_pools = 2;
  f.policy.allocation.max_pools = 2;
  f.snap.pools[5].margin = Ratio::Zero();  // pool 6 now beats the 1% pools
  f.snap.pools[5].fixed_cost = 170 * kAda;
  Plan p = f.MustPlan();
  EXPECT_GT(f.Decision(p, 6).target, 0u);
  EXPECT_TRUE(HasAction(p, ActionType::kDelegatePool));
  // The same newcomer does not beat incumbents protected by a large hysteresis.
  f.policy.churn.hysteresis_bps = 5000;
  Plan q = f.MustPlan();
  EXPECT_EQ(f.Decision(q, 6).target, 0u);
  EXPECT_TRUE(q.empty());
}

TEST(Scenario, OurStakeGrowsTenfold) {
  Fixture f;
  f.policy.churn.max_moved_bps_per_epoch = 0;  // new money is placed regardless
  f.policy.allocation.max_pool_share_bps = 2000;
  AddSlot(f.snap, 2, nullptr, 90 * kM);  // idle deposit at slot 2's address
  ASSERT_TRUE(NormalizeSnapshot(f.snap).ok());
  Plan p = f.MustPlan();
  EXPECT_EQ(p.total_stake, 100 * kM);
  uint64_t selected = 0, sum = 0;
  for (const PoolDecision& d : p.pools) {
    selected += d.after > 0;
    sum += d.after;
  }
  EXPECT_EQ(sum, 100 * kM);
  EXPECT_GE(selected, 2u);
  EXPECT_TRUE(HasAction(p, ActionType::kRegister));  // idle slot 2 is registered and delegated
  EXPECT_GT(p.deposits, L(0));
  for (const PoolDecision& d : p.pools) {
    const Pool* pool = f.snap.FindPool(d.id);
    EXPECT_LE(pool->live_stake - d.current + d.target, f.snap.SaturationPoint() * 9500 / 10000);
  }
}

TEST(Scenario, MarginRaiseLeavesWithinChurnCap) {
  Fixture f;
  f.policy.gates.max_margin = Ratio::Of(5, 100);
  f.policy.churn.max_moved_bps_per_epoch = 1000;  // 10% of 10M = 1M per epoch
  f.snap.pools[0].margin = Ratio::Of(10, 100);
  Plan p = f.MustPlan();
  const PoolDecision& d = f.Decision(p, 1);
  EXPECT_TRUE(d.verdict.denied());
  EXPECT_EQ(d.target, 0u);
  EXPECT_FALSE(d.evacuation);
  EXPECT_EQ(d.after, 4 * kM);
  EXPECT_EQ(p.moved, 1 * kM);
  EXPECT_NE(DecisionReason(d).find("churn cap"), std::string::npos);
  // Re-planning on the applied state continues the move.
  Snapshot s = f.snap;
  for (int i = 0; i < 10; ++i) {
    auto next = ApplyPlan(s, p);
    ASSERT_TRUE(next.ok()) << next.status();
    s = *next;
    auto np = MakePlan(f.policy, s, {});
    ASSERT_TRUE(np.ok());
    p = *np;
    if (p.empty()) break;
  }
  EXPECT_TRUE(p.empty());
  for (const SlotState& sl : s.slots)
    EXPECT_NE(sl.pool, std::optional<chain::Hash28>(f.snap.pools[0].id));
}

TEST(Scenario, OperatorGroupCaps) {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.snap.pools[i].group = "big-op";
  f.policy.gates.max_pools_per_group = 1;
  f.policy.allocation.max_pool_share_bps = 3400;
  Plan p = f.MustPlan();
  int in_group = 0;
  for (const PoolDecision& d : p.pools) {
    if (d.group == "big-op" && d.target > 0) ++in_group;
    if (d.group == "big-op" && d.verdict.denied()) {
      EXPECT_EQ(d.verdict.reasons.back().gate, "group");
    }
  }
  EXPECT_EQ(in_group, 1);
  // Share cap per group instead of a count cap.
  f.policy.gates.max_pools_per_group = UINT64_MAX;
  f.policy.allocation.max_group_share_bps = 4000;
  f.policy.allocation.max_pool_share_bps = 2500;
  Plan q = f.MustPlan();
  uint64_t group_total = 0;
  for (const PoolDecision& d : q.pools) {
    if (d.group == "big-op") group_total += d.target;
  }
  EXPECT_LE(group_total, 4 * kM);
}

TEST(Scenario, StakeSmallerThanOneMinimum) {
  Fixture f;
  f.snap.slots.clear();
  for (Pool& pool : f.snap.pools) pool.live_stake = 5 * kM;
  AddSlot(f.snap, 0, nullptr, 500 * kAda);
  ASSERT_TRUE(NormalizeSnapshot(f.snap).ok());
  f.policy.allocation.min_per_pool = 1000 * kAda;
  f.policy.allocation.min_pools = 3;
  f.policy.allocation.max_pool_share_bps = 10000;
  Plan p = f.MustPlan();
  int used = 0;
  for (const PoolDecision& d : p.pools) used += d.target > 0;
  EXPECT_EQ(used, 1);
  EXPECT_FALSE(p.notes.empty());
}

TEST(Scenario, NoCapacityIsFailedPrecondition) {
  Fixture f;
  f.policy.gates.max_margin = Ratio::Zero();  // every pool has a 1% margin
  auto p = MakePlan(f.policy, f.snap, {});
  EXPECT_EQ(p.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Scenario, ReentryDelayHonoured) {
  Fixture f;
  f.policy.allocation.max_pools = 3;
  f.policy.allocation.min_pools = 3;
  f.policy.churn.reentry_delay_epochs = 5;
  PlanHistory h;
  h.dropped.push_back({f.snap.pools[2].id, f.snap.epoch - 2});
  Plan p = f.MustPlan(h);
  EXPECT_EQ(f.Decision(p, 3).target, 0u);
  EXPECT_EQ(f.Decision(p, 3).verdict.reasons[0].gate, "reentry");
  EXPECT_GT(f.Decision(p, 4).target, 0u);
}

TEST(Scenario, ManySlotsSplitIntoTransactions) {
  Fixture f;
  f.policy.max_slots = 200;
  f.policy.allocation.max_pools = 120;
  f.policy.allocation.min_pools = 120;
  f.policy.allocation.strategy = Strategy::kEqual;
  std::vector<Pool> pools;
  for (int i = 1; i <= 130; ++i) pools.push_back(MakePool(static_cast<uint8_t>(i), 5 * kM));
  f.snap = testing::MakeSnapshot(pools);
  AddSlot(f.snap, 0, nullptr, 1200 * kM);
  ASSERT_TRUE(NormalizeSnapshot(f.snap).ok());
  Plan p = f.MustPlan();
  EXPECT_GT(p.txs.size(), 10u);  // 120 × (7 + 2 + 9) certificates
  for (const PlanTx& t : p.txs) EXPECT_LE(t.certificates, 25u);
  // Each slot's 7, 2, 9 are in one transaction and in that order.
  for (size_t i = 0; i + 2 < p.actions.size(); ++i) {
    if (p.actions[i].type != ActionType::kRegister) continue;
    EXPECT_EQ(p.actions[i + 1].type, ActionType::kDelegatePool);
    EXPECT_EQ(p.actions[i + 2].type, ActionType::kDelegateDRep);
    EXPECT_EQ(p.actions[i].tx, p.actions[i + 2].tx);
  }
  EXPECT_EQ(p.deposits, L(120 * f.snap.params.key_deposit.value()));
}

TEST(Scenario, DeregisterAfterWithdrawingRewards) {
  Fixture f;
  f.policy.allocation.max_pools = 1;
  f.policy.allocation.min_pools = 1;
  f.policy.allocation.max_pool_share_bps = 10000;
  f.snap.slots[1].rewards = chain::Lovelace(42 * kAda);
  Plan p = f.MustPlan();
  ASSERT_TRUE(HasAction(p, ActionType::kDeregister));
  auto w = std::find_if(p.actions.begin(), p.actions.end(),
                        [](const Action& a) { return a.type == ActionType::kWithdraw; });
  auto d = std::find_if(p.actions.begin(), p.actions.end(),
                        [](const Action& a) { return a.type == ActionType::kDeregister; });
  ASSERT_NE(w, p.actions.end());
  EXPECT_LT(w - p.actions.begin(), d - p.actions.begin());
  EXPECT_EQ(w->amount, L(42 * kAda));
  EXPECT_EQ(p.refunds, f.snap.params.key_deposit);
  auto after = ApplyPlan(f.snap, p);
  ASSERT_TRUE(after.ok()) << after.status();
  auto again = MakePlan(f.policy, *after, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST(Scenario, DRepDelegationForSlotsThatLackIt) {
  Fixture f;
  f.snap.slots[0].drep.reset();
  f.policy.drep.kind = DRepChoice::Kind::kAbstain;
  Plan p = f.MustPlan();
  ASSERT_EQ(p.actions.size(), 1u);
  EXPECT_EQ(p.actions[0].type, ActionType::kDelegateDRep);
  EXPECT_EQ(p.actions[0].slot, 0u);
}

TEST(Scenario, TreasuryMustCoverDepositsAndFees) {
  Fixture f;
  f.snap.slots[0].drep.reset();
  f.snap.treasury.clear();
  EXPECT_EQ(MakePlan(f.policy, f.snap, {}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Scenario, NetworkMismatchIsInvalid) {
  Fixture f;
  f.policy.network = chain::Network::kMainnet;
  EXPECT_EQ(MakePlan(f.policy, f.snap, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Scenario, CheckPlanAgainstPolicyRejectsTampering) {
  Fixture f;
  f.snap.pools[5].margin = Ratio::Zero();
  f.policy.allocation.max_pools = 2;
  Plan p = f.MustPlan();
  EXPECT_TRUE(CheckPlanAgainstPolicy(f.policy, f.snap, {}, p).ok());
  Plan t = p;
  t.actions[0].amount += L(1);
  EXPECT_EQ(CheckPlanAgainstPolicy(f.policy, f.snap, {}, t).code(),
            absl::StatusCode::kPermissionDenied);
  Policy other = f.policy;
  other.rewards.commission_bps = 1;
  EXPECT_EQ(CheckPlanAgainstPolicy(other, f.snap, {}, p).code(),
            absl::StatusCode::kPermissionDenied);
}

// A deregistration refunds the deposit the credential holds (recorded in the snapshot), not
// today's key_deposit parameter: the ledger refuses any other amount.
TEST(Scenario, DeregisterRefundsTheRecordedDeposit) {
  Fixture f;
  f.policy.allocation.max_pools = 1;
  f.policy.allocation.min_pools = 1;
  f.policy.allocation.max_pool_share_bps = 10000;
  f.snap.slots[1].deposit = chain::Lovelace(400000);  // registered when the parameter was 0.4 ADA
  Plan p = f.MustPlan();
  auto d = std::find_if(p.actions.begin(), p.actions.end(),
                        [](const Action& a) { return a.type == ActionType::kDeregister; });
  ASSERT_NE(d, p.actions.end());
  EXPECT_EQ(d->slot, f.snap.slots[1].index);
  EXPECT_EQ(d->amount, L(400000));
  EXPECT_EQ(p.refunds, L(400000));
  EXPECT_NE(f.snap.params.key_deposit, chain::Lovelace(400000));
}

TEST(RewardSplit, CommissionFloorRestToBridge) {
  Fixture f;
  f.snap.slots[0].rewards = chain::Lovelace(1000001);
  f.snap.slots[1].rewards = chain::Lovelace(2999999);
  auto r = SplitRewards(f.policy, f.snap);  // 500 bps
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, L(4000000));
  // Floored per slot, as the reward transaction pays it (controller/rewards/reward_builder.cc):
  // 1000001 * 0.05 = 50000.05 -> 50000; 2999999 * 0.05 = 149999.95 -> 149999. (Flooring the
  // total instead would give 200000: the two rules differed by this lovelace before issue 12.)
  EXPECT_EQ(r->commission, L(199999));
  EXPECT_EQ(r->bridge, L(3800001));
  EXPECT_FALSE(r->defer);  // 3.8 ADA reaches the 3 ADA bridge minimum
}

TEST(RewardSplit, ExactToTheLovelace) {
  Fixture f;
  f.policy.rewards.commission_bps = 333;
  f.snap.slots[0].rewards = chain::Lovelace(12345678901);
  f.snap.slots[1].rewards = chain::Lovelace(0);
  auto r = SplitRewards(f.policy, f.snap);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->commission, L(12345678901ull * 333 / 10000));
  EXPECT_EQ(r->commission + r->bridge, r->total);
  EXPECT_FALSE(r->defer);
  ASSERT_EQ(r->withdrawals.size(), 1u);
  f.snap.slots[0].rewards = chain::Lovelace(1000);
  EXPECT_TRUE(SplitRewards(f.policy, f.snap)->defer);
}

}  // namespace
}  // namespace stakeward::policy

// Max-rewards allocation against an exhaustive search over a coarse grid on small instances.
// The grid is the quantum S/10 and every cap is a whole number of quanta, so the greedy answer
// starts on the grid; the exchange pass may step off it (1/100 and 1/1000 of the stake).
#include <functional>
#include <cstdlib>
#include <map>

#include "gtest/gtest.h"
#include "policy/allocate.h"
#include "policy/synthetic.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::kAda;

constexpr uint64_t kQuanta = 10;

struct Instance {
  Policy policy;
  Snapshot snap;
  std::vector<Candidate> cands;
  uint64_t total = 0;
};

Instance MakeInstance(uint64_t seed) {
  SplitMix64 rng(seed);
  Instance in;
  in.policy = testing::TestPolicy();
  const size_t n = rng.Between(2, 8);
  std::vector<Pool> pools;
  for (size_t i = 0; i < n; ++i) {
    Pool p = testing::MakePool(static_cast<uint8_t>(i + 1), rng.Between(1, 20) * 1000000 * kAda);
    p.margin = Ratio::Of(rng.Below(60), 1000);
    p.fixed_cost = rng.Between(170, 800) * kAda;
    p.pledge = rng.Below(3) * 1000000 * kAda;
    p.live_pledge = p.pledge;
    p.group = "g" + std::to_string(rng.Below(3));
    pools.push_back(p);
  }
  in.snap = testing::MakeSnapshot(pools);
  const uint64_t q = rng.Between(1, 5) * 1000000 * kAda;
  in.total = q * kQuanta;
  Allocation& a = in.policy.allocation;
  a.strategy = Strategy::kMaxRewards;
  a.min_pools = 1;
  a.max_pools = rng.Between(1, n);
  a.max_pool_share_bps = 1000 * rng.Between(2, 10);
  a.max_group_share_bps = rng.Chance(1, 2) ? 10000 : 1000 * rng.Between(4, 9);
  a.min_per_pool = rng.Chance(1, 3) ? q : 0;
  a.saturation_headroom_bps = 10000;
  const RewardContext ctx = MakeRewardContext(in.snap);
  for (const Pool& p : in.snap.pools) {
    Candidate c;
    c.pool = &p;
    c.others = p.live_stake;
    c.headroom = in.snap.SaturationPoint() - p.live_stake;  // ≥ 50M: never binding here
    c.perf = Ratio::One();
    c.score = ReturnPerLovelace(ctx, p, c.perf, c.others, q);
    c.rank = c.score;
    in.cands.push_back(c);
  }
  std::sort(in.cands.begin(), in.cands.end(), [](const Candidate& x, const Candidate& y) {
    return x.rank != y.rank ? x.rank > y.rank : x.pool->id < y.pool->id;
  });
  return in;
}

// Best expected reward over all grid allocations that respect the caps.
u128 GridOptimum(const Instance& in, const RewardContext& ctx, std::vector<uint64_t>* best_x = nullptr) {
  const uint64_t q = in.total / kQuanta;
  const Allocation& a = in.policy.allocation;
  const uint64_t group_q = GroupCap(in.policy, in.total) / q;
  const size_t n = in.cands.size();
  std::vector<uint64_t> x(n, 0);
  u128 best = 0;
  bool any = false;
  std::function<void(size_t, uint64_t)> rec = [&](size_t i, uint64_t left) {
    if (i == n) {
      if (left != 0) return;
      uint64_t used = 0;
      std::map<std::string, uint64_t> g;
      for (size_t k = 0; k < n; ++k) {
        if (x[k] == 0) continue;
        ++used;
        if (x[k] * q < a.min_per_pool) return;
        g[in.cands[k].pool->group] += x[k];
      }
      if (used > a.max_pools) return;
      for (auto& [name, v] : g) {
        if (v > group_q) return;
      }
      std::vector<uint64_t> amounts(n);
      for (size_t k = 0; k < n; ++k) amounts[k] = x[k] * q;
      u128 r = ExpectedReward(ctx, in.cands, amounts);
      if (!any || r > best) {
        best = r;
        if (best_x != nullptr) *best_x = x;
      }
      any = true;
      return;
    }
    const uint64_t cap_q = std::min<uint64_t>(kQuanta, PoolCap(in.policy, in.cands[i], in.total) / q);
    for (uint64_t v = 0; v <= std::min(cap_q, left); ++v) {
      x[i] = v;
      rec(i + 1, left - v);
    }
    x[i] = 0;
  };
  rec(0, kQuanta);
  return any ? best : 0;
}

TEST(MaxRewards, MatchesExhaustiveGridOptimum) {
  int compared = 0, exact = 0, infeasible = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    Instance in = MakeInstance(seed);
    const RewardContext ctx = MakeRewardContext(in.snap);
    u128 best = GridOptimum(in, ctx);
    auto got = Allocate(in.policy, ctx, in.cands, in.total);
    if (!got.ok()) {
      EXPECT_EQ(best, 0u) << "greedy found no allocation but the grid has one (seed " << seed << ")";
      ++infeasible;
      continue;
    }
    u128 mine = ExpectedReward(ctx, in.cands, got->amounts);
    // Member reward is convex in our stake below saturation (the fixed cost is shared by more
    // stake), not concave, so a greedy fill with pairwise exchange is a heuristic: some instances
    // need a three-way exchange to reach the optimum. Require 0.5% of the optimum at worst.
    EXPECT_GE(mine, best - best / 200) << "seed " << seed;
    ++compared;
    exact += mine >= best;  // exchange steps finer than the grid may even beat it
  }
  std::printf("max-rewards vs exhaustive: %d instances, %d exact optimum, %d infeasible\n", compared, exact,
              infeasible);
  EXPECT_GE(compared, 100);
  EXPECT_GE(exact * 20, compared * 19);  // at least 95% hit the optimum exactly
}

TEST(MaxRewards, ConservesAndRespectsCaps) {
  for (uint64_t seed = 200; seed <= 260; ++seed) {
    Instance in = MakeInstance(seed);
    in.total += seed;  // not a multiple of anything
    const RewardContext ctx = MakeRewardContext(in.snap);
    for (Strategy st : {Strategy::kEqual, Strategy::kScoreWeighted, Strategy::kMaxRewards}) {
      in.policy.allocation.strategy = st;
      auto got = Allocate(in.policy, ctx, in.cands, in.total);
      if (!got.ok()) {
        EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
        continue;
      }
      uint64_t sum = 0, used = 0;
      std::map<std::string, uint64_t> g;
      for (size_t i = 0; i < in.cands.size(); ++i) {
        sum += got->amounts[i];
        used += got->amounts[i] > 0;
        EXPECT_LE(got->amounts[i], PoolCap(in.policy, in.cands[i], in.total));
        g[in.cands[i].pool->group] += got->amounts[i];
      }
      EXPECT_EQ(sum, in.total);
      EXPECT_LE(used, in.policy.allocation.max_pools);
      for (auto& [name, v] : g) EXPECT_LE(v, GroupCap(in.policy, in.total));
    }
  }
}

}  // namespace
}  // namespace stakeward::policy

// Max-rewards allocation against an exhaustive search over a coarse grid on small instances.
// The grid is the quantum S/10. The grid DP (allocate_dp.h) on that grid must reach the exhaustive
// optimum exactly; Allocate (the DP on a grid of 40 or 20 quanta, which contains it, then exchange
// steps off the grid) must never fall below it.
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "gtest/gtest.h"
#include "policy/allocate.h"
#include "policy/allocate_dp.h"
#include "test_util.h"
#include "tests/support/synthetic.h"

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

// Best expected reward over all grid allocations that respect the caps; nullopt when none does.
std::optional<u128> GridOptimum(const Instance& in, const RewardContext& ctx) {
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
      if (!any || r > best) best = r;
      any = true;
      return;
    }
    const uint64_t cap_q =
        std::min<uint64_t>(kQuanta, PoolCap(in.policy, in.cands[i], in.total) / q);
    for (uint64_t v = 0; v <= std::min(cap_q, left); ++v) {
      x[i] = v;
      rec(i + 1, left - v);
    }
    x[i] = 0;
  };
  rec(0, kQuanta);
  if (!any) return std::nullopt;
  return best;
}

GridProblem ProblemOf(const Instance& in, uint64_t quanta) {
  GridProblem pr;
  for (size_t i = 0; i < in.cands.size(); ++i) {
    pr.items.push_back(i);
    pr.caps.push_back(PoolCap(in.policy, in.cands[i], in.total));
  }
  pr.group_cap = GroupCap(in.policy, in.total);
  pr.min_per_pool = in.policy.allocation.min_per_pool;
  pr.max_pools = in.policy.allocation.max_pools;
  pr.total = in.total;
  pr.quanta = quanta;
  return pr;
}

TEST(MaxRewards, MatchesExhaustiveGridOptimum) {
  int compared = 0, infeasible = 0, beyond_grid = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    Instance in = MakeInstance(seed);
    const RewardContext ctx = MakeRewardContext(in.snap);
    const std::optional<u128> best = GridOptimum(in, ctx);
    const auto dp = MaxRewardsOnGrid(ctx, in.cands, ProblemOf(in, kQuanta));
    ASSERT_EQ(best.has_value(), dp.has_value()) << "seed " << seed;
    auto got = Allocate(in.policy, ctx, in.cands, in.total);
    if (!best) {
      ++infeasible;
      continue;
    }
    ++compared;
    // The DP is exact on the grid: the same objective value as the exhaustive search.
    EXPECT_EQ(ExpectedReward(ctx, in.cands, *dp), *best) << "seed " << seed;
    uint64_t sum = 0;
    for (uint64_t a : *dp) sum += a;
    EXPECT_EQ(sum, in.total);
    // The planner's allocation is at least as good (its grid is finer; exchange only improves).
    ASSERT_TRUE(got.ok()) << got.status() << " seed " << seed;
    const u128 mine = ExpectedReward(ctx, in.cands, got->amounts);
    EXPECT_GE(mine, *best) << "seed " << seed;
    beyond_grid += mine > *best;
  }
  std::printf(
      "max-rewards vs exhaustive: %d instances exact on the grid, %d beat it off-grid, %d "
      "infeasible\n",
      compared, beyond_grid, infeasible);
  EXPECT_GE(compared, 100);
}

TEST(MaxRewards, GridTiesGoToTheLowerPoolId) {
  // Two identical pools in one group, one pool allowed: the stake goes to the lower id whatever
  // the order the candidates come in.
  Policy policy = testing::TestPolicy();
  std::vector<Pool> pools;
  for (uint8_t id : {9, 4}) {
    Pool p = testing::MakePool(id, 5000000 * kAda);
    p.group = "same";
    pools.push_back(p);
  }
  Snapshot snap = testing::MakeSnapshot(pools);
  const RewardContext ctx = MakeRewardContext(snap);
  std::vector<Candidate> cands;
  for (const Pool& p : snap.pools) {
    Candidate c;
    c.pool = &p;
    c.others = p.live_stake;
    c.headroom = snap.SaturationPoint() - p.live_stake;
    c.perf = Ratio::One();
    cands.push_back(c);
  }
  for (int flip = 0; flip < 2; ++flip) {
    if (flip == 1) std::swap(cands[0], cands[1]);
    GridProblem pr;
    pr.items = {0, 1};
    pr.caps = {UINT64_MAX, UINT64_MAX};
    pr.group_cap = UINT64_MAX;
    pr.max_pools = 1;
    pr.total = 1000000 * kAda;
    pr.quanta = 10;
    auto dp = MaxRewardsOnGrid(ctx, cands, pr);
    ASSERT_TRUE(dp.has_value());
    const size_t low = cands[0].pool->id < cands[1].pool->id ? 0 : 1;
    EXPECT_EQ((*dp)[low], pr.total);
    EXPECT_EQ((*dp)[1 - low], 0u);
  }
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

#include "policy/reward_model.h"

#include <algorithm>

namespace stakeward::policy {

RewardContext MakeRewardContext(const Snapshot& s) {
  RewardContext c;
  c.total = s.circulating;
  c.saturation = s.SaturationPoint();
  c.a0 = s.params.a0;
  u128 delta_r = MulFloor(s.reserves, s.params.rho);
  u128 to_treasury = MulFloor(delta_r, s.params.tau);
  c.pot = delta_r - to_treasury;
  return c;
}

Performance ApparentPerformance(const Pool& pool, uint64_t epoch, uint64_t window) {
  // Expected blocks are summed in units of 10^-9 block so differing denominators add exactly
  // enough for a ratio; made blocks are scaled the same way.
  constexpr uint64_t kUnit = 1000000000;
  u128 expected = 0;
  u128 made = 0;
  uint64_t from = epoch > window ? epoch - window : 0;
  for (const EpochBlocks& b : pool.blocks) {
    if (b.epoch < from || b.epoch >= epoch) continue;
    expected += static_cast<u128>(b.expected.num) * kUnit / b.expected.den;
    made += static_cast<u128>(b.made) * kUnit;
  }
  Performance p;
  if (expected == 0) return p;
  p.known = true;
  if (made >= expected) return p;
  // Both fit in 64 bits here: made < expected, and expected is bounded by the window's blocks.
  while (expected > UINT64_MAX) {
    expected >>= 1;
    made >>= 1;
  }
  p.value =
      Ratio::Of(static_cast<uint64_t>(made), static_cast<uint64_t>(expected == 0 ? 1 : expected));
  return p;
}

u128 PoolReward(const RewardContext& ctx, const Pool& pool, const Ratio& perf, uint64_t stake) {
  if (ctx.total == 0 || ctx.saturation == 0) return 0;
  if (pool.live_pledge < pool.pledge) return 0;
  const u128 z = ctx.saturation;
  const u128 sigma = std::min<u128>(stake, z);
  const u128 s = std::min<u128>(std::min<u128>(pool.pledge, stake), z);
  // s' · (Z − σ') / Z ≤ σ' because s' ≤ σ'; the difference is non-negative.
  const u128 shrink = s * (z - sigma) / z;
  const u128 term = s * (sigma - shrink) / z;
  const u128 inner = sigma + term * ctx.a0.num / ctx.a0.den;
  const u128 scaled = ctx.pot * inner / ctx.total;  // R · inner / T
  const u128 max_pool = scaled * ctx.a0.den / (static_cast<u128>(ctx.a0.den) + ctx.a0.num);
  return max_pool * perf.num / perf.den;
}

u128 MemberReward(const RewardContext& ctx, const Pool& pool, const Ratio& perf, uint64_t others,
                  uint64_t x) {
  if (x == 0) return 0;
  const u128 stake = static_cast<u128>(others) + x;
  const uint64_t stake64 = stake > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(stake);
  const u128 f = PoolReward(ctx, pool, perf, stake64);
  if (f <= pool.fixed_cost) return 0;
  const u128 after_cost = f - pool.fixed_cost;
  const u128 to_members = after_cost * (pool.margin.den - pool.margin.num) / pool.margin.den;
  return to_members * x / stake;
}

u128 ReturnPerLovelace(const RewardContext& ctx, const Pool& pool, const Ratio& perf,
                       uint64_t others, uint64_t x) {
  if (x == 0) return 0;
  return MemberReward(ctx, pool, perf, others, x) * kReturnScale / x;
}

}  // namespace stakeward::policy

// The Shelley reward formula in integer arithmetic (Shelley ledger spec, "Rewards" section:
// maxPool, the pool's apparent performance, and memberRew; IntersectMBO/cardano-ledger
// eras/shelley/formal-spec). Amounts are lovelace; relative stakes σ = stake / T are kept as
// lovelace numerators over the same T so that no intermediate needs more than 128 bits:
//   z0 = 1/k → Z = T / k (the saturation point),  σ' = min(stake, Z),  s' = min(pledge, Z)
//   maxPool = R / (1 + a0) · (σ' + a0 · s' · (σ' − s' · (Z − σ') / Z) / Z) / T
//   pool reward f = maxPool · p̄ (apparent performance over the window, capped at 1), and 0 when
//   the live pledge is below the declared pledge
//   member reward for our x = (f − c) · (1 − m) · x / (pool stake), 0 when f ≤ c
// R is this epoch's pool reward pot: floor(ρ · reserves) minus the treasury cut τ (fees are left
// out: they are unknown ahead of time and scale every pool alike). Divisions floor.
#ifndef STAKEWARD_POLICY_REWARD_MODEL_H_
#define STAKEWARD_POLICY_REWARD_MODEL_H_

#include <cstdint>

#include "policy/ratio.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

// Scores are member rewards per lovelace, scaled by this factor.
inline constexpr uint64_t kReturnScale = 1000000000000000ull;  // 10^15

struct RewardContext {
  u128 pot = 0;             // R
  uint64_t total = 0;       // T (circulating)
  uint64_t saturation = 0;  // Z
  Ratio a0;
};
RewardContext MakeRewardContext(const Snapshot& s);

// Blocks made / expected over the `window` epochs before `epoch`, capped at 1. `known` is false
// when no blocks were expected in the window (then the result is 1: no evidence against the pool).
struct Performance {
  Ratio value = Ratio::One();
  bool known = false;
};
Performance ApparentPerformance(const Pool& pool, uint64_t epoch, uint64_t window);

// Pool reward f for a pool with total stake `stake` (what the ledger would pay the pool).
u128 PoolReward(const RewardContext& ctx, const Pool& pool, const Ratio& perf, uint64_t stake);

// Members' reward for our `x` lovelace added to `others` (the pool's stake without ours).
u128 MemberReward(const RewardContext& ctx, const Pool& pool, const Ratio& perf, uint64_t others,
                  uint64_t x);

// MemberReward(x) · kReturnScale / x (0 when x == 0).
u128 ReturnPerLovelace(const RewardContext& ctx, const Pool& pool, const Ratio& perf,
                       uint64_t others, uint64_t x);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_REWARD_MODEL_H_

// Allocation of our stake over ranked, eligible pools (design §4 "allocation"): equal,
// score-weighted (water-filling under caps) or max-rewards (the better of a greedy fill by expected
// return and an exact grid DP, allocate_dp.h, then pairwise exchange; exact on the grid for small
// instances).
// Caps: pool count bounds, per-pool share of our stake, saturation headroom (a pool's stake after
// us stays below the policy's share of the saturation point), per-operator-group share, minimum per
// pool. Lovelace is conserved exactly: the amounts sum to `total`, remainders go to pools in rank
// order one lovelace at a time.
#ifndef STAKEWARD_POLICY_ALLOCATE_H_
#define STAKEWARD_POLICY_ALLOCATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "policy/policy.h"
#include "policy/reward_model.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

// A candidate's operator group as a dense index (AssignGroupIds): the caps count per group in
// vectors instead of string-keyed maps, once per plan.
inline constexpr uint32_t kUngrouped = UINT32_MAX;

struct Candidate {
  const Pool* pool = nullptr;
  uint64_t others = 0;    // pool stake without ours
  uint64_t headroom = 0;  // how much we may add before the saturation headroom
  Ratio perf;
  bool incumbent = false;       // we delegate to it now
  uint32_t group = kUngrouped;  // index of pool->group among the candidates' groups (in the
                                // padding before `score`: 100k candidates are copied per round)
  u128 score = 0;               // the policy's score (weights applied)
  u128 rank = 0;  // score with the hysteresis boost for incumbents: selection order only
};

struct AllocationOutcome {
  std::vector<uint64_t> amounts;  // per candidate, same order; sums to total
  std::vector<std::string> notes;
};

// Numbers the candidates' operator groups 0..n-1 (the same name, the same index). Allocate does it
// itself for candidates left kUngrouped; the planner does it once for all its allocations.
void AssignGroupIds(std::vector<Candidate>& cands);
// 1 + the largest group index (0 when empty).
size_t GroupCount(const std::vector<Candidate>& cands);

// `ranked` must be sorted by rank descending, ties by pool id. Hysteresis only decides which pools
// are chosen; the amounts given to the chosen pools depend on their unboosted scores and ids, so
// planning again after the plan is applied reproduces the same amounts. FAILED_PRECONDITION when
// the eligible pools cannot absorb `total` under the caps.
absl::StatusOr<AllocationOutcome> Allocate(const Policy& policy, const RewardContext& ctx,
                                           const std::vector<Candidate>& ranked, uint64_t total);

// The policy's expected member reward of an allocation (sum over pools), for tests and reports.
u128 ExpectedReward(const RewardContext& ctx, const std::vector<Candidate>& ranked,
                    const std::vector<uint64_t>& amounts);

// Per-pool cap for `total` under the policy: min(share cap, saturation headroom).
uint64_t PoolCap(const Policy& policy, const Candidate& c, uint64_t total);
uint64_t GroupCap(const Policy& policy, uint64_t total);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_ALLOCATE_H_

// Exact max-rewards allocation on a quantized grid by dynamic programming (design §4 "allocation").
// The objective, the expected member reward, is a sum of per-pool terms, so on a grid of quanta
// q = floor(total / quanta) the best allocation is found exactly: a DP over the pools of each
// operator group (state: quanta used in the group, pools opened) gives a table per group that
// respects the group cap; a second DP over the groups (state: quanta used, pools opened) combines
// them under the pool-count bound. Integers only. Ties keep the first optimum found scanning pools
// by ascending id within groups, groups by name, and fewer quanta/pools first, so the result is
// deterministic.
#ifndef STAKEWARD_POLICY_ALLOCATE_DP_H_
#define STAKEWARD_POLICY_ALLOCATE_DP_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "policy/allocate.h"
#include "policy/reward_model.h"

namespace stakeward::policy {

struct GridProblem {
  std::vector<size_t> items;   // indices into `ranked` that may be used
  std::vector<uint64_t> caps;  // per index into `ranked`: most lovelace that pool may take
  uint64_t group_cap = 0;      // most lovelace per operator group
  uint64_t min_per_pool = 0;   // a used pool takes at least this much
  uint64_t max_pools = 0;      // most pools used
  uint64_t total = 0;
  uint64_t quanta = 0;     // grid: amounts are multiples of total / quanta
  uint64_t boost_bps = 0;  // incumbents' reward counted × (1 + boost_bps / 10000)
};

// The grid allocation with the highest (boosted) expected reward, as amounts per index into
// `ranked` summing to quanta · floor(total / quanta) (the remainder, below `quanta` lovelace, is
// left to the caller); nullopt when no grid allocation satisfies the caps.
std::optional<std::vector<uint64_t>> MaxRewardsOnGrid(const RewardContext& ctx,
                                                      const std::vector<Candidate>& ranked,
                                                      const GridProblem& problem);

// Upper bound of the DP's work (cell transitions) for `items` pools in `groups` groups, at most
// `max_pools` used, on `quanta` quanta.
uint64_t GridWork(size_t items, size_t groups, uint64_t max_pools, uint64_t quanta);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_ALLOCATE_DP_H_
